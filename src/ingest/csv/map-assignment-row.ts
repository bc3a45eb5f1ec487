import { z } from 'zod';
import type { AssignmentEvent, Party } from '../../domain/event.ts';
import { eventTimeProblem } from '../../domain/event-time.ts';
import { parseSource, SOURCE_LABELS, SOURCES, type Source } from '../../domain/sources.ts';
import { CSV_COLUMNS, type CsvRecord, type RowProblem } from './columns.ts';
import { parseCsvTimestamp } from './parse-csv-timestamp.ts';
import { stripFormulaGuard } from './strip-formula-guard.ts';

export type MappedRow = { ok: true; event: AssignmentEvent } | { ok: false; problems: RowProblem[] };

const MAX_TEXT = 200;
/** Our own export writes what the store holds, and platform-scoped ids (`chatwoot:7:…`) run longer. */
const MAX_EXPORTED_TEXT = 420;
/** Cells that mean "nobody" in an assignee column. */
const NOBODY = new Set(['', '-', 'unassigned', 'none']);
const CSV_SOURCES = SOURCES.filter((s) => s !== 'unknown');
const EXPECTED_SOURCES = CSV_SOURCES.map((s) => SOURCE_LABELS[s]).join(', ');
/** The shapes of a stored key (src/store/event-key.ts): a sender's id, or a content hash. */
const EVENT_ID = /^(id|h):\S/;

/**
 * A row is one Handoff exported when it carries an Event ID. Such a row is what the store held, so it may say
 * what the Assignments report's log never does: the Unknown (webhook) source, or a User assignment whose user
 * the sender did not name.
 */
const isExported = (record: CsvRecord): boolean => (record.eventId ?? '').trim() !== '';

function textCell(max: number) {
  // The export's formula guard comes off before anything else, so "'-John" is read as "-John".
  return z.string().overwrite(stripFormulaGuard).trim().max(max, `is longer than ${max} characters`);
}

function sourceCell(exported: boolean) {
  return z.string().transform((text, ctx): Source => {
    const source = parseSource(stripFormulaGuard(text));
    if (!source || (source === 'unknown' && !exported)) {
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
}

const schemas = new Map<string, z.ZodType<AssignmentEvent>>();

/**
 * The row schema for one zone (timestamps without an offset are read in it) and kind of row (the seed's, or
 * one of our exports), built once each.
 */
function rowSchema(zone: string, exported: boolean): z.ZodType<AssignmentEvent> {
  const cacheKey = `${exported ? 'export' : 'seed'} ${zone}`;
  const cached = schemas.get(cacheKey);
  if (cached) return cached;
  const cell = textCell(exported ? MAX_EXPORTED_TEXT : MAX_TEXT);
  /** A display name, or null for nobody. The log names agents, it does not identify them: the name is the id. */
  const person = cell.transform((text): Party | null =>
    NOBODY.has(text.toLowerCase()) ? null : { id: text, name: text },
  );
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
      source: sourceCell(exported),
      assignedBy: person.optional().transform((p) => p ?? null),
      eventId: cell.optional().refine((v) => !v || EVENT_ID.test(v), {
        message: 'is not a key Handoff wrote (id:… or h:…); leave it blank for rows added by hand',
      }),
    })
    .superRefine((row, ctx) => {
      if (row.source === 'user' && !row.assignedBy && !exported)
        ctx.addIssue({
          code: 'custom',
          path: ['assignedBy'],
          message: 'is empty; a row with Source User must name the user who assigned it',
        });
    })
    .transform(
      (row): AssignmentEvent => ({
        ...(row.eventId ? { key: row.eventId } : {}),
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
  schemas.set(cacheKey, schema);
  return schema;
}

const LABELS = new Map<PropertyKey, string>(Object.entries(CSV_COLUMNS));

const columnOf = (path: readonly PropertyKey[]): string => LABELS.get(path[0] ?? '') ?? '';

/**
 * Maps one row of the assignments log to a canonical event, or to every problem it has. `row` is its number in
 * the file (the header is row 1); `zone` reads timestamps that carry no offset; a time before 2000 or more than a
 * day after `now` is a problem of the Timestamp column. Events get no `id`: the store
 * keys them by content, so importing the same file again finds duplicates only; a row of our own export keeps
 * the key in its Event ID, so importing an export finds the events it came from.
 */
export function mapAssignmentRow(record: CsvRecord, row: number, zone: string, now: Date): MappedRow {
  const result = rowSchema(zone, isExported(record)).safeParse(record);
  if (result.success) {
    const problem = eventTimeProblem(result.data.timestamp, now);
    if (problem) return { ok: false, problems: [{ row, column: CSV_COLUMNS.timestamp, message: problem }] };
    return { ok: true, event: result.data };
  }
  return {
    ok: false,
    problems: result.error.issues.map((issue) => ({
      row,
      column: columnOf(issue.path),
      message: issue.message,
    })),
  };
}
