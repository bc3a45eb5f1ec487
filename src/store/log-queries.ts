import { z } from 'zod';
import type { ReportFilters } from '../domain/filters.ts';
import { type LogPage, logPageOf } from '../domain/log-page.ts';
import type { LogRow } from '../domain/report.ts';
import type { StoreCollection } from './collection.ts';
import { countAll, matchEvents, type TimeWindow } from './pipelines.ts';
import { toLogRow } from './to-log-row.ts';

// The log behind the Log button: how many rows match, then one page of them, newest first. Pages are counted
// (skip/limit) rather than keyed, because a button carries a page number; the sort is the `ts` index's order
// and the skip never passes LOG_ROW_CAP, so neither engine sorts or skips far.

const totalSchema = z.object({ count: z.number() });

export interface LogPageRows {
  page: LogPage;
  rows: LogRow[];
}

/** Page `requested` of the log of a window and filters (clamped to the last page there is). */
export async function readLogPage(
  events: StoreCollection,
  window: TimeWindow,
  filters: ReportFilters,
  requested: number,
): Promise<LogPageRows> {
  const counted = await events.aggregate(countAll(window, filters));
  const page = logPageOf(counted[0] ? totalSchema.parse(counted[0]).count : 0, requested);
  if (page.limit === 0) return { page, rows: [] };
  const rows: LogRow[] = [];
  const cursor = events.find(matchEvents(window, filters), {
    sort: { ts: -1, _id: -1 },
    skip: page.offset,
    limit: page.limit,
  });
  for await (const doc of cursor) {
    rows.push(toLogRow(doc));
  }
  return { page, rows };
}
