import { type LocalDayStart, localDaysOf } from '../domain/time.ts';
import type { TimeWindow } from './pipelines.ts';

// An event's local day, computed from the instants at which the window's local days start. Node computes those
// instants (with Intl, as it computes the range itself), and the expression only compares `$ts` with them, so
// both engines put every event on the same day by construction: no zone name ever reaches the server, whose tz
// data may be older than Node's, may not know a newer name, and reads names case-sensitively.

/**
 * An expression giving the local day (`YYYY-MM-DD`) of the date in `field` (`'$ts'`), for dates in a window whose
 * days are `days`: a balanced tree of `$cond`s on `$lt` against each day's start, so an event costs log2(days)
 * comparisons (9 for 400 days) on MongoDB. The in-process engine recognises the tree and answers it with one
 * binary search (fast-local-day.ts).
 */
export function localDayOf(field: string, days: readonly LocalDayStart[]): unknown {
  if (days.length === 0) return null;
  const build = (lo: number, hi: number): unknown => {
    if (hi - lo === 1) return days[lo]?.day ?? null;
    const mid = (lo + hi) >> 1;
    return { $cond: [{ $lt: [field, days[mid]?.start] }, build(lo, mid), build(mid, hi)] };
  };
  return build(0, days.length);
}

/** The local day of `$ts` for events in `window`, in `zone`. */
export function localDayOfTs(window: TimeWindow, zone: string): unknown {
  return localDayOf('$ts', localDaysOf(window.from, window.to, zone));
}
