import { z } from 'zod';
import type { Party } from '../../domain/event.ts';
import type { Source } from '../../domain/sources.ts';
import { ignored, invalid, type Mapping, quote, type Verdict } from './mapping.ts';
import { eventTime, firstText, optionalTextSchema, platformIdSchema, scopedParty } from './party.ts';
import { hmacDigest, sameSignature } from './signatures.ts';

// Ids: Chatwoot ids are per installation and its payloads name no account, so the account id comes from the URL
// (`/webhooks/chatwoot/7`) and scopes every party (`chatwoot:7:412`) and idempotency key (`chatwoot:7:…`). The
// conversation id stays the per-account display id Chatwoot shows (`conversation:1532` finds it).

/** How far X-Chatwoot-Timestamp may be from our clock before a signed request counts as a replay. */
export const CHATWOOT_MAX_SKEW_SECONDS = 5 * 60;

export interface ChatwootSignatureHeaders {
  signature: string | undefined;
  timestamp: string | undefined;
}

/**
 * Checks `X-Chatwoot-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>` against the account's
 * secrets. An account without any is refused (503, with what to set) unless it is listed as unsigned, for builds
 * that cannot sign.
 */
export function verifyChatwootSignature(
  raw: Buffer,
  headers: ChatwootSignatureHeaders,
  secrets: readonly string[] | undefined,
  now: Date,
  accountId: string,
  unsigned: ReadonlySet<string> = new Set(),
): Verdict {
  if (!secrets?.length) {
    if (unsigned.has(accountId)) return { ok: true };
    return {
      ok: false,
      status: 503,
      error: `Chatwoot webhooks for account ${accountId} are off: add ${accountId}:<secret> to CHATWOOT_WEBHOOK_SECRETS with the webhook's secret (Chatwoot: Settings → Integrations → Webhooks), or, for a Chatwoot build that cannot sign, list ${accountId} in CHATWOOT_UNSIGNED_ACCOUNTS`,
    };
  }
  const fix = `account ${accountId} has a secret in CHATWOOT_WEBHOOK_SECRETS, so its webhooks must be signed (by a Chatwoot build that sends X-Chatwoot-Signature)`;
  const signature = headers.signature?.trim();
  const timestamp = headers.timestamp?.trim();
  if (!signature || !timestamp) {
    const missing = !signature ? 'X-Chatwoot-Signature' : 'X-Chatwoot-Timestamp';
    return { ok: false, status: 401, error: `${missing} is missing: ${fix}` };
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    return { ok: false, status: 401, error: 'X-Chatwoot-Timestamp must be Unix seconds' };
  }
  const skew = Math.round(Math.abs(now.getTime() / 1000 - Number(timestamp)));
  if (skew > CHATWOOT_MAX_SKEW_SECONDS) {
    return {
      ok: false,
      status: 401,
      error: `stale X-Chatwoot-Timestamp: ${skew} s from this server's clock (at most ${CHATWOOT_MAX_SKEW_SECONDS} s); a replay, or a clock to set right`,
    };
  }
  const given = signature.toLowerCase();
  const signs = (secret: string) =>
    sameSignature(given, `sha256=${hmacDigest('sha256', secret, `${timestamp}.`, raw).toString('hex')}`);
  if (secrets.some(signs)) return { ok: true };
  return {
    ok: false,
    status: 401,
    error: `X-Chatwoot-Signature does not match: check the secret for account ${accountId} in CHATWOOT_WEBHOOK_SECRETS against the webhook's secret in Chatwoot`,
  };
}

const personSchema = z.object({
  id: platformIdSchema,
  name: optionalTextSchema,
  email: optionalTextSchema,
  phone_number: optionalTextSchema,
});

const payloadSchema = z.object({
  id: platformIdSchema,
  updated_at: z.number().positive(),
  meta: z.object({
    sender: personSchema,
    assignee: personSchema.nullish(),
    team: z.object({ id: platformIdSchema, name: optionalTextSchema }).nullish(),
  }),
  changed_attributes: z.array(z.record(z.string(), z.unknown())).nullish(),
  // Newer builds say who acted: `{ type: user | agent_bot | automation_rule | contact | inbox, id }`.
  performed_by: z
    .object({ type: z.string(), id: platformIdSchema.nullish(), name: optionalTextSchema })
    .nullish(),
});
type Payload = z.infer<typeof payloadSchema>;

const assigneeChangeSchema = z.object({
  previous_value: platformIdSchema.nullable(),
  current_value: platformIdSchema.nullable(),
});

const envelopeSchema = z.object({ event: z.string().nullish() });

export interface ChatwootContext {
  accountId: string;
  /** User ids whose access tokens integrations use in this account: their changes count as Developer API. */
  apiUserIds: readonly string[];
  /** The clock `updated_at` is checked against (at most a day ahead of it). */
  now: Date;
}

/** Names the payload gives for user ids: the current assignee's, and the actor's when it carries one. */
function namesIn(payload: Payload): Map<string, string> {
  const names = new Map<string, string>();
  const { assignee } = payload.meta;
  const assigneeName = assignee && firstText(assignee.name, assignee.email);
  if (assignee && assigneeName) names.set(assignee.id, assigneeName);
  const actor = payload.performed_by;
  const actorName = actor?.type.toLowerCase() === 'user' && actor.id ? firstText(actor.name) : undefined;
  if (actor?.id && actorName) names.set(actor.id, actorName);
  return names;
}

/**
 * `performed_by.type` decides the source; a user who is one of the account's API users means an integration
 * called the API with that user's token. No actor (older builds) is `unknown`.
 */
function sourceOf(
  payload: Payload,
  party: (id: string) => Party,
  apiUserIds: readonly string[],
): { source: Source; assignedBy: Party | null } {
  const actor = payload.performed_by;
  switch (actor?.type.toLowerCase()) {
    case 'automation_rule':
      return { source: 'workflow', assignedBy: null };
    case 'agent_bot':
      return { source: 'bot', assignedBy: null };
    case 'user':
      if (actor?.id && apiUserIds.includes(actor.id)) return { source: 'developer_api', assignedBy: null };
      return { source: 'user', assignedBy: actor?.id ? party(actor.id) : null };
    default:
      return { source: 'unknown', assignedBy: null };
  }
}

/** Maps a verified `conversation_updated` body; only a change of `assignee_id` is an assignment. */
export function mapChatwootWebhook(body: unknown, context: ChatwootContext): Mapping {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) return invalid(envelope.error);
  const type = envelope.data.event;
  if (type !== 'conversation_updated') {
    return ignored(
      `${type ? `event ${quote(type)}` : 'a body without event'} is not an assignment; only conversation_updated with an assignee_id change is recorded`,
    );
  }
  const parsed = payloadSchema.safeParse(body);
  if (!parsed.success) return invalid(parsed.error);
  const payload = parsed.data;
  const changes = payload.changed_attributes ?? [];
  const index = changes.findIndex((change) => Object.hasOwn(change, 'assignee_id'));
  if (index < 0) {
    const changed = changes.flatMap((change) => Object.keys(change));
    if (changed.includes('team_id'))
      return ignored('the team changed but the assignee did not: no assignment');
    return ignored(
      `no assignee change (changed: ${changed.length ? changed.map(quote).join(', ') : 'nothing'}): no assignment`,
    );
  }
  const change = assigneeChangeSchema.safeParse(changes[index]?.assignee_id);
  if (!change.success) return invalid(change.error, `changed_attributes.${index}.assignee_id`);
  const { previous_value: previous, current_value: current } = change.data;
  const time = eventTime(payload.updated_at, 'updated_at', context.now);
  if (!time.ok) return { kind: 'invalid', problems: [time.problem] };

  const scope = `chatwoot:${context.accountId}`;
  const names = namesIn(payload);
  const party = (id: string): Party => scopedParty(scope, id, names.get(id));
  const { source, assignedBy } = sourceOf(payload, party, context.apiUserIds);
  // What the change says identifies it: a retry repeats all of it, and the signature covers all of it.
  // X-Chatwoot-Delivery is not signed: a replay with a new delivery id would be a new event.
  const key = `${scope}:${payload.id}:${previous ?? 'none'}>${current ?? 'none'}@${payload.updated_at}`;
  const { sender, team } = payload.meta;
  return {
    kind: 'events',
    events: [
      {
        id: key,
        timestamp: time.at,
        conversationId: payload.id,
        contact: scopedParty(scope, sender.id, sender.name, sender.email, sender.phone_number),
        // Chatwoot says who had it before (`null` = nobody), by id: the name only when this payload has it.
        previousAssignee: previous === null ? null : party(previous),
        assignee: current === null ? null : party(current),
        source,
        assignedBy,
        team: team ? scopedParty(scope, team.id, team.name) : null,
      },
    ],
  };
}
