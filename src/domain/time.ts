// The one module that extends dayjs. Everything zone-related goes through here so that no result depends on
// the host's own TZ.
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);
dayjs.extend(timezone);

export { dayjs };

/** A calendar date, `YYYY-MM-DD`, with no zone attached. Calendar arithmetic happens on these. */
export type LocalDate = string;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** True for a real calendar date such as 2026-02-28 (not 2026-02-30). */
export function isLocalDate(text: string): boolean {
  const m = DATE_RE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function toUtcMidnight(date: LocalDate): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new Error(`not a YYYY-MM-DD date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

function fromUtcMidnight(ms: number): LocalDate {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromUtcMidnight(toUtcMidnight(date) + days * MS_PER_DAY);
}

/** Number of calendar days from `a` to `b` (b - a). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return Math.round((toUtcMidnight(b) - toUtcMidnight(a)) / MS_PER_DAY);
}

export function firstOfMonth(date: LocalDate): LocalDate {
  return `${date.slice(0, 8)}01`;
}

export function addMonths(date: LocalDate, months: number): LocalDate {
  const t = new Date(toUtcMidnight(date));
  const target = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(t.getUTCDate(), lastDay));
  return fromUtcMidnight(target.getTime());
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: LocalDate): number {
  return new Date(toUtcMidnight(date)).getUTCDay();
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True when the runtime knows the IANA zone (also accepts UTC, GMT and fixed names such as Etc/GMT+5). */
export function isValidZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    partsFormatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock fields of an instant in a zone, via a cached Intl formatter (fast enough for 100k rows). */
export function wallClock(instant: Date, zone: string): { date: LocalDate; time: string } {
  const parts = partsFormatter(zone).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((p) => p.type === type)?.value ?? '00';
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    time: `${get('hour')}:${get('minute')}:${get('second')}`,
  };
}

// Every offset in use since the 1970s is a whole number of quarter hours and changes on a quarter hour, so all
// instants in one UTC quarter hour share their local date: grouping 100k events by day formats each slot once.
const SLOT_MS = 15 * 60 * 1000;
const MAX_CACHED_SLOTS = 100_000;
const dayCache = new Map<string, Map<number, LocalDate>>();

/** The local calendar date of an instant in a zone. */
export function localDateOf(instant: Date, zone: string): LocalDate {
  const slot = Math.floor(instant.getTime() / SLOT_MS);
  let cache = dayCache.get(zone);
  if (!cache || cache.size > MAX_CACHED_SLOTS) {
    cache = new Map();
    dayCache.set(zone, cache);
  }
  let date = cache.get(slot);
  if (date === undefined) {
    date = wallClock(instant, zone).date;
    cache.set(slot, date);
  }
  return date;
}

/** Offset of the zone at an instant in milliseconds (wall clock minus UTC), from Intl alone. */
function offsetMs(instant: number, zone: string): number {
  const { date, time } = wallClock(new Date(instant), zone);
  // Intl drops milliseconds, so compare against the instant's whole second.
  return Date.parse(`${date}T${time}Z`) - Math.floor(instant / 1000) * 1000;
}

const HOUR = 3_600_000;

/**
 * The first instant of a local calendar day. Where midnight does not exist (Santiago's spring-forward day),
 * this is the first instant that does; where it happens twice (Havana's fall-back day), the earlier one.
 */
export function startOfLocalDay(date: LocalDate, zone: string): Date {
  const midnight = toUtcMidnight(date);
  // Intl only, never dayjs.tz: dayjs reads wall clocks through the host's zone and guesses offsets from
  // Date.now(), so its answers moved with the server's TZ and the day the code ran.
  let start: number | undefined;
  for (const probe of [midnight - MS_PER_DAY, midnight, midnight + MS_PER_DAY]) {
    const t = midnight - offsetMs(probe, zone);
    const wall = wallClock(new Date(t), zone);
    if (wall.date === date && wall.time === '00:00:00' && (start === undefined || t < start)) start = t;
  }
  if (start !== undefined) return new Date(start);
  // Midnight was skipped: search for the first instant that is on `date`. Offsets lie within ±18 h.
  let before = midnight - 18 * HOUR;
  let onOrAfter = midnight + 18 * HOUR;
  while (onOrAfter - before > 1) {
    const mid = Math.floor((before + onOrAfter) / 2);
    if (localDateOf(new Date(mid), zone) >= date) onOrAfter = mid;
    else before = mid;
  }
  return new Date(onOrAfter);
}

/**
 * The start of `next`, the day after `day` (which starts at `start`): 24 hours later unless the offset changed,
 * checked with one Intl call; startOfLocalDay's search otherwise. (A 400-day range costs 2 ms instead of 40.)
 */
function nextDayStart(start: Date, day: LocalDate, next: LocalDate, zone: string): Date {
  const guess = new Date(start.getTime() + MS_PER_DAY);
  const wall = wallClock(guess, zone);
  const first = localDateOf(new Date(guess.getTime() - 1), zone) === day;
  return wall.date === next && wall.time === '00:00:00' && first ? guess : startOfLocalDay(next, zone);
}

/** A local day and the instant it starts. */
export interface LocalDayStart {
  day: LocalDate;
  start: Date;
}

/**
 * The local days of `zone` that `[from, to)` touches, in order, each with the instant it starts (the first may
 * start before `from`). A day that does not happen at all (Samoa skipped 30 Dec 2011) is left out: no instant
 * is on it.
 */
export function localDaysOf(from: Date, to: Date, zone: string): LocalDayStart[] {
  const out: LocalDayStart[] = [];
  let day = localDateOf(from, zone);
  let start = startOfLocalDay(day, zone);
  while (start < to) {
    const next = addDays(day, 1);
    const nextStart = nextDayStart(start, day, next, zone);
    if (nextStart > start) out.push({ day, start });
    day = next;
    start = nextStart;
  }
  return out;
}

function formatOffset(ms: number, separator: string): string {
  const minutes = Math.round(ms / 60_000);
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${minutes < 0 ? '-' : '+'}${hh}${separator}${mm}`;
}

/** Offset of the zone at an instant, as `+08:00`. */
export function offsetOf(instant: Date, zone: string): string {
  return formatOffset(offsetMs(instant.getTime(), zone), ':');
}

/** Formats an instant in a zone with a dayjs format string. */
export function formatInZone(instant: Date, zone: string, format: string): string {
  const offset = offsetMs(instant.getTime(), zone);
  // Format the shifted instant in UTC mode (no host zone involved) and write the offset tokens ourselves,
  // leaving `[escaped]` text alone as dayjs does.
  const withOffset = format.replace(/\[[^\]]*]|Z{1,2}/g, (token) =>
    token.startsWith('[') ? token : `[${formatOffset(offset, token === 'Z' ? ':' : '')}]`,
  );
  return dayjs.utc(instant.getTime() + offset).format(withOffset);
}

/** Formats a calendar date with a dayjs format string, without any zone. */
export function formatDate(date: LocalDate, format: string): string {
  return dayjs.utc(date).format(format);
}

// Offsets resolved per zone and wall-clock quarter hour: offsets and their changes fall on quarter hours, so
// every wall clock in one slot resolves alike (a log of 1M rows formats a few thousand slots, not 1M).
const GAP = Number.NaN;
const wallCache = new Map<string, Map<number, number>>();
const WALL_RE = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;

/** The offset (ms) that turns the wall clock `wall` (its fields read as UTC) into a real instant, or GAP. */
function resolveWallOffset(wall: number, zone: string): number {
  // Any instant showing `wall` lies within 18 h of it; probe a day either side as startOfLocalDay does.
  const offsets = new Set([
    offsetMs(wall - MS_PER_DAY, zone),
    offsetMs(wall, zone),
    offsetMs(wall + MS_PER_DAY, zone),
  ]);
  let best = GAP;
  for (const offset of offsets) {
    // The earlier of two instants has the larger offset.
    const valid = offsetMs(wall - offset, zone) === offset;
    if (valid && (Number.isNaN(best) || offset > best)) best = offset;
  }
  return best;
}

/**
 * The instant a wall clock (`YYYY-MM-DD`, `HH:mm[:ss[.SSS]]`) shows in a zone, from Intl alone (never dayjs.tz,
 * whose answers depend on the host's zone). A wall clock that happens twice (the hour repeated when clocks go
 * back) gives the earlier instant; one that never happens (the hour skipped when clocks go forward) gives
 * `undefined`, so the caller can say so rather than silently shift it.
 */
export function zonedWallClockToUtc(date: LocalDate, time: string, zone: string): Date | undefined {
  const t = WALL_RE.exec(time);
  if (!t || !isLocalDate(date)) throw new Error(`not a YYYY-MM-DD date and HH:mm[:ss] time: ${date} ${time}`);
  const [h, m, s] = [Number(t[1]), Number(t[2]), Number(t[3] ?? 0)];
  if (h > 23 || m > 59 || s > 59) throw new Error(`not a time of day: ${time}`);
  const millis = Number((t[4] ?? '').padEnd(3, '0').slice(0, 3));
  const wall = toUtcMidnight(date) + ((h * 60 + m) * 60 + s) * 1000;
  const slot = Math.floor(wall / SLOT_MS);
  let cache = wallCache.get(zone);
  if (!cache || cache.size > MAX_CACHED_SLOTS) {
    cache = new Map();
    wallCache.set(zone, cache);
  }
  let offset = cache.get(slot);
  if (offset === undefined) {
    offset = resolveWallOffset(wall, zone);
    cache.set(slot, offset);
  }
  return Number.isNaN(offset) ? undefined : new Date(wall + millis - offset);
}
