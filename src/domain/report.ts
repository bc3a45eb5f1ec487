import type { Party } from './event.ts';
import { filtersText, hasFilters, type ReportFilters } from './filters.ts';
import { daysOfRange, type ResolvedRange } from './range.ts';
import { SOURCE_LABELS, SOURCES, type Source } from './sources.ts';
import type { LocalDate } from './time.ts';

/** One row of the assignment log, with the seed's columns. */
export interface LogRow {
  timestamp: Date;
  conversationId: string | null;
  contact: Party;
  previousAssignee: Party | null;
  assignee: Party | null;
  source: Source;
  assignedBy: Party | null;
}

/** Counts per local day and source, as the store's grouping returns them. */
export interface DaySourceCount {
  day: LocalDate;
  source: Source;
  count: number;
}

export interface SourceShare {
  source: Source;
  label: string;
  count: number;
  /** Whole percentages that add up to 100 (largest remainder). */
  percent: number;
}

export interface Report {
  range: ResolvedRange;
  filters: ReportFilters;
  total: number;
  previousTotal: number;
  /** Every source in the seed's order, zeros included. */
  bySource: SourceShare[];
  /** Every day of the range in order, with a count per source. */
  byDay: { day: LocalDate; counts: Record<Source, number> }[];
  latest: LogRow[];
  /** Explanations the seed gives instead of an empty chart. */
  notices: string[];
  /** The command text that reproduces this report. */
  command: string;
}

/** Whole percentages summing to exactly 100 when total > 0. */
export function percentages(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return counts.map(() => 0);
  const raw = counts.map((c) => (c * 100) / total);
  const floors = raw.map(Math.floor);
  let left = 100 - floors.reduce((a, b) => a + b, 0);
  const order = raw
    .map((r, i) => ({ i, rest: r - Math.floor(r) }))
    .sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i] = (floors[i] ?? 0) + 1;
    left--;
  }
  return floors;
}

function zeroCounts(): Record<Source, number> {
  return Object.fromEntries(SOURCES.map((s) => [s, 0])) as Record<Source, number>;
}

/** Filters that cannot apply to what is asked, with the seed's wording. */
export function inapplicableFilters(filters: ReportFilters): string[] {
  const notices: string[] = [];
  if (filters.assignedBy.length > 0 && filters.sources.length > 0 && !filters.sources.includes('user')) {
    notices.push(
      'Not applicable here: `by:` (Assigned By User) only applies to assignments made by a User, and the source filter excludes User.',
    );
  }
  return notices;
}

/** The command words that reproduce a report. */
export function reproducingCommand(range: ResolvedRange, filters: ReportFilters): string {
  return ['/assignments', range.text, filtersText(filters)].filter(Boolean).join(' ');
}

/** Assembles a report from the store's grouped counts; pure, so every renderer shows the same numbers. */
export function buildReport(input: {
  range: ResolvedRange;
  filters: ReportFilters;
  counts: readonly DaySourceCount[];
  previousTotal: number;
  latest: LogRow[];
}): Report {
  const { range, filters } = input;
  const perDay = new Map(daysOfRange(range).map((day) => [day, zeroCounts()]));
  const perSource = zeroCounts();
  for (const { day, source, count } of input.counts) {
    const row = perDay.get(day);
    // A count outside the range's days would mean the store and the range disagree on the zone.
    if (!row) throw new Error(`day ${day} is outside ${range.firstDay}..${range.lastDay} (${range.zone})`);
    row[source] += count;
    perSource[source] += count;
  }
  const counts = SOURCES.map((s) => perSource[s]);
  const percents = percentages(counts);
  const total = counts.reduce((a, b) => a + b, 0);
  const notices = inapplicableFilters(filters);
  if (total === 0 && notices.length === 0) {
    notices.push(
      hasFilters(filters)
        ? `No applicable data: no assignments match \`${filtersText(filters)}\` in this range.`
        : 'No assignments in this range.',
    );
  }
  return {
    range,
    filters,
    total,
    previousTotal: input.previousTotal,
    bySource: SOURCES.map((source, i) => ({
      source,
      label: SOURCE_LABELS[source],
      count: counts[i] ?? 0,
      percent: percents[i] ?? 0,
    })),
    byDay: [...perDay].map(([day, c]) => ({ day, counts: c })),
    latest: input.latest,
    notices,
    command: reproducingCommand(range, filters),
  };
}
