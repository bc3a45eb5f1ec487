import { type ReportFilters, UNASSIGNED } from '../domain/filters.ts';
import type { Doc } from './collection.ts';
import { localDayOfTs } from './local-day.ts';

// Pure builders of the MongoDB queries the report runs. Both engines execute exactly these documents.

export interface TimeWindow {
  from: Date;
  to: Date;
}

const lower = (values: string[]): string[] => values.map((v) => v.toLowerCase());

/**
 * What every read of assignments adds: the log also keeps events that changed nothing (an assignee equal to the
 * previous one), which count nowhere. Stored events from before they were kept have no such field.
 */
export const COUNTED: Doc = { unchanged: { $ne: true } };

/** The `$match` for a half-open time window and the report's filters. */
export function matchEvents(window: TimeWindow, filters: ReportFilters): Doc {
  const and: Doc[] = [];
  if (filters.sources.length) and.push({ source: { $in: filters.sources } });
  if (filters.assignees.length) {
    const names = lower(filters.assignees.filter((a) => a !== UNASSIGNED));
    const wantsNobody = filters.assignees.includes(UNASSIGNED);
    const either: Doc[] = [];
    if (names.length) either.push({ 'keys.assignee': { $in: names } });
    // An unassignment's `keys.assignee` is empty: matched through the assignee index, as names are.
    if (wantsNobody) either.push({ 'keys.assignee': [] });
    and.push(either.length === 1 ? (either[0] ?? {}) : { $or: either });
  }
  if (filters.assignedBy.length) and.push({ 'keys.assignedBy': { $in: lower(filters.assignedBy) } });
  if (filters.contacts.length) and.push({ 'keys.contact': { $in: lower(filters.contacts) } });
  if (filters.conversations.length) and.push({ conversationId: { $in: filters.conversations } });
  if (filters.teams.length) and.push({ 'keys.team': { $in: lower(filters.teams) } });
  return { ts: { $gte: window.from, $lt: window.to }, ...COUNTED, ...(and.length ? { $and: and } : {}) };
}

/**
 * Counts per local day and source. The day comes from the local midnights Node computes for the window
 * (local-day.ts), never from a zone name on the server, so both engines agree with the range on every day.
 */
export function countByDayAndSource(window: TimeWindow, filters: ReportFilters, zone: string): Doc[] {
  return [
    { $match: matchEvents(window, filters) },
    {
      $group: {
        _id: { day: localDayOfTs(window, zone), source: '$source' },
        count: { $sum: 1 },
      },
    },
  ];
}

/** The total in a window. `$group` rather than `$count`, which mingo and MongoDB answer differently on empty input. */
export function countAll(window: TimeWindow, filters: ReportFilters): Doc[] {
  return [{ $match: matchEvents(window, filters) }, { $group: { _id: null, count: { $sum: 1 } } }];
}

/** The newest log rows, newest first; `_id` breaks ties so paging is stable. */
export function latestRows(window: TimeWindow, filters: ReportFilters, limit: number): Doc[] {
  return [{ $match: matchEvents(window, filters) }, { $sort: { ts: -1, _id: -1 } }, { $limit: limit }];
}

/** Which party field of the events a name filter matches. */
export const PARTY_FIELDS = {
  assignees: 'assignee',
  assignedBy: 'assignedBy',
  teams: 'team',
  contacts: 'contact',
} as const;

/**
 * The distinct parties (id and name) of one field in a window, for suggesting a name that matched nothing.
 * Only the time window: served by the `ts` index, like the report it follows.
 */
export function partiesInWindow(window: TimeWindow, field: keyof typeof PARTY_FIELDS): Doc[] {
  const path = PARTY_FIELDS[field];
  return [
    { $match: { ts: { $gte: window.from, $lt: window.to }, ...COUNTED } },
    { $group: { _id: { id: `$${path}.id`, name: `$${path}.name` } } },
  ];
}
