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

const EVENT_INDEXES: IndexSpec[] = [
  // Every report is a time range first: the range $match, the newest-first log and the previous-period total.
  { name: 'ts', keys: { ts: -1, _id: -1 } },
  // Conversation ID filter and a conversation's history, in order.
  { name: 'conversation_ts', keys: { conversationId: 1, ts: 1 } },
  // The assignee a contact had before a late event (ingest), and a contact's history.
  { name: 'contact_ts', keys: { 'contact.id': 1, ts: -1 } },
  // Assigned To filter by id or name. Idempotency needs no index of its own: the event key is the _id.
  { name: 'assignee_ts', keys: { 'keys.assignee': 1, ts: -1 } },
];

const countRowSchema = z.object({
  _id: z.object({ day: z.string(), source: z.enum(SOURCES) }),
  count: z.number(),
});
const totalRowSchema = z.object({ count: z.number() });
const partyRowSchema = z.object({ _id: z.object({ id: z.string().nullish(), name: z.string().nullish() }) });

export interface AssignmentStore {
  /** Creates the indexes; safe to call on every start. */
  init(): Promise<void>;
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
    async init() {
      await events.createIndexes(EVENT_INDEXES);
      await states.createIndexes(CONTACT_STATE_INDEXES);
      await engine.collection(AGENTS).createIndexes(AGENT_INDEXES);
    },
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
