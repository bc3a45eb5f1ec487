import { z } from 'zod';
import type { AssignmentEvent, Party } from '../domain/event.ts';
import type { ExportRow } from '../domain/export.ts';
import type { ReportFilters } from '../domain/filters.ts';
import type { GroupCount, Grouping } from '../domain/leaderboard.ts';
import type { ResolvedRange } from '../domain/range.ts';
import { buildReport, type DaySourceCount, type Report } from '../domain/report.ts';
import { SOURCES } from '../domain/sources.ts';
import type { TimelineSubject } from '../domain/timeline.ts';
import type { Engine, IndexSpec } from './collection.ts';
import { CONTACT_STATE, CONTACT_STATE_INDEXES } from './contact-state.ts';
import { ensureIndexes, type IndexCheck, type IndexOptions, type IndexSet } from './ensure-indexes.ts';
import { exportRows } from './export-rows.ts';
import { createIngest, type IngestOptions, type IngestSummary } from './ingest-events.ts';
import { readGroupCounts } from './leaderboard-queries.ts';
import { type LogPageRows, readLogPage } from './log-queries.ts';
import {
  countAll,
  countByDayAndSource,
  latestRows,
  type PARTY_FIELDS,
  partiesInWindow,
  type TimeWindow,
} from './pipelines.ts';
import {
  AGENT_INDEXES,
  AGENTS,
  createTeamDirectory,
  SEEN_TEAMS,
  type TeamDirectory,
} from './team-directory.ts';
import { readTimeline, type TimelineLookup } from './timeline-queries.ts';
import { toLogRow } from './to-log-row.ts';

export type { EventOrigin } from './plan-contact.ts';
export type { IngestOptions, IngestSummary };

export const EVENTS = 'assignments';
export { CONTACT_STATE } from './contact-state.ts';
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

/** What the assignment store reads: the events, the team directory it builds, and the contacts' states. */
export const ASSIGNMENT_INDEXES: IndexSet[] = [
  // Earlier versions created these without the `_id` tie-breaker; the ones above replace them.
  { collection: EVENTS, indexes: EVENT_INDEXES, retired: ['conversation_ts', 'contact_ts', 'assignee_ts'] },
  { collection: AGENTS, indexes: AGENT_INDEXES },
  { collection: CONTACT_STATE, indexes: CONTACT_STATE_INDEXES },
];

const countRowSchema = z.object({
  _id: z.object({ day: z.string(), source: z.enum(SOURCES) }),
  count: z.number(),
});
const totalRowSchema = z.object({ count: z.number() });
const partyRowSchema = z.object({ _id: z.object({ id: z.string().nullish(), name: z.string().nullish() }) });

export interface AssignmentStore {
  /**
   * Checks the indexes and creates what is missing (ensure-indexes.ts); safe on every start, never throws for
   * an index: what it could not do is in the answer's notes.
   */
  init(options?: IndexOptions): Promise<IndexCheck>;
  ping(): Promise<void>;
  /**
   * Records events in each contact's log in (time, key) order: duplicates (a known key) are not stored; an event
   * whose new assignee is its previous one is kept as unchanged and counts nowhere (assignment-chain.ts).
   */
  ingest(events: AssignmentEvent[], options?: IngestOptions): Promise<IngestSummary>;
  /**
   * Finishes decisions written before `before` and never carried out (a crash, or a failed batch nobody
   * resent); answers how many. The scheduler calls it every minute.
   */
  finishInterrupted(before: Date): Promise<number>;
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
  /** The distinct parties of one field (assignee, Assigned By, team, contact) in a window (pipelines.ts). */
  partiesIn(window: TimeWindow, field: keyof typeof PARTY_FIELDS): Promise<Party[]>;
  /** The agent-to-team directory that gives events without a team their assignee's team. */
  readonly agents: TeamDirectory;
  close(): Promise<void>;
}

export interface AssignmentStoreOptions {
  /** Told when a contact's stored state could not be read and was rebuilt from its log. */
  onRepair?: (contactId: string, problem: string) => void;
}

/** The store over either engine; `now` stamps when an event was received and bounds the times it reads. */
export function createAssignmentStore(
  engine: Engine,
  now: () => Date = () => new Date(),
  options: AssignmentStoreOptions = {},
): AssignmentStore {
  const events = engine.collection(EVENTS);
  const states = engine.collection(CONTACT_STATE);
  const aliases = engine.collection(EVENT_ALIASES);
  const directory = createTeamDirectory(engine);

  const { ingest, finishInterrupted } = createIngest({
    events,
    states,
    aliases,
    teams: engine.collection(SEEN_TEAMS),
    snapshot: (parties) => directory.snapshot(parties),
    now,
    ...(options.onRepair ? { onRepair: options.onRepair } : {}),
  });

  return {
    init: (options) => ensureIndexes(engine, ASSIGNMENT_INDEXES, options),
    ping: () => engine.ping(),
    ingest,
    finishInterrupted,
    async report(range, filters, logRows = 10) {
      const window: TimeWindow = { from: range.from, to: range.to };
      const [counts, previous, latest] = await Promise.all([
        events.aggregate(countByDayAndSource(window, filters, range.zone)),
        events.aggregate(countAll(range.comparison, filters)),
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
    async partiesIn(window, field) {
      const docs = await events.aggregate(partiesInWindow(window, field));
      return docs.flatMap((doc) => {
        const { id, name } = partyRowSchema.parse(doc)._id;
        return id ? [{ id, name: name ?? id }] : [];
      });
    },
    agents: directory,
    close: () => engine.close(),
  };
}
