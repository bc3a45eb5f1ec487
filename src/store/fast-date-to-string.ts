import { evalExpr } from 'mingo/core';
import { $dateToString as mingoDateToString } from 'mingo/operators/expression/date';
import type { AnyObject, Options } from 'mingo/types';

// mingo's $dateToString with an IANA zone is right but slow (~0.25 ms a document), and throws on `UTC`/`GMT`.
// Grouping by local day is the report's hot path, so the in-process engine answers that one shape,
// `{ format: '%Y-%m-%d', date, timezone }`, with a cached Intl formatter and leaves every other use to mingo.

const DAY_FORMAT = '%Y-%m-%d';
// Every zone offset in use is a whole number of quarter hours and changes on a quarter hour, so all instants
// in one UTC quarter hour share their local date.
const SLOT_MS = 15 * 60 * 1000;
const MAX_CACHED = 100_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
const days = new Map<string, Map<number, string>>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The local `YYYY-MM-DD` of an instant in an IANA zone. */
export function localDay(instant: Date, zone: string): string {
  const slot = Math.floor(instant.getTime() / SLOT_MS);
  let cache = days.get(zone);
  if (!cache || cache.size > MAX_CACHED) {
    cache = new Map();
    days.set(zone, cache);
  }
  const hit = cache.get(slot);
  if (hit !== undefined) return hit;
  let year = '';
  let month = '';
  let day = '';
  for (const part of formatterFor(zone).formatToParts(instant)) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  const text = `${year}-${month}-${day}`;
  cache.set(slot, text);
  return text;
}

function isDayArgs(value: unknown): value is { format: string; date: Date; timezone: string } {
  if (typeof value !== 'object' || value === null) return false;
  const { format, date, timezone } = value as Record<string, unknown>;
  return format === DAY_FORMAT && date instanceof Date && typeof timezone === 'string';
}

/** Drop-in `$dateToString` for mingo's Context: fast for local days, mingo's own for everything else. */
export function $dateToString(obj: AnyObject, expr: unknown, options: Options): unknown {
  const args = evalExpr(obj, expr, options);
  if (isDayArgs(args)) return localDay(args.date, args.timezone);
  return mingoDateToString(obj, expr, options);
}
