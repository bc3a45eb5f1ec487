import type { DigestDefinition } from './digest.ts';
import {
  addDays,
  formatInZone,
  type LocalDate,
  localDateOf,
  wallClock,
  weekdayOf,
  zonedWallClockToUtc,
} from './time.ts';

// When each digest is due, as pure functions of its definition and an instant. The ticker asks every minute
// which digests are due; nothing here depends on cron, so downtime and DST gaps cannot make a day vanish.

/** A run starting more than this after its scheduled minute is recorded as missed instead of posted. */
export const MISSED_AFTER_MS = 12 * 60 * 60 * 1000;
/**
 * A run starting within this of its scheduled minute is on time: the ticker may fire a few seconds late and a
 * channel's queue can hold a digest for a while. Later than this it is marked delayed (catch-up).
 */
export const DELAY_GRACE_MS = 2 * 60 * 1000;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
// A weekdays-only digest due on Friday is still the latest occurrence on Monday morning: look back a week.
const LOOKBACK_DAYS = 7;

export type Schedule = Pick<DigestDefinition, 'at' | 'zone' | 'weekdaysOnly'>;
type Activity = Pick<DigestDefinition, 'paused' | 'createdAt'> & { resumedAt?: Date | null };

/** One scheduled posting of a digest: the local date it belongs to and the instant it is due. */
export interface Occurrence {
  localDate: LocalDate;
  scheduledAt: Date;
  /** The local time it runs instead when `at` does not exist that day (inside a DST gap), e.g. "03:00". */
  shiftedTo: string | null;
}

export interface DueRun extends Occurrence {
  /** How long after `scheduledAt` the instant asked about is. */
  lateMs: number;
  /** More than 12 h late: recorded as missed, not posted. */
  missed: boolean;
}

const isWeekend = (date: LocalDate): boolean => [0, 6].includes(weekdayOf(date));

/** Wall clock minus UTC at an instant, in ms. */
function offsetAt(instant: number, zone: string): number {
  const { date, time } = wallClock(new Date(instant), zone);
  return Date.parse(`${date}T${time}Z`) - Math.floor(instant / 1000) * 1000;
}

/**
 * The first instant whose local wall clock on `date` is at or past `at`: for a time inside a DST gap, the end of
 * the gap (02:30 in New York on the spring-forward day is 03:00 local).
 */
function endOfGap(date: LocalDate, at: string, zone: string): Date {
  const wall = Date.parse(`${date}T${at}:00Z`);
  const before = offsetAt(wall - DAY, zone);
  const after = offsetAt(wall + DAY, zone);
  // Between the two readings of the wall clock the local time only moves forward (the clocks jumped).
  let lo = Math.floor((wall - Math.max(before, after)) / MINUTE);
  let hi = Math.ceil((wall - Math.min(before, after)) / MINUTE);
  const target = `${date}T${at}`;
  const reached = (minute: number) => {
    const w = wallClock(new Date(minute * MINUTE), zone);
    return `${w.date}T${w.time.slice(0, 5)}` >= target;
  };
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (reached(mid)) hi = mid;
    else lo = mid;
  }
  return new Date(hi * MINUTE);
}

/** The digest's posting on a local date, or null when it does not post that day (weekends, weekdays-only). */
export function occurrenceOn(schedule: Schedule, date: LocalDate): Occurrence | null {
  if (schedule.weekdaysOnly && isWeekend(date)) return null;
  // A time that happens twice (clocks going back) is the earlier instant; the run key is the local date, so
  // the second 01:30 finds that day already claimed.
  const exact = zonedWallClockToUtc(date, schedule.at, schedule.zone);
  if (exact) return { localDate: date, scheduledAt: exact, shiftedTo: null };
  const shifted = endOfGap(date, schedule.at, schedule.zone);
  return {
    localDate: date,
    scheduledAt: shifted,
    shiftedTo: wallClock(shifted, schedule.zone).time.slice(0, 5),
  };
}

/** Occurrences before this instant are never due: a new or resumed digest starts with its next one. */
function activeSince(def: Activity): Date {
  const resumed = def.resumedAt ?? null;
  return resumed && resumed > def.createdAt ? resumed : def.createdAt;
}

/**
 * The latest occurrence at or before `now`, if the digest is active and that occurrence came after it was
 * created or resumed. Whether it was already delivered is the store's to say (the run key is the local date).
 */
export function dueRun(def: Schedule & Activity, now: Date): DueRun | null {
  if (def.paused) return null;
  const today = localDateOf(now, def.zone);
  for (let back = 0; back <= LOOKBACK_DAYS; back++) {
    const occurrence = occurrenceOn(def, addDays(today, -back));
    if (!occurrence || occurrence.scheduledAt > now) continue;
    if (occurrence.scheduledAt < activeSince(def)) return null;
    const lateMs = now.getTime() - occurrence.scheduledAt.getTime();
    return { ...occurrence, lateMs, missed: lateMs > MISSED_AFTER_MS };
  }
  return null;
}

/** The first occurrence after `now` (null while paused). */
export function nextRun(def: Schedule & Activity, now: Date): Occurrence | null {
  if (def.paused) return null;
  const from = new Date(Math.max(now.getTime() + 1, activeSince(def).getTime()));
  const today = localDateOf(from, def.zone);
  for (let ahead = 0; ahead <= LOOKBACK_DAYS + 1; ahead++) {
    const occurrence = occurrenceOn(def, addDays(today, ahead));
    if (occurrence && occurrence.scheduledAt >= from) return occurrence;
  }
  return null;
}

/** The next day within `horizonDays` on which `at` does not exist in the zone (a DST gap), if any. */
export function nextDstGap(schedule: Schedule, now: Date, horizonDays = 366): Occurrence | null {
  const today = localDateOf(now, schedule.zone);
  for (let ahead = 0; ahead <= horizonDays; ahead++) {
    const occurrence = occurrenceOn({ ...schedule, weekdaysOnly: false }, addDays(today, ahead));
    if (occurrence?.shiftedTo) return occurrence;
  }
  return null;
}

/** "2 h 5 min", "45 min", "3 h". */
export function formatDelay(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / MINUTE));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h ? `${h} h` : '', m ? `${m} min` : ''].filter(Boolean).join(' ');
}

/** "Thu 27 Nov 09:00 Asia/Kuala_Lumpur": an occurrence in its own zone. */
export function describeOccurrence(occurrence: Occurrence, zone: string): string {
  return `${formatInZone(occurrence.scheduledAt, zone, 'ddd D MMM HH:mm')} ${zone}`;
}
