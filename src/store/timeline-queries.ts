import { z } from 'zod';
import type { Party } from '../domain/event.ts';
import { EARLIEST_EVENT_TIME, END_OF_EVENT_TIMES } from '../domain/event-time.ts';
import type { LogRow } from '../domain/report.ts';
import { MAX_TIMELINE_EVENTS, type TimelineEvents, type TimelineSubject } from '../domain/timeline.ts';
import type { Doc, FindOptions, StoreCollection } from './collection.ts';
import { COUNTED, type TimeWindow } from './pipelines.ts';
import { toLogRow } from './to-log-row.ts';

// A conversation's or a contact's events for its timeline. Every query starts with an equality on the subject
// (the conversation_ts or contact_ts index) and bounds `ts` after it, so one conversation among millions of
// events is read from the index, never by a scan. Pure builders first; both engines run exactly these.

/**
 * The equality on the subject, then the time bounds: the order of the conversation_ts / contact_ts keys. "All
 * time" is 2000 to 2100: a time no entrance accepts (stored before times were checked) is never read.
 */
export function timelineFilter(subject: TimelineSubject, window: Partial<TimeWindow> = {}): Doc {
  const ts = { $gte: window.from ?? EARLIEST_EVENT_TIME, $lt: window.to ?? END_OF_EVENT_TIMES };
  const field = subject.kind === 'conversation' ? 'conversationId' : 'contact.id';
  return { [field]: subject.id, ts, ...COUNTED };
}

/** The newest `limit` events of a subject, newest first (`_id` breaks ties, so the order is stable). */
export function timelineQuery(
  subject: TimelineSubject,
  window: Partial<TimeWindow>,
  limit: number,
): { filter: Doc; options: FindOptions } {
  return { filter: timelineFilter(subject, window), options: { sort: { ts: -1, _id: -1 }, limit } };
}

/** How many events a subject has in a window. */
export function countTimeline(subject: TimelineSubject, window: Partial<TimeWindow>): Doc[] {
  return [{ $match: timelineFilter(subject, window) }, { $group: { _id: null, count: { $sum: 1 } } }];
}

/** The contacts whose id or name (any case) is `value`, at most `limit`: for `contact:"Aisha Rahman"`. */
export function contactsNamed(value: string, limit: number): Doc[] {
  return [
    { $match: { 'keys.contact': value.toLowerCase() } },
    { $group: { _id: '$contact.id', name: { $max: '$contact.name' } } },
    { $sort: { _id: 1 } },
    { $limit: limit },
  ];
}

const countSchema = z.object({ count: z.number() });
const contactSchema = z.object({ _id: z.string(), name: z.string().nullish() });

async function firstOf(events: StoreCollection, filter: Doc, options: FindOptions): Promise<LogRow | null> {
  const doc = await events.findOne(filter, options);
  return doc ? toLogRow(doc) : null;
}

/**
 * A subject's events in a window (`{}`: all time), oldest first, with the events just before and after that
 * give the first and last their context. More than `cap` events: the latest `cap`, and `total` says how many.
 */
export async function readTimelineEvents(
  events: StoreCollection,
  subject: TimelineSubject,
  window: Partial<TimeWindow>,
  cap = MAX_TIMELINE_EVENTS,
): Promise<TimelineEvents> {
  const query = timelineQuery(subject, window, cap + 1);
  const newestFirst: LogRow[] = [];
  for await (const doc of events.find(query.filter, query.options)) newestFirst.push(toLogRow(doc));
  const cut = newestFirst.length > cap;
  const rows = newestFirst.slice(0, cap).reverse();
  const [total, before, after] = await Promise.all([
    cut
      ? events
          .aggregate(countTimeline(subject, window))
          .then((docs) => (docs[0] ? countSchema.parse(docs[0]).count : 0))
      : rows.length,
    cut
      ? (newestFirst[cap] ?? null)
      : window.from && rows.length > 0
        ? firstOf(events, timelineFilter(subject, { to: window.from }), { sort: { ts: -1, _id: -1 } })
        : null,
    window.to && rows.length > 0
      ? firstOf(events, timelineFilter(subject, { from: window.to }), { sort: { ts: 1, _id: 1 } })
      : null,
  ]);
  return { rows, total, before, after };
}

/** A contact's timeline reads by id; a name is first looked up among the stored contacts. */
export type ContactLookup =
  | { kind: 'found'; subject: TimelineSubject }
  | { kind: 'none' }
  | { kind: 'several'; contacts: Party[] };

/** How many contacts of one name are listed when a name is ambiguous. */
const MAX_NAMED_CONTACTS = 10;

/**
 * Which contact `contact:<value>` means: the id when one has events (an index lookup), otherwise the one
 * contact with that name; several of one name are listed so the user can pick an id. The name lookup has no
 * index of its own (names are matched in any case through `keys.contact`).
 */
export async function findContact(events: StoreCollection, value: string): Promise<ContactLookup> {
  const byId = await events.findOne({ 'contact.id': value });
  if (byId) return { kind: 'found', subject: { kind: 'contact', id: value } };
  const named = (await events.aggregate(contactsNamed(value, MAX_NAMED_CONTACTS + 1))).map((doc) =>
    contactSchema.parse(doc),
  );
  const [only, ...others] = named;
  if (!only) return { kind: 'none' };
  if (others.length === 0) return { kind: 'found', subject: { kind: 'contact', id: only._id } };
  return { kind: 'several', contacts: named.map((c) => ({ id: c._id, name: c.name ?? c._id })) };
}

/** What a timeline command reads: the events, or the contacts a name could mean. */
export type TimelineLookup =
  | { kind: 'events'; subject: TimelineSubject; events: TimelineEvents }
  | { kind: 'several'; contacts: Party[] };

/** The events of a conversation, or of a contact given by id or name, in a window (`{}`: all time). */
export async function readTimeline(
  events: StoreCollection,
  subject: TimelineSubject,
  window: Partial<TimeWindow>,
  cap = MAX_TIMELINE_EVENTS,
): Promise<TimelineLookup> {
  let resolved = subject;
  if (subject.kind === 'contact') {
    const contact = await findContact(events, subject.id);
    if (contact.kind === 'several') return contact;
    if (contact.kind === 'none')
      return { kind: 'events', subject, events: { rows: [], total: 0, before: null, after: null } };
    resolved = contact.subject;
  }
  return {
    kind: 'events',
    subject: resolved,
    events: await readTimelineEvents(events, resolved, window, cap),
  };
}
