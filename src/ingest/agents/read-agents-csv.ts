import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, type Info, parse } from 'csv-parse';
import type { AgentRow } from '../../store/team-directory.ts';
import { agentRowSchema, MAX_AGENTS, type ParsedAgents } from './agent-rows.ts';

/** A problem with one cell of the file. `row` is the line number, the header being row 1, as spreadsheets count. */
export interface CsvProblem {
  row: number;
  /** The column as the file's header spells it; empty when the problem is the whole row or file. */
  column: string;
  message: string;
}

export type AgentsCsvResult = ParsedAgents<CsvProblem>;

/** The three columns, by their header name with case, spaces, `_` and `-` ignored. */
const COLUMNS = { agentid: 'id', agentname: 'name', team: 'team' } as const;
type Field = (typeof COLUMNS)[keyof typeof COLUMNS];
const COLUMN_NAMES: Record<Field, string> = { id: 'Agent ID', name: 'Agent Name', team: 'Team' };

const headerKey = (text: string): string => text.toLowerCase().replace(/[\s_-]+/g, '');

function isColumnKey(key: string): key is keyof typeof COLUMNS {
  return Object.hasOwn(COLUMNS, key);
}

/** `;` when the header line has more semicolons than commas outside quotes (spreadsheets in many locales). */
function detectDelimiter(headerLine: string): ',' | ';' {
  const unquoted = headerLine.replace(/"[^"]*"?/g, '');
  const count = (ch: string) => unquoted.split(ch).length - 1;
  return count(';') > count(',') ? ';' : ',';
}

const toBuffer = (chunk: Buffer | Uint8Array | string): Buffer =>
  typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);

/** The header line's text (enough to choose the delimiter) and every chunk, in order. */
async function peekHeader(
  input: AsyncIterable<Buffer | Uint8Array | string>,
): Promise<{ headerLine: string; chunks: AsyncIterable<Buffer> }> {
  const iterator = input[Symbol.asyncIterator]();
  const seen: Buffer[] = [];
  let head = '';
  while (!/[\r\n]/.test(head)) {
    const next = await iterator.next();
    if (next.done) break;
    const chunk = toBuffer(next.value);
    seen.push(chunk);
    head += chunk.toString('utf8');
  }
  async function* chunks(): AsyncGenerator<Buffer> {
    yield* seen;
    for (let next = await iterator.next(); !next.done; next = await iterator.next())
      yield toBuffer(next.value);
  }
  return { headerLine: head.split(/[\r\n]/, 1)[0] ?? '', chunks: chunks() };
}

interface Columns {
  index: Record<Field, number>;
  /** The header as written, for messages. */
  names: Record<Field, string>;
  width: number;
}

function readHeader(header: string[]): Columns | CsvProblem[] {
  const index: Partial<Record<Field, number>> = {};
  const names: Partial<Record<Field, string>> = {};
  const problems: CsvProblem[] = [];
  header.forEach((text, i) => {
    const key = headerKey(text);
    if (!isColumnKey(key)) return;
    const field = COLUMNS[key];
    if (index[field] !== undefined)
      problems.push({
        row: 1,
        column: text,
        message: `appears twice in the header; keep one ${COLUMN_NAMES[field]}`,
      });
    index[field] = i;
    names[field] = text;
  });
  for (const field of ['id', 'name', 'team'] as const) {
    if (index[field] === undefined)
      problems.push({
        row: 1,
        column: COLUMN_NAMES[field],
        message: `is missing from the header; the first line must name the columns Agent ID, Agent Name, Team (found: ${header.join(', ') || 'nothing'})`,
      });
  }
  const { id, name, team } = index;
  if (problems.length || id === undefined || name === undefined || team === undefined) return problems;
  return {
    index: { id, name, team },
    names: { id: names.id ?? 'Agent ID', name: names.name ?? 'Agent Name', team: names.team ?? 'Team' },
    width: header.length,
  };
}

/**
 * Reads an agents CSV (`Agent ID, Agent Name, Team`), all or nothing: every row is checked and any problem
 * (an empty cell, a wrong number of fields, an id given twice) rejects the whole file. Header names may use
 * any case and spacing; `,` or `;` (chosen from the header line), a BOM, quotes and CRLF are accepted.
 * Read errors of the stream itself are thrown, not reported as problems.
 */
export async function readAgentsCsv(
  input: AsyncIterable<Buffer | Uint8Array | string>,
): Promise<AgentsCsvResult> {
  const { headerLine, chunks } = await peekHeader(input);
  const delimiter = detectDelimiter(headerLine.replace(/^\uFEFF/, ''));
  const parser = parse({
    bom: true,
    delimiter,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
    info: true,
  });
  // Settles with the stream's own failure, if any; handled here so that an early return leaves nothing unhandled.
  const finished = pipeline(Readable.from(chunks), parser).then(
    () => undefined,
    (error: unknown) => error,
  );
  const problems: CsvProblem[] = [];
  const rows: AgentRow[] = [];
  const firstRow = new Map<string, number>();
  let columns: Columns | undefined;
  let dataRows = 0;
  let stoppedEarly = false;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      const { record, info } = item;
      const row = info.lines;
      if (!columns) {
        const header = readHeader(record);
        if (Array.isArray(header)) {
          problems.push(...header);
          stoppedEarly = true;
          break;
        }
        columns = header;
        continue;
      }
      // A row of empty cells (`;;` from a spreadsheet) is a blank line.
      if (record.every((cell) => cell === '')) continue;
      if (++dataRows > MAX_AGENTS) {
        problems.push({ row, column: '', message: `more than ${MAX_AGENTS} agents; split the file` });
        stoppedEarly = true;
        break;
      }
      if (record.length !== columns.width) {
        problems.push({
          row,
          column: '',
          message: `has ${record.length} fields but the header has ${columns.width}; put values that contain "${delimiter}" in double quotes`,
        });
        continue;
      }
      const parsed = agentRowSchema.safeParse({
        id: record[columns.index.id],
        name: record[columns.index.name],
        team: record[columns.index.team],
      });
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const field = issue.path[0];
          const column = field === 'id' || field === 'name' || field === 'team' ? columns.names[field] : '';
          problems.push({ row, column, message: issue.message });
        }
        continue;
      }
      const first = firstRow.get(parsed.data.id);
      if (first !== undefined) {
        problems.push({
          row,
          column: columns.names.id,
          message: `${parsed.data.id} is already on row ${first}`,
        });
        continue;
      }
      firstRow.set(parsed.data.id, row);
      rows.push(parsed.data);
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    problems.push({
      row: typeof error.lines === 'number' ? error.lines : 0,
      column: '',
      message: describeCsvError(error),
    });
  }
  const failure = await finished;
  // Stopping early aborts the rest of the stream: whatever it then reports is about text nobody needs.
  if (failure !== undefined && !stoppedEarly && !(failure instanceof CsvError)) throw failure;
  if (!columns && problems.length === 0)
    problems.push({
      row: 1,
      column: '',
      message: 'the file is empty; the first line must be Agent ID, Agent Name, Team',
    });
  else if (columns && rows.length === 0 && problems.length === 0)
    problems.push({ row: 2, column: '', message: 'the file has a header but no agents' });
  return problems.length ? { ok: false, problems } : { ok: true, rows };
}

function describeCsvError(error: CsvError): string {
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') return 'a quote is not closed; close it with another "';
  if (error.code === 'INVALID_OPENING_QUOTE' || error.code === 'CSV_INVALID_CLOSING_QUOTE')
    return 'a quote is in the wrong place; put the whole value in double quotes and double any quote inside it ("")';
  return error.message;
}
