import type { ReportFilters } from './filters.ts';
import { daysOfRange, type ResolvedRange } from './range.ts';
import { percentages } from './report.ts';
import { SOURCE_LABELS, SOURCES } from './sources.ts';
import { addDays, formatDate } from './time.ts';

// The same range and filters as a report, grouped another way: per agent, team, source or local day, each row
// with its count, its share of the total and its change against what it is compared with: the report's
// comparison (range.comparison) for agents, teams and sources, the same weekday a week earlier for days.

export const GROUPINGS = ['agent', 'team', 'source', 'day'] as const;
export type Grouping = (typeof GROUPINGS)[number];

/** One group's count as the store returns it; `key` null is nobody (unassignments) or no team. */
export interface GroupCount {
  key: string | null;
  /** The group's display name where the events carry one (agents and teams). */
  name: string | null;
  count: number;
}

export interface LeaderboardRow {
  key: string | null;
  label: string;
  count: number;
  /** Whole percentages of the total that add up to 100 (largest remainder). */
  percent: number;
  /** The same group's count in the comparison; for days, the same weekday a week earlier (so far, for today). */
  previous: number;
  /** Days only: this row is today, counted so far. */
  soFar?: boolean;
}

export interface Leaderboard {
  grouping: Grouping;
  range: ResolvedRange;
  filters: ReportFilters;
  /**
   * Agents, teams and sources: most first, including those only the comparison had, and nobody (Unassigned,
   * No team) last. Days: in order.
   */
  rows: LeaderboardRow[];
  total: number;
  previousTotal: number;
  /** What `previous` counts: "Mon 30 Nov", "yesterday to 09:41", "the same days a week earlier to 09:41". */
  comparisonLabel: string;
  /** The command that reproduces the underlying report. */
  command: string;
}

function sourceLabel(key: string | null): string {
  const source = SOURCES.find((s) => s === key);
  return source ? SOURCE_LABELS[source] : (key ?? 'Unknown');
}

function labelOf(grouping: Grouping, key: string | null, name: string | null): string {
  if (grouping === 'source') return sourceLabel(key);
  if (key === null) return grouping === 'agent' ? 'Unassigned' : 'No team';
  return name ?? key;
}

/** Groups current and previous counts into rows with shares that sum to 100 and a previous count each. */
export function buildLeaderboard(input: {
  grouping: Grouping;
  range: ResolvedRange;
  filters: ReportFilters;
  current: readonly GroupCount[];
  previous: readonly GroupCount[];
  command: string;
}): Leaderboard {
  const { grouping, range } = input;
  const draft =
    grouping === 'day'
      ? dayRows(range, input.current, input.previous)
      : keyedRows(grouping, input.current, input.previous);
  const percents = percentages(draft.map((r) => r.count));
  const rows = draft.map((r, i) => ({ ...r, percent: percents[i] ?? 0 }));
  return {
    grouping,
    range,
    filters: input.filters,
    rows,
    total: input.current.reduce((sum, g) => sum + g.count, 0),
    previousTotal: input.previous.reduce((sum, g) => sum + g.count, 0),
    comparisonLabel:
      grouping === 'day'
        ? `the same days a week earlier${range.soFar ? ` to ${range.soFar.time.slice(0, 5)}` : ''}`
        : range.comparison.label,
    command: input.command,
  };
}

type Draft = Omit<LeaderboardRow, 'percent'>;

function keyedRows(
  grouping: Grouping,
  current: readonly GroupCount[],
  previous: readonly GroupCount[],
): Draft[] {
  const rows = new Map<string | null, Draft & { name: string | null }>();
  const entry = (g: GroupCount) => {
    let row = rows.get(g.key);
    if (!row) {
      row = { key: g.key, label: '', count: 0, previous: 0, name: null };
      rows.set(g.key, row);
    }
    row.name ??= g.name;
    return row;
  };
  for (const g of current) entry(g).count += g.count;
  for (const g of previous) entry(g).previous += g.count;
  return [...rows.values()]
    .map(({ name, ...row }) => ({ ...row, label: labelOf(grouping, row.key, name) }))
    .sort(
      (a, b) =>
        Number(a.key === null) - Number(b.key === null) ||
        b.count - a.count ||
        b.previous - a.previous ||
        a.label.localeCompare(b.label, 'en', { sensitivity: 'base' }),
    );
}

/** Every day of the range in order, each against the same weekday a week earlier (`previous` holds those days). */
function dayRows(
  range: ResolvedRange,
  current: readonly GroupCount[],
  previous: readonly GroupCount[],
): Draft[] {
  const countOn = (groups: readonly GroupCount[], day: string) =>
    groups.filter((g) => g.key === day).reduce((sum, g) => sum + g.count, 0);
  return daysOfRange(range).map((day) => ({
    key: day,
    label: formatDate(day, 'ddd D MMM YYYY'),
    count: countOn(current, day),
    previous: countOn(previous, addDays(day, -7)),
    ...(range.soFar?.day === day ? { soFar: true } : {}),
  }));
}
