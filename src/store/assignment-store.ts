import { z } from 'zod';
import {
  type AssignmentEvent,
  type Party,
  partyKeys,
  type StoredEvent,
  storedEventSchema,
} from '../domain/event.ts';
import type { ExportRow } from '../domain/export.ts';
import type { ReportFilters } from '../domain/filters.ts';
import type { GroupCount, Grouping } from '../domain/leaderboard.ts';
import type { ResolvedRange } from '../domain/range.ts';
import { buildReport, type DaySourceCount, type Report } from '../domain/report.ts';
import { SOURCES } from '../domain/sources.ts';
import type { TimelineSubject } from '../domain/timeline.ts';
import type { Doc, Engine, IndexSpec } from './collection.ts';
import { ensureIndexes, type IndexCheck, type IndexOptions, type IndexSet } from './ensure-indexes.ts';
import { eventKey } from './event-key.ts';
import { exportRows } from './export-rows.ts';
import { readGroupCounts } from './leaderboard-queries.ts';
import { type LogPageRows, readLogPage } from './log-queries.ts';
import { countAll, countByDayAndSource, latestRows, type TimeWindow } from './pipelines.ts';
import { AGENT_INDEXES, AGENTS, createTeamDirectory, type TeamDirectory } from './team-directory.ts';
import { readTimeline, type TimelineLookup } from './timeline-queries.ts';
import { toLogRow } from './to-log-row.ts';

export interface IngestSummary {
  accepted: number;
  duplicates: number;
  unchanged: number;
  /** Rows that completed an event already stored from a webhook instead of adding a second one. */
  enriched: number;
}

export type EventOrigin = 'webhook' | 'api' | 'csv';

export interface IngestOptions {
  /**
   * Match each event against one already stored from a webhook that did not know its source (same contact and
   * same new assignee within this many ms) and complete that event instead of adding another (CSV imports).
   */
  enrichWithinMs?: number;
  /** Where the events came from; only events that arrived by webhook can be enriched. */
  origin?: EventOrigin;
}

export const EVENTS = 'assignments';
export const CONTACT_STATE = 'contact_state';
/** Keys of rows that enriched an existing event, so importing the same file again finds them duplicates. */
export const EVENT_ALIASES = 'event_aliases';

/**
 * The events' indexes: one per query shape's leading equality, then `ts` and `_id`, so that every query is an
 * index range in the order it reads (no sort in memory) and only a whole-range report walks `ts` end to end.
 * test/store/query-shapes.test.ts checks every query the store issues against them. Idempotency needs none of
 * its own: the event key is the `_id`.
 */
export const EVENT_INDEXES: IndexSpec[] = [
  // Every report is a time range first: a whole range's counts, the newest-first log, the previous period.
  { name: 'ts', keys: { ts: -1, _id: -1 } },
  // A conversation's timeline and the conversation: filter.
  { name: 'conversation_ts_id', keys: { conversationId: 1, ts: -1, _id: -1 } },
  // A contact's timeline, the assignee before a late event (ingest) and enrichment.
  { name: 'contact_ts_id', keys: { 'contact.id': 1, ts: -1, _id: -1 } },
  // The filters by id or name in any case (assignee:, contact: by name, team:, by:) and a digest's team. Each
  // `keys.*` field is an array, so each has an index of its own: MongoDB refuses to store a document with
  // arrays in two fields of one index.
  { name: 'assignee_ts_id', keys: { 'keys.assignee': 1, ts: -1, _id: -1 } },
  { name: 'contact_keys_ts_id', keys: { 'keys.contact': 1, ts: -1, _id: -1 } },
  { name: 'team_ts_id', keys: { 'keys.team': 1, ts: -1, _id: -1 } },
  { name: 'assigned_by_ts_id', keys: { 'keys.assignedBy': 1, ts: -1, _id: -1 } },
  { name: 'source_ts_id', keys: { source: 1, ts: -1, _id: -1 } },
];

/** What the assignment store reads: the events, and the team directory it builds. */
export const ASSIGNMENT_INDEXES: IndexSet[] = [
  // Earlier versions created these without the `_id` tie-breaker; the ones above replace them.
  { collection: EVENTS, indexes: EVENT_INDEXES, retired: ['conversation_ts', 'contact_ts', 'assignee_ts'] },
  { collection: AGENTS, indexes: AGENT_INDEXES },
];

const partySchema = z.object({ id: z.string(), name: z.string() }).nullable();
const stateSchema = z.object({
  _id: z.string(),
  assignee: partySchema,
  at: z.date(),
  version: z.number(),
  lastKey: z.string(),
  lastPrevious: partySchema,
});
type ContactState = z.infer<typeof stateSchema>;

const countRowSchema = z.object({
  _id: z.object({ day: z.string(), source: z.enum(SOURCES) }),
  count: z.number(),
});
const totalRowSchema = z.object({ count: z.number() });

/** A party known only by name (CSV rows name agents, they do not identify them). */
const nameOnly = (p: Party): boolean => p.id === p.name;

/** Same assignee: the same id, or the same name when one side knows only the name. */
function sameAssignee(a: Party | null, b: Party | null): boolean {
  if (!a || !b) return a === b;
  if (a.id === b.id) return true;
  return (nameOnly(a) || nameOnly(b)) && a.name.toLowerCase() === b.name.toLowerCase();
}

/** Runs `work` over items with at most `limit` in flight. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(lanes);
}

type TeamOf = (agent: Party | null) => Party | null;

function toStored(
  event: AssignmentEvent,
  key: string,
  previous: Party | null,
  receivedAt: Date,
  teamOf: TeamOf,
  origin: EventOrigin | undefined,
): StoredEvent {
  // The team is fixed when the event arrives: moving an agent later does not rewrite history.
  const team = event.team ?? teamOf(event.assignee ?? previous);
  return {
    _id: key,
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
    receivedAt,
    ...(origin ? { origin } : {}),
  };
}

export interface AssignmentStore {
  /**
   * Checks the indexes and creates what is missing (ensure-indexes.ts); safe on every start, never throws for
   * an index: what it could not do is in the answer's notes.
   */
  init(options?: IndexOptions): Promise<IndexCheck>;
  ping(): Promise<void>;
  /** Records events: duplicates (known key) and unchanged assignees are counted, not stored. */
  ingest(events: AssignmentEvent[], options?: IngestOptions): Promise<IngestSummary>;
  report(range: ResolvedRange, filters: ReportFilters, logRows?: number): Promise<Report>;
  /** The whole log of a window matching the filters, oldest first, streamed from a cursor (export-rows.ts). */
  exportRows(window: TimeWindow, filters: ReportFilters): AsyncIterable<ExportRow>;
  /** A conversation's or contact's events in order, for its timeline; `{}` is all time (timeline-queries.ts). */
  timeline(subject: TimelineSubject, window: Partial<TimeWindow>): Promise<TimelineLookup>;
  /** One page of the log, newest first, and how many rows match (log-queries.ts). */
  logPage(window: TimeWindow, filters: ReportFilters, page: number): Promise<LogPageRows>;
  /** Counts per agent, team, source or local day of `zone` (leaderboard-queries.ts). */
  groupCounts(
    window: TimeWindow,
    filters: ReportFilters,
    grouping: Grouping,
    zone: string,
  ): Promise<GroupCount[]>;
  /** The agent-to-team directory that gives events without a team their assignee's team. */
  readonly agents: TeamDirectory;
  close(): Promise<void>;
}

/** The store over either engine; `now` stamps when an event was received. */
export function createAssignmentStore(engine: Engine, now: () => Date = () => new Date()): AssignmentStore {
  const events = engine.collection(EVENTS);
  const states = engine.collection(CONTACT_STATE);
  const aliases = engine.collection(EVENT_ALIASES);
  const directory = createTeamDirectory(engine);

  /**
   * Completes a stored webhook event with what a log row knows (source, Assigned By, conversation, previous
   * assignee) instead of storing the row as a second assignment. Answers whether one was found. The condition
   * on `enrichedBy` makes it happen once even when two imports race.
   */
  async function enrich(event: AssignmentEvent, key: string, withinMs: number): Promise<boolean> {
    const t = event.timestamp.getTime();
    const doc = await events.findOne(
      {
        'contact.id': event.contact.id,
        ts: { $gte: new Date(t - withinMs), $lte: new Date(t + withinMs) },
        origin: 'webhook',
        enrichedBy: { $exists: false },
        ...(event.assignee ? { 'keys.assignee': event.assignee.name.toLowerCase() } : { assignee: null }),
      },
      { sort: { ts: 1 } },
    );
    if (!doc) return false;
    const stored = storedEventSchema.parse(doc);
    const set: Doc = {
      source: event.source,
      assignedBy: event.assignedBy,
      'keys.assignedBy': partyKeys(event.assignedBy),
      conversationId: event.conversationId ?? stored.conversationId,
      previousAssignee:
        event.previousAssignee === undefined ? stored.previousAssignee : event.previousAssignee,
      enrichedBy: key,
    };
    const r = await events.updateOne({ _id: stored._id, enrichedBy: { $exists: false } }, { $set: set });
    if (r.matched === 0) return false;
    await aliases.updateOne({ _id: key }, { $setOnInsert: { eventId: stored._id } }, { upsert: true });
    return true;
  }

  async function readState(contactId: string): Promise<ContactState | null> {
    const doc = await states.findOne({ _id: contactId });
    return doc ? stateSchema.parse(doc) : null;
  }

  /** The assignee a contact had just before `at`, from the log (for events older than the contact's state). */
  async function assigneeBefore(contactId: string, at: Date): Promise<Party | null> {
    const doc = await events.findOne(
      { 'contact.id': contactId, ts: { $lt: at } },
      { sort: { ts: -1, _id: -1 } },
    );
    return doc ? storedEventSchema.parse(doc).assignee : null;
  }

  /**
   * Moves the contact's state from `state` to `next` only if nobody else moved it meanwhile (compare-and-set on
   * `version`), so two concurrent events for one contact cannot both see the same previous assignee.
   */
  async function advance(
    contactId: string,
    state: ContactState | null,
    next: Omit<ContactState, '_id' | 'version'>,
  ) {
    if (state) {
      const r = await states.updateOne(
        { _id: contactId, version: state.version },
        { $set: { ...next, version: state.version + 1 } },
      );
      return r.matched === 1;
    }
    const r = await states.updateOne(
      { _id: contactId },
      { $setOnInsert: { ...next, version: 1 } },
      { upsert: true },
    );
    return r.upserted;
  }

  async function store(doc: StoredEvent): Promise<boolean> {
    const r = await events.updateOne({ _id: doc._id }, { $setOnInsert: doc }, { upsert: true });
    return r.upserted;
  }

  /** One contact's events, oldest first, each against the state the one before left. */
  async function ingestContact(
    contactId: string,
    batch: { event: AssignmentEvent; key: string }[],
    initial: ContactState | null,
    summary: IngestSummary,
    teamOf: TeamOf,
    options: IngestOptions,
  ): Promise<void> {
    let state = initial;
    for (const { event, key } of batch) {
      if (options.enrichWithinMs !== undefined && (await enrich(event, key, options.enrichWithinMs))) {
        summary.enriched++;
        continue;
      }
      for (;;) {
        if (state && state.lastKey === key) {
          // The state moved for this very event but the event was not stored (a crash in between): finish it.
          if (await store(toStored(event, key, state.lastPrevious, now(), teamOf, options.origin)))
            summary.accepted++;
          else summary.duplicates++;
          break;
        }
        if (state && event.timestamp < state.at) {
          const before = await assigneeBefore(contactId, event.timestamp);
          // An explicit `null` ("nobody had it") is kept; only an omitted previous assignee comes from the log.
          const previous = event.previousAssignee === undefined ? before : event.previousAssignee;
          if (sameAssignee(before, event.assignee)) summary.unchanged++;
          else if (await store(toStored(event, key, previous, now(), teamOf, options.origin)))
            summary.accepted++;
          else summary.duplicates++;
          break;
        }
        const current = state?.assignee ?? null;
        if (sameAssignee(current, event.assignee)) {
          summary.unchanged++;
          break;
        }
        const previous = event.previousAssignee === undefined ? current : event.previousAssignee;
        const next = { assignee: event.assignee, at: event.timestamp, lastKey: key, lastPrevious: previous };
        if (await advance(contactId, state, next)) {
          state = { _id: contactId, ...next, version: (state?.version ?? 0) + 1 };
          if (await store(toStored(event, key, previous, now(), teamOf, options.origin))) summary.accepted++;
          else summary.duplicates++;
          break;
        }
        state = await readState(contactId);
      }
    }
  }

  return {
    init: (options) => ensureIndexes(engine, ASSIGNMENT_INDEXES, options),
    ping: () => engine.ping(),
    async ingest(input, options = {}) {
      const summary: IngestSummary = { accepted: 0, duplicates: 0, unchanged: 0, enriched: 0 };
      const seen = new Set<string>();
      const fresh: { event: AssignmentEvent; key: string }[] = [];
      for (const event of input) {
        const key = eventKey(event);
        if (seen.has(key)) summary.duplicates++;
        else {
          seen.add(key);
          fresh.push({ event, key });
        }
      }
      const known = new Set<string>();
      for await (const doc of events.find({ _id: { $in: [...seen] } })) known.add(String(doc._id));
      for await (const doc of aliases.find({ _id: { $in: [...seen] } })) known.add(String(doc._id));
      const byContact = new Map<string, { event: AssignmentEvent; key: string }[]>();
      for (const item of fresh) {
        if (known.has(item.key)) {
          summary.duplicates++;
          continue;
        }
        const list = byContact.get(item.event.contact.id) ?? [];
        list.push(item);
        byContact.set(item.event.contact.id, list);
      }
      const initial = new Map<string, ContactState>();
      for await (const doc of states.find({ _id: { $in: [...byContact.keys()] } })) {
        const state = stateSchema.parse(doc);
        initial.set(state._id, state);
      }
      const teamOf = await directory.snapshot();
      await eachLimited([...byContact], 16, ([contactId, list]) => {
        list.sort((a, b) => a.event.timestamp.getTime() - b.event.timestamp.getTime());
        return ingestContact(contactId, list, initial.get(contactId) ?? null, summary, teamOf, options);
      });
      return summary;
    },
    async report(range, filters, logRows = 10) {
      const window: TimeWindow = { from: range.from, to: range.to };
      const [counts, previous, latest] = await Promise.all([
        events.aggregate(countByDayAndSource(window, filters, range.zone)),
        events.aggregate(countAll(range.previous, filters)),
        events.aggregate(latestRows(window, filters, logRows)),
      ]);
      const grid: DaySourceCount[] = counts.map((doc) => {
        const row = countRowSchema.parse(doc);
        return { day: row._id.day, source: row._id.source, count: row.count };
      });
      return buildReport({
        range,
        filters,
        counts: grid,
        previousTotal: previous.length ? totalRowSchema.parse(previous[0]).count : 0,
        latest: latest.map(toLogRow),
      });
    },
    exportRows: (window, filters) => exportRows(engine, EVENTS, window, filters),
    timeline: (subject, window) => readTimeline(events, subject, window),
    logPage: (window, filters, page) => readLogPage(events, window, filters, page),
    groupCounts: (window, filters, grouping, zone) =>
      readGroupCounts(events, window, filters, grouping, zone),
    agents: directory,
    close: () => engine.close(),
  };
}
