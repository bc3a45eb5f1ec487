import { z } from 'zod';
import type { AssignmentEvent, Party } from '../../domain/event.ts';
import type { Source } from '../../domain/sources.ts';
import { ignored, invalid, type Mapping, quote, type Verdict } from './mapping.ts';
import { eventTime, optionalTextSchema, platformIdSchema, scopedParty } from './party.ts';
import { hmacDigest, sameSignature } from './signatures.ts';

// Ids: one Intercom app (one client secret) can be installed in several workspaces, so parties are scoped by the
// notification's `app_id` (`intercom:abc123:4242`), and so are idempotency keys: `intercom:abc123:part:31338`
// (the conversation part that records the assignment). The conversation id stays Intercom's own.

/** Checks `X-Hub-Signature: sha1=<hex HMAC-SHA1(client secret, raw body)>`. */
export function verifyIntercomSignature(
  raw: Buffer,
  signature: string | undefined,
  clientSecret: string | undefined,
): Verdict {
  if (!clientSecret) {
    return {
      ok: false,
      status: 503,
      error:
        "Intercom webhooks are off: set INTERCOM_CLIENT_SECRET to the app's client secret (Developer Hub → Basic information)",
    };
  }
  if (!signature?.trim()) {
    return {
      ok: false,
      status: 401,
      error: 'X-Hub-Signature is missing: only signed Intercom notifications are read',
    };
  }
  const expected = `sha1=${hmacDigest('sha1', clientSecret, raw).toString('hex')}`;
  if (sameSignature(signature.trim().toLowerCase(), expected)) return { ok: true };
  return {
    ok: false,
    status: 401,
    error: "X-Hub-Signature does not match: check that INTERCOM_CLIENT_SECRET is the app's client secret",
  };
}

export const INTERCOM_ASSIGNMENT_TOPICS = ['conversation.admin.assigned', 'conversation.admin.open.assigned'];

const actorSchema = z.object({
  type: z.string(),
  id: platformIdSchema.nullish(),
  name: optionalTextSchema,
  email: optionalTextSchema,
});
type Actor = z.infer<typeof actorSchema>;

const partSchema = z.object({
  id: platformIdSchema.nullish(),
  part_type: z.string(),
  created_at: z.number().positive(),
  assigned_to: actorSchema.nullish(),
  author: actorSchema.nullish(),
  app_package_code: optionalTextSchema,
});
type Part = z.infer<typeof partSchema>;

const contactSchema = z.object({
  id: platformIdSchema,
  name: optionalTextSchema,
  email: optionalTextSchema,
  phone: optionalTextSchema,
  external_id: optionalTextSchema,
});

const notificationSchema = z.object({
  id: platformIdSchema,
  app_id: platformIdSchema,
  created_at: z.number().positive().nullish(),
  data: z.object({
    item: z.object({
      id: platformIdSchema,
      updated_at: z.number().positive().nullish(),
      // API 1.x
      user: contactSchema.nullish(),
      assignee: actorSchema.nullish(),
      // API 2.x
      contacts: z.object({ contacts: z.array(contactSchema) }).nullish(),
      admin_assignee_id: platformIdSchema.nullish(),
      team_assignee_id: platformIdSchema.nullish(),
      conversation_parts: z.object({ conversation_parts: z.array(partSchema) }).nullish(),
    }),
  }),
});
type Notification = z.infer<typeof notificationSchema>;

const envelopeSchema = z.object({ topic: z.string().nullish() });

/** Intercom's assignment part types: assignment, default_assignment, away_mode_assignment, assign_and_reopen… */
const isAssignmentPart = (part: Part): part is Part & { assigned_to: Actor } =>
  part.part_type.includes('assign') && Boolean(part.assigned_to);

type PartyOf = (actor: Actor) => Party | null;

/** Checked in this order: the part type says more about why than the author does. */
function sourceOf(part: Part, partyOf: PartyOf): { source: Source; assignedBy: Party | null } {
  const by = (source: Source, assignedBy: Party | null = null) => ({ source, assignedBy });
  if (part.part_type === 'default_assignment') return by('workflow');
  if (part.part_type === 'away_mode_assignment') return by('unknown');
  const author = part.author;
  if (author?.type === 'bot') return by('bot');
  if (part.app_package_code) return by('developer_api');
  if (author?.type === 'admin') return by('user', partyOf(author));
  return by('unknown');
}

/**
 * Maps a verified notification: one event per admin assignment part; team parts set the team only. A part's time
 * must be after 2000 and at most a day ahead of `now`.
 */
export function mapIntercomWebhook(body: unknown, now: Date): Mapping {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) return invalid(envelope.error);
  const topic = envelope.data.topic;
  if (!topic || !INTERCOM_ASSIGNMENT_TOPICS.includes(topic)) {
    return ignored(
      `${topic ? `topic ${quote(topic)}` : 'a body without topic'} is not an assignment; only ${INTERCOM_ASSIGNMENT_TOPICS.join(' and ')} are recorded`,
    );
  }
  const parsed = notificationSchema.safeParse(body);
  if (!parsed.success) return invalid(parsed.error);
  const notification = parsed.data;
  const item = notification.data.item;
  // API 1.x names the contact `user`; 2.x lists `contacts` (the first is the one who wrote in).
  const person = item.user ?? item.contacts?.contacts[0];
  if (!person) {
    return {
      kind: 'invalid',
      problems: ['data.item: no contact (expected user in API 1.x or contacts.contacts in 2.x)'],
    };
  }
  const scope = `intercom:${notification.app_id}`;
  const partyOf: PartyOf = (actor) =>
    actor.id ? scopedParty(scope, actor.id, actor.name, actor.email) : null;
  const contact = scopedParty(scope, person.id, person.name, person.email, person.external_id, person.phone);
  let team: Party | null = item.team_assignee_id ? scopedParty(scope, item.team_assignee_id) : null;
  const base = { conversationId: item.id, contact };

  const parts = (item.conversation_parts?.conversation_parts ?? []).filter(isAssignmentPart);
  if (parts.length === 0) return fromConversation(notification, scope, { ...base, team }, partyOf, now);
  const events: AssignmentEvent[] = [];
  for (const [index, part] of parts.entries()) {
    const to = part.assigned_to;
    if (to.type === 'team') {
      team = partyOf(to) ?? team;
      continue;
    }
    const assignee = to.type === 'nobody_admin' ? null : partyOf(to);
    if (to.type !== 'nobody_admin' && !assignee) {
      return { kind: 'invalid', problems: [`conversation part ${part.id ?? index}: assigned_to has no id`] };
    }
    const time = eventTime(part.created_at, `conversation part ${part.id ?? index} created_at`, now);
    if (!time.ok) return { kind: 'invalid', problems: [time.problem] };
    events.push({
      ...base,
      id: part.id ? `${scope}:part:${part.id}` : `${scope}:notification:${notification.id}:${index}`,
      timestamp: time.at,
      // Intercom does not say who had it before: the store derives it from the contact's state.
      assignee,
      ...sourceOf(part, partyOf),
      team,
    });
  }
  if (events.length === 0) return ignored('only the team changed (a team assignment part): no assignment');
  return { kind: 'events', events };
}

/**
 * A notification without an assignment part: the conversation-level assignee is all there is, with no author,
 * so the source is unknown and the notification id is the idempotency key.
 */
function fromConversation(
  notification: Notification,
  scope: string,
  base: Pick<AssignmentEvent, 'conversationId' | 'contact' | 'team'>,
  partyOf: PartyOf,
  now: Date,
): Mapping {
  const item = notification.data.item;
  let assignee: Party | null;
  // 1.x: `assignee` (`nobody_admin` for nobody); 2.x: `admin_assignee_id` (null for nobody).
  if (item.assignee) assignee = item.assignee.type === 'nobody_admin' ? null : partyOf(item.assignee);
  else if (item.admin_assignee_id !== undefined)
    assignee = item.admin_assignee_id === null ? null : scopedParty(scope, item.admin_assignee_id);
  else
    return ignored('no assignment part and no conversation assignee in the notification: nothing to record');
  const at = item.updated_at ?? notification.created_at;
  if (!at)
    return { kind: 'invalid', problems: ['data.item.updated_at: needed when there is no assignment part'] };
  const time = eventTime(at, item.updated_at ? 'data.item.updated_at' : 'created_at', now);
  if (!time.ok) return { kind: 'invalid', problems: [time.problem] };
  return {
    kind: 'events',
    events: [
      {
        ...base,
        id: `${scope}:notification:${notification.id}`,
        timestamp: time.at,
        assignee,
        source: 'unknown',
        assignedBy: null,
      },
    ],
  };
}
