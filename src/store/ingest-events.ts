import { randomUUID } from 'node:crypto';
import { type AssignmentEvent, type Party, type StoredEvent, storedEventSchema } from '../domain/event.ts';
import { EARLIEST_EVENT_TIME, latestEventTime } from '../domain/event-time.ts';
import type { Doc, StoreCollection } from './collection.ts';
import { type ContactState, type Pending, type PendingOp, readContactState } from './contact-state.ts';
import { eventKey } from './event-key.ts';
import { isDuplicateKey } from './is-duplicate-key.ts';
import {
  type ContactContext,
  contextWindow,
  type EventOrigin,
  type Incoming,
  needsContext,
  planContact,
} from './plan-contact.ts';
import type { DirectorySnapshot } from './team-directory.ts';

// One batch of events into the store. Per batch: one read each for known keys, contact states and the
// directory; then, per contact, a plan (plan-contact.ts) written as an intent under a compare-and-set of the
// contact's state; then one bulk write of every contact's events; then one write that clears the intents.
// Every decision about a contact, "unchanged" included, is made against the state version it is written under.
// A failure stops the batch: what was decided and not yet written is finished by whoever next touches that
// contact (or the sweep), and resending the batch is exact.

export interface IngestSummary {
  accepted: number;
  duplicates: number;
  unchanged: number;
  /** Rows that completed an event already stored from a webhook instead of adding a second one. */
  enriched: number;
  /** Agent names of name-only parties that several directory agents share: kept as names. */
  ambiguous?: string[];
}

export interface IngestOptions {
  /**
   * Match each event against one already stored from a webhook (same contact and same new assignee within this
   * many ms) and complete that event instead of adding another (CSV imports).
   */
  enrichWithinMs?: number;
  /** Where the events came from; only events that arrived by webhook can be enriched. */
  origin?: EventOrigin;
}

export interface IngestCollections {
  events: StoreCollection;
  states: StoreCollection;
  aliases: StoreCollection;
  /** Teams seen on events (team-directory.ts SEEN_TEAMS). */
  teams: StoreCollection;
}

export interface IngestDeps extends IngestCollections {
  /** What the directory knows of the agents a batch names: their ids and teams. */
  snapshot: (parties: readonly (Party | null)[]) => Promise<DirectorySnapshot>;
  now: () => Date;
  /** Told when a contact's stored state could not be read and was rebuilt from its log. */
  onRepair?: (contactId: string, problem: string) => void;
}

/** Contacts decided at once: enough to hide round trips, below the driver's pool of 100 connections. */
const LANES = 64;

/** Every read here decides a write: from the primary (collection.ts CallOptions). */
const DECIDES = { primary: true };
const EVENT_ID_ONLY = { projection: { _id: 1 as const }, ...DECIDES };

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** The keys among `keys` that are stored, as events or as the aliases of rows that completed one. */
async function knownKeys(c: IngestCollections, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const filter = { _id: { $in: keys } };
  const [events, aliases] = await Promise.all([
    collect(c.events.find(filter, EVENT_ID_ONLY)),
    collect(c.aliases.find(filter, EVENT_ID_ONLY)),
  ]);
  return new Set([...events, ...aliases].map((doc) => String(doc._id)));
}

/**
 * Carries out a decision's writes. Each is idempotent: an insert only inserts, and an update applies only to a
 * document no newer decision has written (`rev`), so carrying it out twice, or late, changes nothing. The
 * teams of inserted events are recorded as teams, except those `known` says are recorded already.
 */
async function applyOps(c: IngestCollections, ops: readonly PendingOp[], known: Set<string>): Promise<void> {
  const teams = new Map<string, string>();
  for (const op of ops)
    if (op.kind === 'insert' && op.doc.team && !known.has(op.doc.team.id))
      teams.set(op.doc.team.id, op.doc.team.name);
  const inserts = ops.flatMap((op) =>
    op.kind === 'insert' ? [{ filter: { _id: op.doc._id }, update: { $setOnInsert: op.doc } }] : [],
  );
  const aliases = ops.flatMap((op) =>
    op.kind === 'alias'
      ? [{ filter: { _id: op.key }, update: { $setOnInsert: { eventId: op.eventId } } }]
      : [],
  );
  const updates = ops.flatMap((op) => (op.kind === 'update' ? [op] : []));
  await Promise.all([
    inserts.length ? c.events.upsertMany(inserts) : undefined,
    teams.size
      ? c.teams
          .upsertMany(
            [...teams].map(([id, name]) => ({ filter: { _id: id }, update: { $setOnInsert: { name } } })),
          )
          .then(() => {
            for (const id of teams.keys()) known.add(id);
          })
      : undefined,
    aliases.length ? c.aliases.upsertMany(aliases) : undefined,
    eachLimited(updates, LANES, async (op) => {
      const update: Doc = { $set: { ...op.set, rev: op.rev } };
      if (op.unset.length) update.$unset = Object.fromEntries(op.unset.map((field) => [field, '']));
      await c.events.updateOne({ _id: op.id, rev: { $not: { $gte: op.rev } } }, update);
    }),
  ]);
}

/** Finishes a decision someone else wrote and may not have carried out (a crash, or still under way). */
async function rollForward(
  c: IngestCollections,
  contactId: string,
  state: ContactState,
  known: Set<string>,
): Promise<void> {
  if (!state.pending) return;
  await applyOps(c, state.pending.ops, known);
  await c.states.updateOne(
    { _id: contactId, 'pending.token': state.pending.token },
    { $unset: { pending: '' } },
  );
}

/** Runs `work` over items with at most `limit` in flight; the first failure stops new work and is thrown. */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length && !failed) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  });
  const results = await Promise.allSettled(lanes);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
}

/** The event with its agents as the directory knows them. */
function identified(event: AssignmentEvent, directory: DirectorySnapshot): AssignmentEvent {
  return {
    ...event,
    assignee: directory.identify(event.assignee),
    ...(event.previousAssignee === undefined
      ? {}
      : { previousAssignee: directory.identify(event.previousAssignee) }),
    assignedBy: directory.identify(event.assignedBy),
  };
}

interface Decided {
  contactId: string;
  ops: PendingOp[];
}

export function createIngest(deps: IngestDeps) {
  const { events, states } = deps;
  /** Team ids this process has recorded, so a team is written once, not with every event. */
  const knownTeams = new Set<string>();

  const parseEvent = (doc: Doc | null): StoredEvent | null => (doc ? storedEventSchema.parse(doc) : null);

  /** The stored events around a window of one contact's log; times outside the sane range are never read. */
  async function readContext(contactId: string, window: { from: Date; to: Date }): Promise<ContactContext> {
    const latest = latestEventTime(deps.now());
    const contact = { 'contact.id': contactId };
    const [before, inWindow, after] = await Promise.all([
      events.findOne(
        { ...contact, ts: { $gte: EARLIEST_EVENT_TIME, $lt: window.from } },
        { sort: { ts: -1, _id: -1 }, ...DECIDES },
      ),
      collect(events.find({ ...contact, ts: { $gte: window.from, $lte: window.to } }, DECIDES)),
      events.findOne(
        { ...contact, ts: { $gt: window.to, $lte: latest } },
        { sort: { ts: 1, _id: 1 }, ...DECIDES },
      ),
    ]);
    return {
      before: parseEvent(before),
      window: inWindow.map((doc) => storedEventSchema.parse(doc)),
      after: parseEvent(after),
    };
  }

  /**
   * Rebuilds a state that cannot be read from the contact's log (its newest event in the sane range), replacing
   * exactly the document that was read. Its unfinished decision, if any, is unreadable too and is dropped: the
   * senders of those events were answered with an error and resend them.
   */
  async function repair(contactId: string, raw: Doc, problem: string): Promise<void> {
    deps.onRepair?.(contactId, problem);
    const newest = parseEvent(
      await events.findOne(
        { 'contact.id': contactId, ts: { $gte: EARLIEST_EVENT_TIME, $lte: latestEventTime(deps.now()) } },
        { sort: { ts: -1, _id: -1 }, ...DECIDES },
      ),
    );
    const version = typeof raw.version === 'number' && Number.isSafeInteger(raw.version) ? raw.version : 0;
    const filter: Doc = { _id: contactId, version: raw.version ?? { $exists: false } };
    if (!newest) {
      await states.deleteMany(filter);
      return;
    }
    await states.updateOne(filter, {
      $set: { assignee: newest.assignee, at: newest.ts, lastKey: newest._id, version: version + 1 },
      $unset: { pending: '', lastPrevious: '' },
    });
  }

  /** Writes a plan as the contact's intent, if nobody moved the contact since `state` was read. */
  async function compareAndSet(
    contactId: string,
    state: ContactState | null,
    fields: Pick<ContactState, 'assignee' | 'at' | 'lastKey' | 'version'> & { pending: Pending },
  ): Promise<boolean> {
    if (state) {
      const r = await states.updateOne({ _id: contactId, version: state.version }, { $set: fields });
      return r.matched === 1;
    }
    try {
      return (await states.updateOne({ _id: contactId }, { $setOnInsert: fields }, { upsert: true }))
        .upserted;
    } catch (error) {
      // Two first events for one contact at once: the other one created the state.
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /**
   * Finishes the decisions written before `before` and never cleared (a crash, or a batch stopped by a failed
   * write that nobody resent): at most `limit` contacts a call. Answers how many it finished.
   */
  async function finishInterrupted(before: Date, limit = 500): Promise<number> {
    const docs = await collect(states.find({ 'pending.since': { $lt: before } }, { limit, ...DECIDES }));
    let finished = 0;
    for (const doc of docs) {
      const contactId = String(doc._id);
      const read = readContactState(doc, latestEventTime(deps.now()));
      if (!read.ok) await repair(contactId, read.raw, read.problem);
      else if (read.state.pending) {
        await rollForward(deps, contactId, read.state, knownTeams);
        finished++;
      }
    }
    return finished;
  }

  async function ingest(
    input: readonly AssignmentEvent[],
    options: IngestOptions = {},
  ): Promise<IngestSummary> {
    const summary: IngestSummary = { accepted: 0, duplicates: 0, unchanged: 0, enriched: 0 };
    const byKey = new Map<string, Incoming>();
    for (const event of input) {
      const key = eventKey(event);
      if (byKey.has(key)) summary.duplicates++;
      else byKey.set(key, { key, event });
    }
    const contacts = [...new Set([...byKey.values()].map((i) => i.event.contact.id))];
    const agents = [...byKey.values()].flatMap(({ event }) => [
      event.assignee,
      event.previousAssignee ?? null,
      event.assignedBy,
    ]);
    const [known, stateDocs, directory] = await Promise.all([
      knownKeys(deps, [...byKey.keys()]),
      collect(states.find({ _id: { $in: contacts } }, DECIDES)),
      deps.snapshot(agents),
    ]);
    // A name the directory knows becomes that agent (keys stay those of the event as sent, so a resend matches).
    for (const item of byKey.values()) item.event = identified(item.event, directory);
    const ambiguous = directory.ambiguous();
    if (ambiguous.length) summary.ambiguous = ambiguous;
    // Every contact of the batch is visited, even one whose events all turn out stored: a decision left
    // unfinished on it (a crash of an earlier send of this very batch) is finished now.
    const byContact = new Map<string, Incoming[]>(contacts.map((id) => [id, []]));
    for (const item of byKey.values()) {
      if (known.has(item.key)) {
        summary.duplicates++;
        continue;
      }
      byContact.get(item.event.contact.id)?.push(item);
    }
    const initial = new Map(stateDocs.map((doc) => [String(doc._id), doc]));
    const token = randomUUID();
    const decided: Decided[] = [];

    /** Decides one contact's new events, retrying from a fresh read whenever another writer moved it first. */
    async function decide(contactId: string, list: Incoming[]): Promise<void> {
      let doc = initial.get(contactId) ?? null;
      let items = list;
      for (let attempt = 0; ; attempt++) {
        if (attempt > 0) {
          doc = await states.findOne({ _id: contactId }, DECIDES);
          const stored = await knownKeys(
            deps,
            items.map((i) => i.key),
          );
          summary.duplicates += items.filter((i) => stored.has(i.key)).length;
          items = items.filter((i) => !stored.has(i.key));
        }
        const read = doc ? readContactState(doc, latestEventTime(deps.now())) : undefined;
        if (read && !read.ok) {
          await repair(contactId, read.raw, read.problem);
          continue;
        }
        const state = read?.state ?? null;
        if (state?.pending) {
          await rollForward(deps, contactId, state, knownTeams);
          continue;
        }
        if (items.length === 0) return;
        const context = needsContext(state, items, options)
          ? await readContext(contactId, contextWindow(items, options))
          : undefined;
        const rev = (state?.version ?? 0) + 1;
        const plan = planContact(state, context, items, {
          ...options,
          receivedAt: deps.now(),
          teamOf: directory.teamOf,
          rev,
        });
        const pending: Pending = { token, since: deps.now(), ops: plan.ops };
        if (await compareAndSet(contactId, state, { ...plan.next, version: rev, pending })) {
          decided.push({ contactId, ops: plan.ops });
          summary.accepted += plan.accepted;
          summary.unchanged += plan.unchanged;
          summary.enriched += plan.enriched;
          return;
        }
      }
    }

    await eachLimited([...byContact], LANES, ([contactId, list]) => decide(contactId, list));
    // Every contact's writes at once, then every intent cleared at once.
    await applyOps(
      deps,
      decided.flatMap((d) => d.ops),
      knownTeams,
    );
    if (decided.length)
      await states.updateMany(
        { _id: { $in: decided.map((d) => d.contactId) }, 'pending.token': token },
        { $unset: { pending: '' } },
      );
    return summary;
  }

  return { ingest, finishInterrupted };
}
