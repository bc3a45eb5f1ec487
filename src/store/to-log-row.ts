import { storedEventSchema } from '../domain/event.ts';
import type { LogRow } from '../domain/report.ts';
import type { Doc } from './collection.ts';

/** A stored event as a row of the assignment log, parsed at the boundary. */
export function toLogRow(doc: Doc): LogRow {
  const e = storedEventSchema.parse(doc);
  return {
    timestamp: e.ts,
    conversationId: e.conversationId,
    contact: e.contact,
    previousAssignee: e.previousAssignee,
    assignee: e.assignee,
    source: e.source,
    assignedBy: e.assignedBy,
  };
}
