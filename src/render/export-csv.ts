import type { Party } from '../domain/event.ts';
import type { ExportRow } from '../domain/export.ts';
import { SOURCE_LABELS } from '../domain/sources.ts';
import { offsetOf } from '../domain/time.ts';
import { CSV_COLUMNS } from '../ingest/csv/columns.ts';

// The export file, one pure function per part: the seed's columns plus Event ID, RFC 4180 quoting, CRLF line
// ends, UTF-8 with a BOM (without it Excel reads UTF-8 names as Windows-1252), and every field that a
// spreadsheet would run as a formula neutralised. The importer reads it back (src/ingest/csv).

/** Excel takes the file for UTF-8 only when it starts with this. */
export const UTF8_BOM = '\uFEFF';

/** The header: the seed's eight columns, then Event ID (the stored key, so that re-importing is exact). */
export const EXPORT_COLUMNS: readonly string[] = Object.values(CSV_COLUMNS);

// OWASP's CSV injection guidance: a cell starting with one of these is read as a formula (or, for tab and
// carriage return, can hide one), so it gets a leading apostrophe, which spreadsheets show as text. A value that
// already starts with apostrophes before one of them gets one more, so the importer, which takes exactly one
// off, gives back the value as it was (`'=x` → `''=x` → `'=x`).
const FORMULA_START = /^'*[=+\-@\t\r]/;
// Quoted whenever a reader splitting on `,`, on `;` (Excel where `,` is the decimal mark) or on a tab could cut
// the field: every piece of a quoted field is read as one cell, so none can start a formula on its own.
const NEEDS_QUOTES = /[",;\t\r\n]/;

/**
 * One field: neutralised against formulas, then quoted (quotes doubled) when it holds a comma, semicolon, tab,
 * quote or line break.
 */
export function csvField(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One CSV line with its CRLF. */
export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/** The start of the file: the BOM and the header line. */
export function exportHeader(): string {
  return UTF8_BOM + csvLine(EXPORT_COLUMNS);
}

const nameOf = (party: Party | null): string => party?.name ?? '';

/** One event as a line of the file, its time in `zone`. Nobody (an unassignment, no previous assignee) is blank. */
export function exportLine(row: ExportRow, zone: string): string {
  return csvLine([
    formatExportTimestamp(row.timestamp, zone),
    row.conversationId ?? '',
    row.contact.id,
    row.contact.name,
    nameOf(row.previousAssignee),
    nameOf(row.assignee),
    SOURCE_LABELS[row.source],
    nameOf(row.assignedBy),
    row.eventId,
  ]);
}

// Offsets, and their changes, fall on quarter hours: one lookup per zone and UTC quarter hour serves every
// event in it, so a million rows cost a few thousand Intl calls, not a million.
const SLOT_MS = 15 * 60_000;
const MAX_CACHED_SLOTS = 100_000;
const offsets = new Map<string, Map<number, { ms: number; text: string }>>();

function offsetAt(instant: Date, zone: string): { ms: number; text: string } {
  const slot = Math.floor(instant.getTime() / SLOT_MS);
  let cache = offsets.get(zone);
  if (!cache || cache.size > MAX_CACHED_SLOTS) {
    cache = new Map();
    offsets.set(zone, cache);
  }
  let offset = cache.get(slot);
  if (!offset) {
    const text = offsetOf(instant, zone);
    const sign = text.startsWith('-') ? -1 : 1;
    const ms = sign * (Number(text.slice(1, 3)) * 60 + Number(text.slice(4, 6))) * 60_000;
    offset = { ms, text };
    cache.set(slot, offset);
  }
  return offset;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * `2026-11-26 09:15:02.123 +08:00`: the wall clock in `zone` to the millisecond, with its offset written out, so
 * the instant is exact whatever zone reads it (the importer does, milliseconds included).
 */
export function formatExportTimestamp(instant: Date, zone: string): string {
  const offset = offsetAt(instant, zone);
  const wall = new Date(instant.getTime() + offset.ms);
  return (
    `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())} ` +
    `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}.` +
    `${pad(wall.getUTCMilliseconds(), 3)} ${offset.text}`
  );
}
