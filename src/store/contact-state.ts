import { z } from 'zod';
import type { Party, StoredEvent } from '../domain/event.ts';
import { storedEventSchema } from '../domain/event.ts';
import type { Doc, IndexSpec } from './collection.ts';

// Each contact's state: who holds it after its newest event, and a version that every decision about the contact
// moves by compare-and-set. A decision is written first as an intent (`pending`: the writes it needs), then
// carried out, then cleared; whoever meets an intent carries it out again before deciding anything (each write
// is idempotent), so a crash anywhere between leaves nothing half done for long.

export const CONTACT_STATE = 'contact_state';

export const CONTACT_STATE_INDEXES: IndexSpec[] = [
  // The sweep that finishes decisions left unfinished (a crash, a failed batch): only states that have one.
  {
    name: 'pending_since',
    keys: { 'pending.since': 1 },
    partialFilterExpression: { 'pending.since': { $exists: true } },
  },
];

/** One write a decision needs. `rev` fences updates: a write of an older version never undoes a newer one. */
export type PendingOp =
  | { kind: 'insert'; doc: StoredEvent }
  | { kind: 'update'; id: string; rev: number; set: Doc; unset: string[] }
  | { kind: 'alias'; key: string; eventId: string };

export interface Pending {
  /** Names this decision, so that clearing it never clears a later one. */
  token: string;
  since: Date;
  ops: PendingOp[];
}

export interface ContactState {
  _id: string;
  /** The new assignee of the newest event, `null` for nobody. */
  assignee: Party | null;
  /** The newest event's place in the log: its time and key. */
  at: Date;
  lastKey: string;
  version: number;
  pending?: Pending;
}

const partySchema = z.object({ id: z.string(), name: z.string() }).nullable();

const opSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('insert'), doc: storedEventSchema }),
  z.object({
    kind: z.literal('update'),
    id: z.string(),
    rev: z.number(),
    set: z.record(z.string(), z.unknown()),
    unset: z.array(z.string()),
  }),
  z.object({ kind: z.literal('alias'), key: z.string(), eventId: z.string() }),
]);

const stateSchema = z.object({
  _id: z.string(),
  assignee: partySchema,
  at: z.date().refine((d) => Number.isFinite(d.getTime())),
  lastKey: z.string(),
  version: z.number().int(),
  pending: z.object({ token: z.string(), since: z.date(), ops: z.array(opSchema) }).optional(),
});

/** A stored state, or the reason it cannot be used (it is then rebuilt from the log, never trusted). */
export type ReadState = { ok: true; state: ContactState } | { ok: false; raw: Doc; problem: string };

/** Parses a stored state; one written by an older Handoff (with `lastPrevious`) reads the same. */
export function readContactState(doc: Doc, latest: Date): ReadState {
  const parsed = stateSchema.safeParse(doc);
  if (!parsed.success)
    return { ok: false, raw: doc, problem: parsed.error.issues.map((i) => i.path.join('.')).join(', ') };
  if (parsed.data.at > latest)
    return { ok: false, raw: doc, problem: `at ${parsed.data.at.toISOString()} is in the future` };
  const { pending, ...rest } = parsed.data;
  return { ok: true, state: { ...rest, ...(pending ? { pending } : {}) } };
}
