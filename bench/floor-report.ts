import type { AssignmentEvent } from '../src/domain/event.ts';
import type { ResolvedRange } from '../src/domain/range.ts';

export interface FloorResult {
  total: number;
  previousTotal: number;
  /** `YYYY-MM-DD|source` → count */
  counts: Map<string, number>;
  latest: AssignmentEvent[];
}

/**
 * The same numbers the report shows, by a plain loop over plain objects: the least work a report can do,
 * to compare the engine against.
 */
export function floorReport(
  events: readonly AssignmentEvent[],
  range: ResolvedRange,
  logRows = 10,
): FloorResult {
  const day = new Intl.DateTimeFormat('en-CA', {
    timeZone: range.zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const from = range.from.getTime();
  const to = range.to.getTime();
  const previousFrom = range.comparison.from.getTime();
  const previousTo = range.comparison.to.getTime();
  const counts = new Map<string, number>();
  const inRange: AssignmentEvent[] = [];
  let previousTotal = 0;
  for (const e of events) {
    const t = e.timestamp.getTime();
    if (t >= from && t < to) {
      const key = `${day.format(e.timestamp)}|${e.source}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      inRange.push(e);
    } else if (t >= previousFrom && t < previousTo) previousTotal++;
  }
  inRange.sort(
    (a, b) => b.timestamp.getTime() - a.timestamp.getTime() || ((b.id ?? '') > (a.id ?? '') ? 1 : -1),
  );
  return { total: inRange.length, previousTotal, counts, latest: inRange.slice(0, logRows) };
}
