import { pipeline, Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';

/** One record of the file as written, numbered as a spreadsheet numbers rows (the header is row 1). */
export interface CsvRow {
  row: number;
  fields: string[];
}

export interface CsvSource {
  /** The delimiter found in the header line: `,`, `;` or a tab. */
  delimiter: string;
  /** Rows one at a time, header first; the file is never held whole. */
  rows: AsyncGenerator<CsvRow>;
}

/** The file cannot be read as CSV from `row` on (an unclosed quote, UTF-16 text). */
export class CsvFormatError extends Error {
  constructor(
    readonly row: number,
    message: string,
  ) {
    super(message);
  }
}

const DELIMITERS = [',', ';', '\t'];
/**
 * The longest row read. A row of the log is a few hundred bytes; past this the parser would keep growing one
 * field (a 20 MB file without a line break took 28 s and held the event loop), so the row is reported instead.
 */
export const MAX_ROW_BYTES = 64 * 1024;
// The header line is looked for in the first MiB; a longer first line is not a header.
const HEAD_LIMIT = 1024 * 1024;

const toBuffer = (chunk: unknown): Buffer => (Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** The delimiter used most in the header line outside quotes (Excel writes `;` where `,` is the decimal mark). */
export function detectDelimiter(headerLine: string): string {
  const counts = new Map(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > (counts.get(best) ?? 0)) best = d;
  return best;
}

function headerLineOf(head: Buffer): string {
  const end = head.indexOf(0x0a);
  return head
    .subarray(0, end < 0 ? head.length : end)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
}

/** How many records the parser had completed when it failed (csv-parse puts its counters on the error). */
function recordsBefore(error: CsvError, fallback: number): number {
  const records: unknown = Reflect.get(error, 'records');
  return typeof records === 'number' && Number.isSafeInteger(records) ? records : fallback;
}

/**
 * Opens a CSV stream: reads just enough to find the header line and its delimiter, then parses the rest as it
 * arrives. Tolerates a UTF-8 BOM, CRLF, quoted fields with delimiters, quotes and line breaks, and stray quotes
 * inside unquoted fields.
 */
export async function openCsv(input: Readable): Promise<CsvSource> {
  const chunks = input[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let size = 0;
  let ended = false;
  for (;;) {
    const next = await chunks.next();
    if (next.done) {
      ended = true;
      break;
    }
    const buf = toBuffer(next.value);
    head.push(buf);
    size += buf.length;
    if (buf.includes(0x0a) || size > HEAD_LIMIT) break;
  }
  const first = Buffer.concat(head);
  if ((first[0] === 0xff && first[1] === 0xfe) || (first[0] === 0xfe && first[1] === 0xff)) {
    input.destroy();
    throw new CsvFormatError(1, 'the file is UTF-16 text; save or export it as "CSV UTF-8" and try again');
  }
  const delimiter = detectDelimiter(headerLineOf(first));

  async function* bytes(): AsyncGenerator<Buffer> {
    yield first;
    if (ended) return;
    for (;;) {
      const next = await chunks.next();
      if (next.done) return;
      yield toBuffer(next.value);
    }
  }

  async function* rows(): AsyncGenerator<CsvRow> {
    const parser = parse({
      delimiter,
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      max_record_size: MAX_ROW_BYTES,
    });
    const source = Readable.from(bytes(), { objectMode: false });
    // Errors reach the loop below through the parser, which pipeline destroys with them.
    pipeline(source, parser, () => {});
    let row = 0;
    try {
      for await (const record of parser) {
        row++;
        if (!isStringArray(record))
          throw new Error(`row ${row}: the CSV parser returned something else than text`);
        yield { row, fields: record };
      }
    } catch (error) {
      // The parser may be rows ahead of this loop: its own count says which row failed.
      const failed = error instanceof CsvError ? recordsBefore(error, row) + 1 : row + 1;
      if (error instanceof CsvError && error.code === 'CSV_MAX_RECORD_SIZE')
        throw new CsvFormatError(
          failed,
          `is longer than ${MAX_ROW_BYTES / 1024} KB, so it is not a row of the assignments log (a quote that is never closed, or a file without line breaks); nothing from here on was read`,
        );
      if (error instanceof CsvError)
        throw new CsvFormatError(failed, `the file is not valid CSV from here on (${error.message})`);
      throw error;
    } finally {
      source.destroy();
      input.destroy();
    }
  }

  return { delimiter, rows: rows() };
}
