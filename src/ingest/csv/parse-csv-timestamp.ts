import { isLocalDate, zonedWallClockToUtc } from '../../domain/time.ts';

export type ParsedTimestamp = { ok: true; instant: Date } | { ok: false; message: string };

// 2026-05-02 09:14[:07], 2026-05-02T09:14:07[.123][Z|+08|+0800|+08:00]
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
// 02/05/2026 09:14[:07], day first
const DMY = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?$/;
// May 2, 2026 9:14[:07] AM
const MDY_TEXT =
  /^([a-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap])\.?m\.?$/i;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const FULL_MONTHS = new Set([
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
  'sept',
]);

const FORMATS =
  'use 2026-05-02 09:14:07, 2026-05-02T09:14:07+08:00, 02/05/2026 09:14 (day first) or May 2, 2026 9:14 AM';

const pad = (n: number): string => String(n).padStart(2, '0');

function monthOf(name: string): number | undefined {
  const lower = name.toLowerCase();
  const index = MONTHS.indexOf(lower.slice(0, 3));
  if (index < 0 || (lower.length > 3 && !FULL_MONTHS.has(lower))) return undefined;
  return index + 1;
}

function offsetMinutes(text: string): number | undefined {
  if (text.toUpperCase() === 'Z') return 0;
  const digits = text.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || '0');
  if (hours > 14 || minutes > 59) return undefined;
  return (text.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  fraction: string;
  offset: string | undefined;
}

function fieldsOf(text: string): Fields | undefined {
  const iso = ISO.exec(text);
  if (iso)
    return {
      year: Number(iso[1]),
      month: Number(iso[2]),
      day: Number(iso[3]),
      hour: Number(iso[4]),
      minute: Number(iso[5]),
      second: Number(iso[6] ?? 0),
      fraction: iso[7] ?? '',
      offset: iso[8],
    };
  const dmy = DMY.exec(text);
  if (dmy)
    return {
      year: Number(dmy[3]),
      month: Number(dmy[2]),
      day: Number(dmy[1]),
      hour: Number(dmy[4]),
      minute: Number(dmy[5]),
      second: Number(dmy[6] ?? 0),
      fraction: '',
      offset: undefined,
    };
  const mdy = MDY_TEXT.exec(text);
  if (mdy) {
    const month = monthOf(mdy[1] ?? '');
    const hour12 = Number(mdy[4]);
    if (month === undefined || hour12 < 1 || hour12 > 12) return undefined;
    const pm = (mdy[7] ?? '').toLowerCase() === 'p';
    return {
      year: Number(mdy[3]),
      month,
      day: Number(mdy[2]),
      hour: (hour12 % 12) + (pm ? 12 : 0),
      minute: Number(mdy[5]),
      second: Number(mdy[6] ?? 0),
      fraction: '',
      offset: undefined,
    };
  }
  return undefined;
}

/**
 * Reads a log timestamp. One with an offset is that instant; one without is a wall clock in `zone`. A wall clock
 * repeated when clocks go back is the earlier instant; one skipped when they go forward is an error (the file
 * was exported in another zone, or the row was edited), never silently moved.
 */
export function parseCsvTimestamp(text: string, zone: string): ParsedTimestamp {
  const f = fieldsOf(text);
  if (!f) return { ok: false, message: `"${text}" is not a timestamp this import reads; ${FORMATS}` };
  // Far years are refused before any zone arithmetic, which only knows the calendar near ours.
  if (f.year < 1900 || f.year > 2999)
    return {
      ok: false,
      message: `"${text}" is not a plausible date: events are kept from 2000 to a day from now`,
    };
  const date = `${f.year}-${pad(f.month)}-${pad(f.day)}`;
  if (!isLocalDate(date)) {
    const hint = DMY.test(text) && f.month > 12 ? ' (dates with / are read day first, DD/MM/YYYY)' : '';
    return { ok: false, message: `"${text}" is not a real date${hint}` };
  }
  if (f.hour > 23 || f.minute > 59 || f.second > 59)
    return { ok: false, message: `"${text}" is not a real time of day` };
  const time = `${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}${f.fraction ? `.${f.fraction}` : ''}`;
  if (f.offset !== undefined) {
    const minutes = offsetMinutes(f.offset);
    if (minutes === undefined) return { ok: false, message: `"${text}" has an offset beyond ±14:59` };
    const millis = Number(f.fraction.padEnd(3, '0').slice(0, 3));
    const wall = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second, millis);
    return { ok: true, instant: new Date(wall - minutes * 60_000) };
  }
  const instant = zonedWallClockToUtc(date, time, zone);
  if (!instant)
    return {
      ok: false,
      message:
        `"${text}" never happened in ${zone}: the clocks went forward past it (daylight saving). ` +
        'Check the time zone the file was exported in, or write the offset, e.g. 2026-03-08T02:30:00-05:00',
    };
  return { ok: true, instant };
}
