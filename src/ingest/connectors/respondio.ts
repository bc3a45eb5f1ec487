import { z } from 'zod';
import type { AssignmentEvent, Party } from '../../domain/event.ts';
import type { Source } from '../../domain/sources.ts';
import { teamParty } from '../../store/team-directory.ts';
import { ignored, invalid, type Mapping, quote, type Verdict } from './mapping.ts';
import { firstText, fullName, optionalTextSchema, party, platformIdSchema } from './party.ts';
import { hmacDigest, sameSignature } from './signatures.ts';

// Ids: respond.io's own contact and user ids, unprefixed. respond.io is the platform the Assignments report,
// its CSV log export and `POST /api/events` senders all speak for, with these same ids: a prefix would split a
// contact's state between webhook and imported events, and the store could no longer complete a webhook event
// that lacks its source from the matching CSV row (it matches on contact id). Chatwoot and Intercom ids are
// prefixed, so they cannot collide with these. Idempotency keys are `respondio:<event_id>`. respond.io sends no
// conversation id: events have `conversationId: null`.
const KEY_SCOPE = 'respondio';

/**
 * Checks `X-Webhook-Signature` (base64 HMAC-SHA256 of the raw body) against each configured signing key; any may
 * match, so keys can be rotated and several webhooks can share the endpoint.
 */
export function verifyRespondioSignature(
  raw: Buffer,
  signature: string | undefined,
  secrets: readonly string[],
): Verdict {
  if (secrets.length === 0) {
    return {
      ok: false,
      status: 503,
      error:
        'respond.io webhooks are off: set RESPONDIO_WEBHOOK_SECRETS to the signing key respond.io shows for the webhook',
    };
  }
  if (!signature?.trim()) {
    return {
      ok: false,
      status: 401,
      error: 'X-Webhook-Signature is missing: only signed respond.io webhooks are read',
    };
  }
  const given = signature.trim();
  // `some` stops at the first match: which key matched is no secret, and each comparison is constant-time.
  if (secrets.some((key) => sameSignature(given, hmacDigest('sha256', key, raw).toString('base64')))) {
    return { ok: true };
  }
  return {
    ok: false,
    status: 401,
    error:
      "X-Webhook-Signature does not match: check that RESPONDIO_WEBHOOK_SECRETS holds this webhook's signing key",
  };
}

const personSchema = z.object({
  id: platformIdSchema.nullish(),
  firstName: optionalTextSchema,
  lastName: optionalTextSchema,
  email: optionalTextSchema,
  phone: optionalTextSchema,
});
type Person = z.infer<typeof personSchema>;

const payloadSchema = z.object({
  event_id: platformIdSchema,
  contact: personSchema.extend({ id: platformIdSchema, assignee: personSchema.nullish() }),
  conversation: z.object({ assigneeTeam: optionalTextSchema }).nullish(),
});
type Payload = z.infer<typeof payloadSchema>;

const envelopeSchema = z.object({ event_type: z.string().nullish() });

/** An assignee of `null` or `{}` (no id) is nobody. */
function assigneeOf(person: Person | null | undefined): Party | null {
  if (!person?.id) return null;
  return party(person.id, fullName(person.firstName, person.lastName), person.email);
}

function toEvent(
  payload: Payload,
  assignee: Party | null,
  source: Source,
  receivedAt: Date,
): AssignmentEvent {
  const { contact } = payload;
  // respond.io names teams but gives them no id: the store's convention (the agent directory's) makes one.
  const team = firstText(payload.conversation?.assigneeTeam);
  return {
    id: `${KEY_SCOPE}:${payload.event_id}`,
    timestamp: receivedAt,
    conversationId: null,
    contact: party(contact.id, fullName(contact.firstName, contact.lastName), contact.email, contact.phone),
    // No previous assignee: respond.io does not send one, so the store derives it from the contact's state.
    assignee,
    source,
    assignedBy: null,
    team: team ? teamParty(team) : null,
  };
}

/**
 * Maps a verified respond.io webhook body. Its events carry no time of their own (`contact.assignee.updated` has
 * none), so every respond.io event is placed at `receivedAt`: stamping a close with `closedTime` could sort it
 * before the assignee change that preceded it and count one unassignment twice.
 */
export function mapRespondioWebhook(body: unknown, receivedAt: Date): Mapping {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) return invalid(envelope.error);
  const type = envelope.data.event_type;
  if (type !== 'contact.assignee.updated' && type !== 'conversation.closed') {
    return ignored(
      `${type ? `event_type ${quote(type)}` : 'a body without event_type'} is not an assignment; only contact.assignee.updated and conversation.closed are recorded`,
    );
  }
  const parsed = payloadSchema.safeParse(body);
  if (!parsed.success) return invalid(parsed.error);
  const payload = parsed.data;
  const assignee = assigneeOf(payload.contact.assignee);
  if (type === 'contact.assignee.updated') {
    // Who or what changed it is not in the payload.
    return { kind: 'events', events: [toEvent(payload, assignee, 'unknown', receivedAt)] };
  }
  if (assignee) {
    return ignored(
      `conversation.closed left the contact with ${assignee.name}: closing unassigned nobody, so it is no assignment`,
    );
  }
  // An unassignment by closing. If our state already has the contact unassigned the store counts it as unchanged,
  // so it is recorded only when the close actually took the contact from someone.
  return { kind: 'events', events: [toEvent(payload, null, 'close_conversation', receivedAt)] };
}
