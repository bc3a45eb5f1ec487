import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { ExportRow } from '../../src/domain/export.ts';
import { mapHeader, recordOf } from '../../src/ingest/csv/columns.ts';
import { mapAssignmentRow } from '../../src/ingest/csv/map-assignment-row.ts';
import { parseCsvTimestamp } from '../../src/ingest/csv/parse-csv-timestamp.ts';
import { stripFormulaGuard } from '../../src/ingest/csv/strip-formula-guard.ts';
import {
  csvField,
  csvLine,
  EXPORT_COLUMNS,
  exportHeader,
  exportLine,
  formatExportTimestamp,
  UTF8_BOM,
} from '../../src/render/export-csv.ts';

const row = (overrides: Partial<ExportRow> = {}): ExportRow => ({
  eventId: 'id:evt-1',
  timestamp: new Date('2026-11-26T01:15:02.123Z'),
  conversationId: '88231',
  contact: { id: '1234567', name: 'Aisha Rahman' },
  previousAssignee: { id: 'u1', name: 'John Doe' },
  assignee: { id: 'u2', name: 'Mei Tan' },
  source: 'user',
  assignedBy: { id: 'u9', name: 'Sarah Lee' },
  ...overrides,
});

/** Parses CSV text as a spreadsheet-grade reader would, BOM included. */
const readBack = (text: string): string[][] => parse(text, { bom: true, relax_column_count: false });

/** Later than every row here. */
const NOW = new Date('2026-12-01T00:00:00Z');

describe('csvField: spreadsheet-safe fields', () => {
  it.each([
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+6012345678', "'+6012345678"],
    ['-John', "'-John"],
    ['@admin', "'@admin"],
    ['\tcmd', `"'\tcmd"`],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
  ])('neutralises %j with a leading apostrophe', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('neutralises a leading carriage return and quotes the field, since it holds a line break', () => {
    expect(csvField('\r=1+1')).toBe(`"'\r=1+1"`);
  });

  it('leaves alone what no spreadsheet runs: a formula character later on, or a digit first', () => {
    expect(csvField('John-Paul')).toBe('John-Paul');
    expect(csvField('a=b')).toBe('a=b');
    expect(csvField('2026-11-26 09:15:02.123 -05:00')).toBe('2026-11-26 09:15:02.123 -05:00');
    expect(csvField("O'Brien")).toBe("O'Brien");
    expect(csvField('')).toBe('');
  });

  it('quotes fields with a comma, a quote or a line break, doubling quotes', () => {
    expect(csvField('Lim, Chen')).toBe('"Lim, Chen"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
  });

  it('quotes fields with a semicolon or a tab, so a reader splitting on either sees one cell', () => {
    // Unquoted, Excel in a locale whose list separator is ";" would read `=1+1` as a cell of its own.
    expect(csvField(';=1+1;')).toBe('";=1+1;"');
    expect(csvField('a\t=1+1')).toBe('"a\t=1+1"');
    expect(readBack(csvLine([';=1+1;', 'x']))).toEqual([[';=1+1;', 'x']]);
    // A reader splitting on ";" keeps the quoted field whole too: no cell of it starts with "=".
    const bySemicolon: string[][] = parse(csvLine([';=1+1;', 'x']), { delimiter: ';', relax_quotes: true });
    expect(bySemicolon.flat().some((cell) => cell.startsWith('='))).toBe(false);
  });

  it('guards a value that already starts with apostrophes before a formula character with one more', () => {
    expect(csvField("'=x")).toBe("''=x");
    expect(csvField("''+1")).toBe("'''+1");
    expect(csvField("'plain")).toBe("'plain");
    for (const value of ["'=x", "''=x", "'@Mei", "'", "O'Brien", '=1', "'-"])
      expect(stripFormulaGuard(csvField(value).replace(/^"|"$/g, ''))).toBe(value);
  });

  it('keeps non-ASCII names as they are (the file is UTF-8)', () => {
    for (const name of ['Zoë Ünal', '陈伟', 'Nguyễn Văn An', 'محمد', '👩‍💻 Dev'])
      expect(csvField(name)).toBe(name);
  });
});

describe('the export file', () => {
  it('starts with a UTF-8 BOM, then the seed columns and Event ID, with CRLF line ends', () => {
    expect(EXPORT_COLUMNS).toEqual([
      'Timestamp',
      'Conversation ID',
      'Contact ID',
      'Contact Name',
      'Previous Assignee',
      'Assigned To',
      'Source',
      'Assigned By',
      'Event ID',
    ]);
    const header = exportHeader();
    expect(header.startsWith(UTF8_BOM)).toBe(true);
    expect(Buffer.from(header, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(header.endsWith('Assigned By,Event ID\r\n')).toBe(true);
    expect(csvLine(['a', 'b'])).toBe('a,b\r\n');
  });

  it('writes a row with its time in the zone, the source label, and blanks for nobody', () => {
    expect(exportLine(row(), 'Asia/Kuala_Lumpur')).toBe(
      '2026-11-26 09:15:02.123 +08:00,88231,1234567,Aisha Rahman,John Doe,Mei Tan,User,Sarah Lee,id:evt-1\r\n',
    );
    expect(
      exportLine(
        row({
          conversationId: null,
          previousAssignee: null,
          assignee: null,
          source: 'close_conversation',
          assignedBy: null,
        }),
        'UTC',
      ),
    ).toBe('2026-11-26 01:15:02.123 +00:00,,1234567,Aisha Rahman,,,Close Conversation,,id:evt-1\r\n');
  });

  it('reads back with csv-parse field for field, hostile names included', () => {
    const hostile = row({
      contact: { id: '-42', name: '=cmd|\' /C calc\'!A0, "quoted"\nnext line' },
      assignee: { id: 'x', name: '@Mei' },
      previousAssignee: { id: 'y', name: '+Priya' },
      assignedBy: { id: 'z', name: '-Sarah, Lee' },
    });
    const text = exportHeader() + exportLine(hostile, 'America/New_York');
    const [header, fields] = readBack(text);
    expect(header).toEqual([...EXPORT_COLUMNS]);
    expect(fields).toEqual([
      '2026-11-25 20:15:02.123 -05:00',
      '88231',
      "'-42",
      "'=cmd|' /C calc'!A0, \"quoted\"\nnext line",
      "'+Priya",
      "'@Mei",
      'User',
      "'-Sarah, Lee",
      'id:evt-1',
    ]);
    // Every field a spreadsheet would evaluate now starts with the apostrophe, and the importer takes it off.
    expect(fields?.map(stripFormulaGuard)).toEqual([
      '2026-11-25 20:15:02.123 -05:00',
      '88231',
      '-42',
      '=cmd|\' /C calc\'!A0, "quoted"\nnext line',
      '+Priya',
      '@Mei',
      'User',
      '-Sarah, Lee',
      'id:evt-1',
    ]);
  });

  it('imports back as the same event, with its key, through the importer’s own mapping', () => {
    const original = row({
      contact: { id: '1234567', name: '-John "JJ" Tan, Jr.' },
      source: 'unknown',
      assignedBy: null,
    });
    const [header = [], fields = []] = readBack(exportHeader() + exportLine(original, 'Asia/Kathmandu'));
    const layout = mapHeader(header);
    if (!layout.ok) throw new Error(JSON.stringify(layout.problems));
    const mapped = mapAssignmentRow(recordOf(fields, layout.layout), 2, 'UTC', NOW);
    expect(mapped).toEqual({
      ok: true,
      event: {
        key: 'id:evt-1',
        timestamp: original.timestamp,
        conversationId: '88231',
        contact: { id: '1234567', name: '-John "JJ" Tan, Jr.' },
        previousAssignee: { id: 'John Doe', name: 'John Doe' },
        assignee: { id: 'Mei Tan', name: 'Mei Tan' },
        source: 'unknown',
        assignedBy: null,
        team: null,
      },
    });
  });
});

describe('formatExportTimestamp', () => {
  const cases: [string, string, string][] = [
    ['2026-11-26T01:15:02.123Z', 'Asia/Kuala_Lumpur', '2026-11-26 09:15:02.123 +08:00'],
    ['2026-11-26T01:15:02.004Z', 'America/New_York', '2026-11-25 20:15:02.004 -05:00'],
    ['2026-07-01T12:00:00.000Z', 'America/New_York', '2026-07-01 08:00:00.000 -04:00'],
    ['2026-11-26T00:00:00.999Z', 'Asia/Kathmandu', '2026-11-26 05:45:00.999 +05:45'],
    // Sydney's clocks go back at 03:00 on 5 Apr 2026 (16:00 UTC the day before): the last instant before, the first after.
    ['2026-04-04T15:59:59.999Z', 'Australia/Sydney', '2026-04-05 02:59:59.999 +11:00'],
    ['2026-04-04T16:00:00.000Z', 'Australia/Sydney', '2026-04-05 02:00:00.000 +10:00'],
    ['2026-11-01T05:30:00.500Z', 'America/New_York', '2026-11-01 01:30:00.500 -04:00'],
    ['2026-11-01T06:30:00.500Z', 'America/New_York', '2026-11-01 01:30:00.500 -05:00'],
  ];

  it.each(cases)('%s in %s is %s', (iso, zone, expected) => {
    expect(formatExportTimestamp(new Date(iso), zone)).toBe(expected);
  });

  it.each(cases)(
    'reads back exactly, milliseconds included, whatever zone the import assumes (%s)',
    (iso, zone) => {
      const text = formatExportTimestamp(new Date(iso), zone);
      // The repeated hour when clocks go back (01:30 twice in New York) is told apart by its offset.
      expect(parseCsvTimestamp(text, 'Pacific/Auckland')).toEqual({ ok: true, instant: new Date(iso) });
    },
  );
});
