import {
  addDays,
  addMonths,
  daysBetween,
  firstOfMonth,
  formatDate,
  type LocalDate,
  localDateOf,
  startOfLocalDay,
  wallClock,
  zonedWallClockToUtc,
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
  /** "Yesterday, Tue 1 Dec": the label without the year when every day is in the current year. */
  shortLabel: string;
  /** Set when the range holds the present moment: its days are counted so far, up to `at`. */
  soFar: SoFar | null;
  /** What the range is compared with: like with like (the same elapsed time, the month before). */
  comparison: Comparison;
}

/** The moment a range that holds the present is counted up to. */
export interface SoFar {
  at: Date;
  day: LocalDate;
  /** Local wall clock of `at`, `HH:mm:ss`. */
  time: string;
}

/** A half-open window of time a range is compared with, and how to say it ("yesterday to 09:41", "October"). */
export interface Comparison {
  firstDay: LocalDate;
  lastDay: LocalDate;
  from: Date;
  to: Date;
  label: string;
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

function describeDays(first: LocalDate, last: LocalDate, withYear = true): string {
  const day = withYear ? DAY : 'ddd D MMM';
  if (first === last) return formatDate(first, day);
  const sameYear = first.slice(0, 4) === last.slice(0, 4);
  return `${formatDate(first, sameYear ? 'ddd D MMM' : DAY)} – ${formatDate(last, day)}`;
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
  const name = rangeName(spec);
  const year = today.slice(0, 4);
  const from = startOfLocalDay(first, zone);
  const to = startOfLocalDay(addDays(last, 1), zone);
  const soFar =
    first <= today && today <= last && now >= from && now < to
      ? { at: now, day: today, time: wallClock(now, zone).time }
      : null;
  const withName = (dates: string) => (name ? `${name}, ${dates}` : dates);
  return {
    spec,
    zone,
    firstDay: first,
    lastDay: last,
    from,
    to,
    days,
    label: withName(describeDays(first, last)),
    shortLabel: withName(
      first.slice(0, 4) === year && last.slice(0, 4) === year
        ? describeDays(first, last, false)
        : describeDays(first, last),
    ),
    text: rangeText(spec),
    soFar,
    comparison: comparisonOf({ spec, first, last, days, zone, soFar, year }),
  };
}

const lastOfMonth = (date: LocalDate): LocalDate => addDays(addMonths(firstOfMonth(date), 1), -1);

/** The instant on `day` at the wall clock of `soFar` (the same time of day, as people compare it). */
export function sameTimeOn(day: LocalDate, soFar: SoFar, zone: string): Date {
  const exact = zonedWallClockToUtc(day, soFar.time, zone);
  if (exact) return exact;
  // That time does not exist on `day` (a DST gap): as long after its midnight as `at` is after its own.
  const elapsed = soFar.at.getTime() - startOfLocalDay(soFar.day, zone).getTime();
  return new Date(startOfLocalDay(day, zone).getTime() + elapsed);
}

/** "13–19 Nov", "28 Oct – 3 Nov", "Mon 30 Nov": the year only when it is not `year`. */
function spanLabel(first: LocalDate, last: LocalDate, year: string): string {
  const y = (d: LocalDate) => (d.slice(0, 4) === year ? '' : ' YYYY');
  if (first === last) return formatDate(first, `ddd D MMM${y(first)}`);
  if (first.slice(0, 7) === last.slice(0, 7))
    return `${formatDate(first, 'D')}–${formatDate(last, `D MMM${y(last)}`)}`;
  const firstYear = first.slice(0, 4) === last.slice(0, 4) ? '' : ' YYYY';
  return `${formatDate(first, `D MMM${firstYear}`)} – ${formatDate(last, `D MMM${y(last)}`)}`;
}

/**
 * Like with like: a calendar month against the month before (to the same day and time while it runs); a range
 * that holds the present against the same span before it up to the same time of day; any other range against
 * the same number of days just before it.
 */
function comparisonOf(input: {
  spec: RangeSpec;
  first: LocalDate;
  last: LocalDate;
  days: number;
  zone: string;
  soFar: SoFar | null;
  year: string;
}): Comparison {
  const { first, last, zone, soFar, year } = input;
  const window = (firstDay: LocalDate, lastDay: LocalDate, to: Date | undefined, label: string) => ({
    firstDay,
    lastDay,
    from: startOfLocalDay(firstDay, zone),
    to: to ?? startOfLocalDay(addDays(lastDay, 1), zone),
    label,
  });
  const until = (s: SoFar) => ` to ${s.time.slice(0, 5)}`;
  // A month, or days from its 1st: against the same days of the month before. One day is a day, though: the 1st
  // of December is compared with the 30th of November.
  const monthly =
    input.spec.kind === 'preset'
      ? input.spec.preset === 'this_month' || input.spec.preset === 'last_month'
      : input.days > 1;
  if (monthly && first === firstOfMonth(first) && last.slice(0, 7) === first.slice(0, 7)) {
    const month = addMonths(first, -1);
    const monthName = formatDate(month, month.slice(0, 4) === year ? 'MMMM' : 'MMMM YYYY');
    const end = soFar?.day ?? last;
    const cutDay = addMonths(end, -1);
    // The whole month, or a day the month before does not have (the 31st against a 30-day month): all of it.
    if (end === lastOfMonth(end) || cutDay.slice(8) !== end.slice(8))
      return window(month, lastOfMonth(month), undefined, monthName);
    if (soFar)
      return window(
        month,
        cutDay,
        sameTimeOn(cutDay, soFar, zone),
        `${spanLabel(month, cutDay, year)}${until(soFar)}`,
      );
    return window(month, cutDay, undefined, spanLabel(month, cutDay, year));
  }
  const prevFirst = addDays(first, -input.days);
  if (soFar) {
    const cutDay = addDays(soFar.day, -input.days);
    const label = input.days === 1 ? 'yesterday' : spanLabel(prevFirst, cutDay, year);
    return window(prevFirst, cutDay, sameTimeOn(cutDay, soFar, zone), `${label}${until(soFar)}`);
  }
  const prevLast = addDays(first, -1);
  return window(prevFirst, prevLast, undefined, spanLabel(prevFirst, prevLast, year));
}

/**
 * The same days a week earlier, for comparing each day with the same weekday: while the range holds the
 * present, its last compared day ends at the same time of day.
 */
export function weekEarlier(range: Pick<ResolvedRange, 'firstDay' | 'lastDay' | 'zone' | 'soFar'>): {
  from: Date;
  to: Date;
} {
  const { zone, soFar } = range;
  return {
    from: startOfLocalDay(addDays(range.firstDay, -7), zone),
    to: soFar
      ? sameTimeOn(addDays(soFar.day, -7), soFar, zone)
      : startOfLocalDay(addDays(range.lastDay, -6), zone),
  };
}

/** Every local day of a range, in order. */
export function daysOfRange(range: Pick<ResolvedRange, 'firstDay' | 'days'>): LocalDate[] {
  return Array.from({ length: range.days }, (_, i) => addDays(range.firstDay, i));
}
