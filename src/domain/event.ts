import { z } from 'zod';
import { eventTimeProblem } from './event-time.ts';
import { parseSource, SOURCES, type Source } from './sources.ts';
import { isLocalDate } from './time.ts';

/** Someone on either side of an assignment: an agent, the contact, the user who assigned. */
export interface Party {
  id: string;
  name: string;
}

/** A canonical assignment event after validation: what the store is asked to record. */
export interface AssignmentEvent {
  /** Sender's idempotency key, when it gave one. */
  id?: string;
  /**
   * The stored key itself (`id:…` or `h:…`), from the Event ID column of an exported log, so that importing
   * the export finds the very events it came from. Only the CSV importer sets it; the JSON API cannot.
   */
  key?: string;
  timestamp: Date;
  conversationId: string | null;
  contact: Party;
  /** `undefined` means "derive it from the contact's current assignee". */
  previousAssignee?: Party | null;
  /** `null` is an unassignment, which counts as an assignment. */
  assignee: Party | null;
  source: Source;
  assignedBy: Party | null;
  team: Party | null;
}

/** An event as the store keeps it: every party resolved, plus lowercased keys the filters match on. */
export interface StoredEvent {
  _id: string;
  ts: Date;
  conversationId: string | null;
  contact: Party;
  previousAssignee: Party | null;
  assignee: Party | null;
  source: Source;
  assignedBy: Party | null;
  team: Party | null;
  /** Lowercased ids and names per filterable party, so `assignee:"mei tan"` and `assignee:u2` hit an index. */
  keys: { assignee: string[]; assignedBy: string[]; contact: string[]; team: string[] };
  receivedAt: Date;
  /** How it arrived; a webhook event may later be completed (enriched) by a row of the log export. */
  origin?: 'webhook' | 'api' | 'csv';
  /** The key of the log row that completed it. */
  enrichedBy?: string;
  /**
   * Not an assignment: its new assignee is its previous one. Kept in the log all the same, because an event that
   * arrives later but happened earlier can make it one (see assignment-chain.ts); every read leaves it out.
   */
  unchanged?: true;
  /** The sender did not name the previous assignee: it is the one of the event before in the log. */
  previousDerived?: true;
  /** The contact-state version that last wrote it; a write of an older version never undoes a newer one. */
  rev?: number;
}

const MAX_ID = 200;
const MAX_NAME = 200;

// A numeric id is only trustworthy as a whole number: JSON has already rounded anything past 2^53, and
// 1.5 or 1e21 would be stored as "1.5" or "1e+21".
const idSchema = z
  .union([
    z.string().trim().min(1, 'must not be empty').max(MAX_ID),
    z.number().refine(Number.isSafeInteger, 'must be a whole number below 2^53; send longer ids as strings'),
  ])
  .transform((v) => String(v));

const partySchema = z
  .object({
    id: idSchema,
    name: z.string().trim().max(MAX_NAME).nullish(),
  })
  .transform((p): Party => ({ id: p.id, name: p.name || p.id }));

// ISO-8601 with an explicit offset: a timestamp without one would be read in the server's zone.
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

const timestampSchema = z
  .string()
  .regex(ISO_WITH_OFFSET, 'must be ISO-8601 with an offset, e.g. 2026-11-26T08:15:00+08:00')
  .transform((text, ctx) => {
    const ms = Date.parse(text);
    // Date.parse rolls 2026-02-30 over to 2 March instead of rejecting it.
    if (!Number.isFinite(ms) || !isLocalDate(text.slice(0, 10))) {
      ctx.addIssue({ code: 'custom', message: 'is not a real date and time' });
      return z.NEVER;
    }
    return new Date(ms);
  });

const sourceSchema = z.string().transform((text, ctx): Source => {
  const source = parseSource(text);
  if (!source) {
    ctx.addIssue({
      code: 'custom',
      message: `unknown source "${text}"; expected one of ${SOURCES.join(', ')}`,
    });
    return z.NEVER;
  }
  return source;
});

/** The canonical event as senders post it to `POST /api/events`. */
export const assignmentEventSchema = z
  .object({
    id: idSchema.optional(),
    timestamp: timestampSchema,
    conversationId: idSchema.nullish(),
    contact: partySchema,
    previousAssignee: partySchema.nullable().optional(),
    assignee: partySchema.nullable(),
    source: sourceSchema,
    assignedBy: partySchema.nullish(),
    team: partySchema.nullish(),
  })
  .transform(
    (e): AssignmentEvent => ({
      ...(e.id === undefined ? {} : { id: e.id }),
      timestamp: e.timestamp,
      conversationId: e.conversationId ?? null,
      contact: e.contact,
      ...(e.previousAssignee === undefined ? {} : { previousAssignee: e.previousAssignee }),
      assignee: e.assignee,
      source: e.source,
      assignedBy: e.assignedBy ?? null,
      team: e.team ?? null,
    }),
  );

export interface EventProblem {
  index: number;
  field: string;
  message: string;
}

export type ParsedBatch = { ok: true; events: AssignmentEvent[] } | { ok: false; problems: EventProblem[] };

export const MAX_BATCH = 5000;

/**
 * Validates a body of one event or an array of them, all or nothing; problems name the index and field. A
 * timestamp before 2000 or more than a day after `now` is refused (event-time.ts).
 */
export function parseEventBatch(body: unknown, now: Date): ParsedBatch {
  const items = Array.isArray(body) ? body : [body];
  if (items.length === 0)
    return { ok: false, problems: [{ index: 0, field: '', message: 'no events sent' }] };
  if (items.length > MAX_BATCH) {
    return {
      ok: false,
      problems: [{ index: MAX_BATCH, field: '', message: `at most ${MAX_BATCH} events per request` }],
    };
  }
  const events: AssignmentEvent[] = [];
  const problems: EventProblem[] = [];
  items.forEach((item, index) => {
    const result = assignmentEventSchema.safeParse(item);
    const timeProblem = result.success ? eventTimeProblem(result.data.timestamp, now) : undefined;
    if (timeProblem) problems.push({ index, field: 'timestamp', message: timeProblem });
    else if (result.success) events.push(result.data);
    else
      for (const issue of result.error.issues)
        problems.push({ index, field: issue.path.join('.'), message: issue.message });
  });
  return problems.length ? { ok: false, problems } : { ok: true, events };
}

const storedPartySchema = z.object({ id: z.string(), name: z.string() });

/** Stored documents are outside data too: they are parsed when read. */
export const storedEventSchema = z.object({
  _id: z.string(),
  ts: z.date(),
  conversationId: z.string().nullable(),
  contact: storedPartySchema,
  previousAssignee: storedPartySchema.nullable(),
  assignee: storedPartySchema.nullable(),
  source: z.enum(SOURCES),
  assignedBy: storedPartySchema.nullable(),
  team: storedPartySchema.nullable(),
  keys: z.object({
    assignee: z.array(z.string()),
    assignedBy: z.array(z.string()),
    contact: z.array(z.string()),
    team: z.array(z.string()),
  }),
  receivedAt: z.date(),
  origin: z.enum(['webhook', 'api', 'csv']).optional(),
  enrichedBy: z.string().optional(),
  unchanged: z.literal(true).optional(),
  previousDerived: z.literal(true).optional(),
  rev: z.number().optional(),
});

/** The lowercased id and name of a party, the values filters compare against. */
export function partyKeys(party: Party | null): string[] {
  if (!party) return [];
  const keys = [party.id.toLowerCase(), party.name.toLowerCase()];
  return keys[0] === keys[1] ? [keys[0] ?? ''] : keys;
}
