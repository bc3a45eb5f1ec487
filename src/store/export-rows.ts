import { storedEventSchema } from '../domain/event.ts';
import type { ExportRow } from '../domain/export.ts';
import type { ReportFilters } from '../domain/filters.ts';
import type { Engine } from './collection.ts';
import { matchEvents, type TimeWindow } from './pipelines.ts';

/** Events per cursor round trip: enough to amortise the trip, few enough to hold. */
export const EXPORT_BATCH_SIZE = 1000;

// Only the log's columns are read: the filter keys, team and receipt time would double what every event costs
// to copy out of the engine (or across the worker thread) and to parse here.
const exportedSchema = storedEventSchema.pick({
  _id: true,
  ts: true,
  conversationId: true,
  contact: true,
  previousAssignee: true,
  assignee: true,
  source: true,
  assignedBy: true,
});
const PROJECTION: Record<string, 1> = Object.fromEntries(
  Object.keys(exportedSchema.shape).map((k) => [k, 1]),
);

/**
 * Every event of the log in a window that matches the filters, oldest first (`_id` breaks ties, so two exports
 * of the same data are the same file), read from a cursor in batches: what is held at once is one batch, never
 * the result. The sort is the `ts` index's order, so neither engine sorts the result.
 */
export async function* exportRows(
  engine: Pick<Engine, 'collection'>,
  collection: string,
  window: TimeWindow,
  filters: ReportFilters,
): AsyncGenerator<ExportRow> {
  const cursor = engine.collection(collection).find(matchEvents(window, filters), {
    sort: { ts: 1, _id: 1 },
    batchSize: EXPORT_BATCH_SIZE,
    projection: PROJECTION,
  });
  for await (const doc of cursor) {
    const e = exportedSchema.parse(doc);
    yield {
      eventId: e._id,
      timestamp: e.ts,
      conversationId: e.conversationId,
      contact: e.contact,
      previousAssignee: e.previousAssignee,
      assignee: e.assignee,
      source: e.source,
      assignedBy: e.assignedBy,
    };
  }
}
