import { z } from 'zod';
import type { AssignmentEvent, Party } from '../../domain/event.ts';
import { parseSource, SOURCE_LABELS, SOURCES, type Source } from '../../domain/sources.ts';
import { CSV_COLUMNS, type CsvRecord, type RowProblem } from './columns.ts';
import { parseCsvTimestamp } from './parse-csv-timestamp.ts';

export type MappedRow = { ok: true; event: AssignmentEvent } | { ok: false; problems: RowProblem[] };

const MAX_TEXT = 200;
/** Cells that mean "nobody" in an assignee column. */
const NOBODY = new Set(['', '-', 'unassigned', 'none']);
const CSV_SOURCES = SOURCES.filter((s) => s !== 'unknown');
const EXPECTED_SOURCES = CSV_SOURCES.map((s) => SOURCE_LABELS[s]).join(', ');

const cell = z.string().trim().max(MAX_TEXT, `is longer than ${MAX_TEXT} characters`);

/** A display name, or null for nobody. The log names agents, it does not identify them: the name is the id. */
const person = cell.transform((text): Party | null =>
  NOBODY.has(text.toLowerCase()) ? null : { id: text, name: text },
);

const sourceCell = z.string().transform((text, ctx): Source => {
  const source = parseSource(text);
  if (!source || source === 'unknown') {
    ctx.addIssue({
      code: 'custom',
      message: text.trim()
        ? `"${text.trim()}" is not a source; expected one of ${EXPECTED_SOURCES}`
        : `is empty; expected one of ${EXPECTED_SOURCES}`,
    });
    return z.NEVER;
  }
  return source;
});

const schemas = new Map<string, z.ZodType<AssignmentEvent>>();

/** The row schema for one zone (timestamps without an offset are read in it), built once per zone. */
function rowSchema(zone: string): z.ZodType<AssignmentEvent> {
  const cached = schemas.get(zone);
  if (cached) return cached;
  const timestamp = z.string().transform((text, ctx): Date => {
    const trimmed = text.trim();
    if (!trimmed) {
      ctx.addIssue({ code: 'custom', message: 'is empty; every row needs the time of the assignment' });
      return z.NEVER;
    }
    const parsed = parseCsvTimestamp(trimmed, zone);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.message });
      return z.NEVER;
    }
    return parsed.instant;
  });
  const schema = z
    .object({
      timestamp,
      // Blank or "-": the row belongs to no conversation (a contact import, for one).
      conversationId: cell.optional().transform((v) => (v && v !== '-' ? v : null)),
      contactId: cell.min(1, "is empty; every row needs the contact's id"),
      contactName: cell.optional(),
      // Present but blank: nobody had it before (explicit). Column left out of the file: the store derives it.
      previousAssignee: person.optional(),
      // Blank: an unassignment, which counts as an assignment.
      assignee: person,
      source: sourceCell,
      assignedBy: person.optional().transform((p) => p ?? null),
    })
    .superRefine((row, ctx) => {
      if (row.source === 'user' && !row.assignedBy)
        ctx.addIssue({
          code: 'custom',
          path: ['assignedBy'],
          message: 'is empty; a row with Source User must name the user who assigned it',
        });
    })
    .transform(
      (row): AssignmentEvent => ({
        timestamp: row.timestamp,
        conversationId: row.conversationId,
        contact: { id: row.contactId, name: row.contactName || row.contactId },
        ...(row.previousAssignee === undefined ? {} : { previousAssignee: row.previousAssignee }),
        assignee: row.assignee,
        source: row.source,
        assignedBy: row.assignedBy,
        team: null,
      }),
    );
  schemas.set(zone, schema);
  return schema;
}

const LABELS = new Map<PropertyKey, string>(Object.entries(CSV_COLUMNS));

const columnOf = (path: readonly PropertyKey[]): string => LABELS.get(path[0] ?? '') ?? '';

/**
 * Maps one row of the assignments log to a canonical event, or to every problem it has. `row` is its number in
 * the file (the header is row 1); `zone` reads timestamps that carry no offset. Events get no `id`: the store
 * keys them by content, so importing the same file again finds duplicates only.
 */
export function mapAssignmentRow(record: CsvRecord, row: number, zone: string): MappedRow {
  const result = rowSchema(zone).safeParse(record);
  if (result.success) return { ok: true, event: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => ({
      row,
      column: columnOf(issue.path),
      message: issue.message,
    })),
  };
}
