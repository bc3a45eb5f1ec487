import { compareEventPlaces, type EventPlace, sameAssignee, walkChain } from '../domain/assignment-chain.ts';
import { type AssignmentEvent, type Party, partyKeys, type StoredEvent } from '../domain/event.ts';
import type { Doc } from './collection.ts';
import type { ContactState, PendingOp } from './contact-state.ts';

// What one contact's new events change, worked out without I/O: which events to insert, which stored ones a late
// event or a log row changes, and where the contact's state moves. The store reads, plans, then writes the plan
// under the contact's compare-and-set (ingest-events.ts).

export type EventOrigin = 'webhook' | 'api' | 'csv';
export type TeamOf = (agent: Party | null) => Party | null;

/** A new event of the batch, not yet stored, with its key. */
export interface Incoming {
  key: string;
  event: AssignmentEvent;
}

/**
 * The stored events around the new ones, read when the plan needs the log: the window's events (any order), and
 * the nearest event on either side of it.
 */
export interface ContactContext {
  before: StoredEvent | null;
  window: StoredEvent[];
  after: StoredEvent | null;
}

export interface PlanOptions {
  /** Complete a stored webhook event from a log row of the same contact and new assignee this close in time. */
  enrichWithinMs?: number;
  origin?: EventOrigin;
  receivedAt: Date;
  teamOf: TeamOf;
  /** The state version this plan is written under; every document it writes carries it. */
  rev: number;
}

export interface ContactPlan {
  ops: PendingOp[];
  next: Pick<ContactState, 'assignee' | 'at' | 'lastKey'>;
  accepted: number;
  unchanged: number;
  enriched: number;
}

const placeOf = (item: Incoming): EventPlace => ({ ts: item.event.timestamp, key: item.key });
const storedPlace = (doc: StoredEvent): EventPlace => ({ ts: doc.ts, key: doc._id });

/** True when the plan must see the stored log: an event older than the newest, or rows that may enrich. */
export function needsContext(
  state: ContactState | null,
  incoming: readonly Incoming[],
  options: Pick<PlanOptions, 'enrichWithinMs'>,
): boolean {
  if (!state) return false;
  if (options.enrichWithinMs !== undefined) return true;
  const newest = { ts: state.at, key: state.lastKey };
  return incoming.some((item) => compareEventPlaces(placeOf(item), newest) < 0);
}

/** The stretch of the log a plan reads: the new events' times, widened by the enrichment window. */
export function contextWindow(
  incoming: readonly Incoming[],
  options: Pick<PlanOptions, 'enrichWithinMs'>,
): { from: Date; to: Date } {
  const times = incoming.map((item) => item.event.timestamp.getTime());
  const margin = options.enrichWithinMs ?? 0;
  return { from: new Date(Math.min(...times) - margin), to: new Date(Math.max(...times) + margin) };
}

/** An event as the store keeps it, once its previous assignee and whether it counts are known. */
export function toStoredEvent(
  item: Incoming,
  previous: Party | null,
  unchanged: boolean,
  options: PlanOptions,
): StoredEvent {
  const { event } = item;
  // The team is fixed when the event arrives: moving an agent later does not rewrite history.
  const team = event.team ?? options.teamOf(event.assignee ?? previous);
  return {
    _id: item.key,
    ts: event.timestamp,
    conversationId: event.conversationId,
    contact: event.contact,
    previousAssignee: previous,
    assignee: event.assignee,
    source: event.source,
    assignedBy: event.assignedBy,
    team,
    keys: {
      assignee: partyKeys(event.assignee),
      assignedBy: partyKeys(event.assignedBy),
      contact: partyKeys(event.contact),
      team: partyKeys(team),
    },
    receivedAt: options.receivedAt,
    ...(options.origin ? { origin: options.origin } : {}),
    ...(unchanged ? { unchanged: true as const } : {}),
    ...(event.previousAssignee === undefined ? { previousDerived: true as const } : {}),
    rev: options.rev,
  };
}

/** A stored event in the plan: what it says now, and what enrichment changed of it. */
interface StoredItem {
  kind: 'stored';
  doc: StoredEvent;
  givenPrevious: Party | null | undefined;
  enrichment?: Doc;
}

type Item = StoredItem | { kind: 'incoming'; item: Incoming };

const placeOfItem = (i: Item): EventPlace => (i.kind === 'stored' ? storedPlace(i.doc) : placeOf(i.item));

/** A log row's new assignee is the webhook event's: nobody for both, or the row's name or id among its keys. */
function sameNewAssignee(stored: StoredEvent, row: AssignmentEvent): boolean {
  if (!row.assignee || !stored.assignee) return !row.assignee && !stored.assignee;
  return (
    sameAssignee(stored.assignee, row.assignee) ||
    stored.keys.assignee.includes(row.assignee.name.toLowerCase())
  );
}

/** Pairs log rows with the stored webhook events they complete: earliest row first, each event once. */
function enrich(items: StoredItem[], rows: Incoming[], withinMs: number): Map<Incoming, StoredItem> {
  const pairs = new Map<Incoming, StoredItem>();
  const taken = new Set<StoredItem>();
  const candidates = items
    .filter((i) => i.doc.origin === 'webhook' && i.doc.enrichedBy === undefined)
    .sort((a, b) => compareEventPlaces(storedPlace(a.doc), storedPlace(b.doc)));
  for (const row of [...rows].sort((a, b) => compareEventPlaces(placeOf(a), placeOf(b)))) {
    const t = row.event.timestamp.getTime();
    const match = candidates.find(
      (c) =>
        !taken.has(c) && Math.abs(c.doc.ts.getTime() - t) <= withinMs && sameNewAssignee(c.doc, row.event),
    );
    if (!match) continue;
    taken.add(match);
    pairs.set(row, match);
    const { event } = row;
    match.enrichment = {
      source: event.source,
      assignedBy: event.assignedBy,
      'keys.assignedBy': partyKeys(event.assignedBy),
      conversationId: event.conversationId ?? match.doc.conversationId,
      enrichedBy: row.key,
    };
    // A row that names the previous assignee says what the platform saw: the event now counts by it.
    if (event.previousAssignee !== undefined) match.givenPrevious = event.previousAssignee;
  }
  return pairs;
}

/** The update that brings a stored event to what the walk says, or undefined when it already says it. */
function updateOf(
  rev: number,
  doc: StoredEvent,
  previous: Party | null,
  unchanged: boolean,
  derived: boolean,
  enrichment: Doc | undefined,
): PendingOp | undefined {
  const same =
    enrichment === undefined &&
    sameParty(doc.previousAssignee, previous) &&
    (doc.unchanged === true) === unchanged &&
    (doc.previousDerived === true) === derived;
  if (same) return undefined;
  const set: Doc = { ...enrichment, previousAssignee: previous };
  const unset: string[] = [];
  if (unchanged) set.unchanged = true;
  else unset.push('unchanged');
  if (derived) set.previousDerived = true;
  else unset.push('previousDerived');
  return { kind: 'update', id: doc._id, rev, set, unset };
}

const sameParty = (a: Party | null, b: Party | null): boolean =>
  a === b || (a !== null && b !== null && a.id === b.id && a.name === b.name);

/**
 * Plans one contact's new events (none of them stored yet) against its state and, when `needsContext` says so,
 * the stored log around them. Every event lands in the log in (time, key) order; each stored event whose
 * previous assignee or count that order changes is updated; log rows complete the webhook events they match.
 */
export function planContact(
  state: ContactState | null,
  context: ContactContext | undefined,
  incoming: readonly Incoming[],
  options: PlanOptions,
): ContactPlan {
  const ops: PendingOp[] = [];
  const stored: StoredItem[] = (context?.window ?? []).map((doc) => ({
    kind: 'stored',
    doc,
    givenPrevious: doc.previousDerived ? undefined : doc.previousAssignee,
  }));
  const pairs =
    options.enrichWithinMs === undefined
      ? new Map<Incoming, StoredItem>()
      : enrich(stored, [...incoming], options.enrichWithinMs);
  for (const [row, match] of pairs) ops.push({ kind: 'alias', key: row.key, eventId: match.doc._id });

  const fresh = incoming.filter((i) => !pairs.has(i));
  const items: Item[] = [...stored, ...fresh.map((item): Item => ({ kind: 'incoming', item }))].sort((a, b) =>
    compareEventPlaces(placeOfItem(a), placeOfItem(b)),
  );
  const before = context ? (context.before?.assignee ?? null) : (state?.assignee ?? null);
  const steps = walkChain(
    before,
    items.map((i) =>
      i.kind === 'stored'
        ? { assignee: i.doc.assignee, givenPrevious: i.givenPrevious }
        : { assignee: i.item.event.assignee, givenPrevious: i.item.event.previousAssignee },
    ),
  );

  let accepted = 0;
  let unchanged = 0;
  items.forEach((item, n) => {
    const step = steps[n] ?? { previous: null, unchanged: false };
    if (item.kind === 'incoming') {
      ops.push({ kind: 'insert', doc: toStoredEvent(item.item, step.previous, step.unchanged, options) });
      if (step.unchanged) unchanged++;
      else accepted++;
      return;
    }
    const derived = item.givenPrevious === undefined;
    const update = updateOf(options.rev, item.doc, step.previous, step.unchanged, derived, item.enrichment);
    if (update) ops.push(update);
  });

  // The event after the window follows the last one in it, if it took its previous assignee from the log.
  const after = context?.after;
  if (after?.previousDerived) {
    const holder = items.length ? placeHolder(items[items.length - 1]) : before;
    const update = updateOf(
      options.rev,
      after,
      holder,
      sameAssignee(holder, after.assignee),
      true,
      undefined,
    );
    if (update) ops.push(update);
  }

  // A row that completed a stored event adds no event: the state does not move for it.
  return { ops, next: nextState(state, fresh), accepted, unchanged, enriched: pairs.size };
}

/** The new assignee of an item of the plan: who holds the contact after it. */
function placeHolder(item: Item | undefined): Party | null {
  if (!item) return null;
  return item.kind === 'stored' ? item.doc.assignee : item.item.event.assignee;
}

/** The state follows the newest event: a new one when it is newer than the newest stored. */
function nextState(state: ContactState | null, incoming: readonly Incoming[]): ContactPlan['next'] {
  let next = state ? { assignee: state.assignee, at: state.at, lastKey: state.lastKey } : undefined;
  for (const item of incoming) {
    if (next && compareEventPlaces(placeOf(item), { ts: next.at, key: next.lastKey }) <= 0) continue;
    next = { assignee: item.event.assignee, at: item.event.timestamp, lastKey: item.key };
  }
  // Only a contact with stored events (and so a state) can have rows that all completed one of them.
  if (!next) throw new Error('planContact: no state and no event to start one');
  return next;
}
