import {
  addDays,
  addMonths,
  daysBetween,
  firstOfMonth,
  formatDate,
  type LocalDate,
  localDateOf,
  startOfLocalDay,
} from './time.ts';

export const PRESETS = [
  'today',
  'yesterday',
  'last_7_days',
  'last_14_days',
  'last_30_days',
  'this_month',
  'last_month',
] as const;
export type Preset = (typeof PRESETS)[number];

/** What the user asked for, before it is pinned to a clock and a zone. */
export type RangeSpec =
  | { kind: 'preset'; preset: Preset }
  | { kind: 'last_days'; days: number }
  | { kind: 'dates'; from: LocalDate; to: LocalDate };

/** A range pinned to a zone: whole local days, half-open in time `[from, to)`. */
export interface ResolvedRange {
  spec: RangeSpec;
  zone: string;
  /** First and last local day, inclusive. */
  firstDay: LocalDate;
  lastDay: LocalDate;
  from: Date;
  to: Date;
  days: number;
  /** "Yesterday, Wed 25 Nov 2026" */
  label: string;
  /** The range's canonical command text, e.g. `yesterday` or `2026-11-01..2026-11-15`. */
  text: string;
  /** The period of the same number of days just before. */
  previous: { firstDay: LocalDate; lastDay: LocalDate; from: Date; to: Date };
}

export const DEFAULT_RANGE: RangeSpec = { kind: 'preset', preset: 'last_7_days' };

const PRESET_DAYS: Partial<Record<Preset, number>> = { last_7_days: 7, last_14_days: 14, last_30_days: 30 };

function daysOf(spec: RangeSpec, today: LocalDate): { first: LocalDate; last: LocalDate } {
  switch (spec.kind) {
    case 'dates':
      return { first: spec.from, last: spec.to };
    case 'last_days':
      return { first: addDays(today, 1 - spec.days), last: today };
    case 'preset':
      switch (spec.preset) {
        case 'today':
          return { first: today, last: today };
        case 'yesterday':
          return { first: addDays(today, -1), last: addDays(today, -1) };
        case 'this_month':
          return { first: firstOfMonth(today), last: today };
        case 'last_month': {
          const first = addMonths(firstOfMonth(today), -1);
          return { first, last: addDays(firstOfMonth(today), -1) };
        }
        default: {
          const days = PRESET_DAYS[spec.preset] ?? 7;
          return { first: addDays(today, 1 - days), last: today };
        }
      }
  }
}

const DAY = 'ddd D MMM YYYY';

function describeDays(first: LocalDate, last: LocalDate): string {
  if (first === last) return formatDate(first, DAY);
  const sameYear = first.slice(0, 4) === last.slice(0, 4);
  return `${formatDate(first, sameYear ? 'ddd D MMM' : DAY)} – ${formatDate(last, DAY)}`;
}

function rangeName(spec: RangeSpec): string | undefined {
  if (spec.kind === 'last_days') return `Last ${spec.days} days`;
  if (spec.kind === 'dates') return undefined;
  const names: Record<Preset, string> = {
    today: 'Today',
    yesterday: 'Yesterday',
    last_7_days: 'Last 7 days',
    last_14_days: 'Last 14 days',
    last_30_days: 'Last 30 days',
    this_month: 'This month',
    last_month: 'Last month',
  };
  return names[spec.preset];
}

/** The command words that reproduce a range. */
export function rangeText(spec: RangeSpec): string {
  if (spec.kind === 'last_days') return `${spec.days}d`;
  if (spec.kind === 'dates') return spec.from === spec.to ? spec.from : `${spec.from}..${spec.to}`;
  return spec.preset.replaceAll('_', ' ');
}

/**
 * Pins a range to the local calendar of `zone` at `now`. Arithmetic happens on plain dates; only the
 * boundaries are converted to instants, so DST days are 23 or 25 hours long, as they are.
 */
export function resolveRange(spec: RangeSpec, now: Date, zone: string): ResolvedRange {
  const today = localDateOf(now, zone);
  const { first, last } = daysOf(spec, today);
  const days = daysBetween(first, last) + 1;
  const prevLast = addDays(first, -1);
  const prevFirst = addDays(first, -days);
  const name = rangeName(spec);
  const dates = describeDays(first, last);
  return {
    spec,
    zone,
    firstDay: first,
    lastDay: last,
    from: startOfLocalDay(first, zone),
    to: startOfLocalDay(addDays(last, 1), zone),
    days,
    label: name ? `${name}, ${dates}` : dates,
    text: rangeText(spec),
    previous: {
      firstDay: prevFirst,
      lastDay: prevLast,
      from: startOfLocalDay(prevFirst, zone),
      to: startOfLocalDay(first, zone),
    },
  };
}

/** Every local day of a range, in order. */
export function daysOfRange(range: Pick<ResolvedRange, 'firstDay' | 'days'>): LocalDate[] {
  return Array.from({ length: range.days }, (_, i) => addDays(range.firstDay, i));
}
