import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { AssignmentEvent } from '../../domain/event.ts';
import { isValidZone } from '../../domain/time.ts';
import type { AssignmentStore } from '../../store/assignment-store.ts';
import { type CsvLayout, mapHeader, type RowProblem, recordOf, SEED_HEADER } from './columns.ts';
import { formatCsvLine } from './format-csv-line.ts';
import { mapAssignmentRow } from './map-assignment-row.ts';
import { CsvFormatError, openCsv } from './read-csv-rows.ts';

/** A log row completes a webhook event for the same contact and new assignee up to 2 minutes apart. */
export const ENRICH_WITHIN_MS = 120_000;
/** Problems listed in a summary; the rest are counted. */
export const MAX_LISTED_PROBLEMS = 50;

export interface CsvImportProgress {
  /** `check` reads the whole file before anything is stored (all-or-nothing mode); `import` stores. */
  phase: 'check' | 'import';
  rows: number;
  done: boolean;
}

export interface CsvImportDeps {
  store: Pick<AssignmentStore, 'ingest'>;
  /** The clock row times are checked against (at most a day ahead of it); the real one by default. */
  now?: () => Date;
  /** Called every `batchSize` rows of each pass and once at its end. */
  onProgress?: (progress: CsvImportProgress) => void;
}

export interface CsvImportOptions {
  /** IANA zone for timestamps without an offset. */
  timezone: string;
  /** Import the good rows and reject the bad ones, instead of importing nothing when a row is bad. */
  skipInvalid: boolean;
  /** Where rejected rows go (skipInvalid only), as CSV with an Error column; opened at the first rejected row. */
  rejectedOutput?: () => Writable;
  batchSize?: number;
  /**
   * Aborted to stop (SIGTERM, after the server's grace period): the import stores the rows it has read, as one
   * last batch, and stops there; the summary says after which row. Nothing is stored when it stops while
   * checking.
   */
  signal?: AbortSignal;
}

export interface CsvImportSummary {
  /** False when nothing was imported because rows are bad, or the file could not be read (header, format). */
  ok: boolean;
  /** The zone timestamps without an offset were read in. */
  timezone: string;
  /** Data rows read (blank lines are not rows). */
  rows: number;
  new: number;
  enriched: number;
  duplicates: number;
  unchanged: number;
  rejected: number;
  /** Agent names several agents of the team directory share: those rows keep the name, not an agent's id. */
  ambiguousNames: string[];
  /** The first 50 problems, each with its row and column. */
  problems: RowProblem[];
  moreProblems: number;
  /**
   * Set when the import was stopped before the end of the file: in which pass, and the last row (as a spreadsheet
   * numbers them) that was stored or rejected; rows after it were not read. A check stopped stores nothing.
   */
  stopped?: { phase: 'check' | 'import'; afterRow: number };
}

type Mapped =
  | { kind: 'header'; fields: string[]; delimiter: string }
  | { kind: 'event'; row: number; event: AssignmentEvent }
  | { kind: 'invalid'; row: number; fields: string[]; problems: RowProblem[] }
  | { kind: 'fatal'; problems: RowProblem[] };

function widthProblem(fields: string[], layout: CsvLayout, row: number): RowProblem | undefined {
  // Strict even about blank extra fields: an unquoted "Lim, Chen" shifts every later cell by one.
  if (fields.length === layout.width) return undefined;
  return {
    row,
    column: '',
    message:
      `has ${fields.length} fields but the header has ${layout.width}; ` +
      'a field is missing, or a value containing the delimiter is not in double quotes',
  };
}

/** The file's rows mapped one at a time. A header or format problem ends it with `fatal`. */
async function* mapFile(input: Readable, zone: string, now: Date): AsyncGenerator<Mapped> {
  let layout: CsvLayout | undefined;
  try {
    const source = await openCsv(input);
    for await (const { row, fields } of source.rows) {
      if (!layout) {
        const header = mapHeader(fields);
        if (!header.ok) {
          yield { kind: 'fatal', problems: header.problems };
          return;
        }
        layout = header.layout;
        yield { kind: 'header', fields, delimiter: source.delimiter };
        continue;
      }
      if (fields.every((f) => f.trim() === '')) continue;
      const width = widthProblem(fields, layout, row);
      if (width) {
        yield { kind: 'invalid', row, fields, problems: [width] };
        continue;
      }
      const mapped = mapAssignmentRow(recordOf(fields, layout), row, zone, now);
      yield mapped.ok
        ? { kind: 'event', row, event: mapped.event }
        : { kind: 'invalid', row, fields, problems: mapped.problems };
    }
  } catch (error) {
    if (!(error instanceof CsvFormatError)) throw error;
    yield { kind: 'fatal', problems: [{ row: error.row, column: '', message: error.message }] };
    return;
  }
  if (!layout)
    yield {
      kind: 'fatal',
      problems: [{ row: 1, column: '', message: `the file is empty; expected a header row: ${SEED_HEADER}` }],
    };
}

interface Tally {
  ambiguous: Set<string>;
  counts: {
    rows: number;
    new: number;
    enriched: number;
    duplicates: number;
    unchanged: number;
    rejected: number;
  };
  addProblems(problems: RowProblem[]): void;
  /** The pass and last row handled when a stop was asked for. */
  stopped: CsvImportSummary['stopped'];
  summary(ok: boolean): CsvImportSummary;
}

function tally(timezone: string): Tally {
  const counts = { rows: 0, new: 0, enriched: 0, duplicates: 0, unchanged: 0, rejected: 0 };
  const listed: RowProblem[] = [];
  const ambiguous = new Set<string>();
  let more = 0;
  const t: Tally = {
    ambiguous,
    counts,
    addProblems(problems) {
      for (const p of problems) {
        if (listed.length < MAX_LISTED_PROBLEMS) listed.push(p);
        else more++;
      }
    },
    stopped: undefined,
    summary: (ok) => ({
      ok: ok && !t.stopped,
      timezone,
      ...counts,
      ambiguousNames: [...ambiguous].sort(),
      problems: listed,
      moreProblems: more,
      ...(t.stopped ? { stopped: t.stopped } : {}),
    }),
  };
  return t;
}

const describeProblems = (problems: RowProblem[]): string =>
  problems.map((p) => (p.column ? `${p.column}: ${p.message}` : p.message)).join('; ');

/**
 * A rejected row with its problems in the Error column, padded to the header's width; a file of rejected rows
 * that is fixed and imported again reuses its Error column instead of adding another.
 */
function withError(fields: string[], header: string[], error: string): string[] {
  const at = header.findIndex((h) => h.trim().toLowerCase() === 'error');
  const cells = [...fields, ...Array<string>(Math.max(0, header.length - fields.length)).fill('')];
  if (at < 0) return [...cells, error];
  cells[at] = error;
  return cells;
}

/** Writes rejected rows as CSV in the input's delimiter, opening the output at the first one. */
function rejectedWriter(open: (() => Writable) | undefined) {
  let out: Writable | undefined;
  let failure: Error | undefined;
  const write = async (text: string) => {
    if (!out) return;
    // Kept and rethrown here: an 'error' event with no listener would end the process.
    if (failure) throw failure;
    if (!out.write(text)) await once(out, 'drain');
  };
  return {
    async add(fields: string[], header: string[], delimiter: string, problems: RowProblem[]) {
      if (!open) return;
      if (!out) {
        out = open();
        out.on('error', (error) => {
          failure = error;
        });
        await write(formatCsvLine(withError(header, header, 'Error'), delimiter));
      }
      await write(formatCsvLine(withError(fields, header, describeProblems(problems)), delimiter));
    },
    async close() {
      if (!out) return;
      if (failure) throw failure;
      out.end();
      await finished(out);
    },
    abort: () => out?.destroy(),
  };
}

type Progress = (phase: CsvImportProgress['phase'], done: boolean) => void;

/** The all-or-nothing check: reads every row and stores nothing. Answers whether the file can be imported. */
async function checkFile(
  input: Readable,
  zone: string,
  now: Date,
  t: Tally,
  progress: Progress,
  every: number,
  signal: AbortSignal | undefined,
) {
  let fatal = false;
  let lastRow = 1;
  for await (const item of mapFile(input, zone, now)) {
    if (signal?.aborted) {
      t.stopped = { phase: 'check', afterRow: lastRow };
      break;
    }
    if (item.kind === 'header') continue;
    if (item.kind === 'fatal') {
      fatal = true;
      t.addProblems(item.problems);
      continue;
    }
    t.counts.rows++;
    lastRow = item.row;
    if (item.kind === 'invalid') {
      t.counts.rejected++;
      t.addProblems(item.problems);
    }
    if (t.counts.rows % every === 0) progress('check', false);
  }
  progress('check', true);
  return !fatal && t.counts.rejected === 0 && !t.stopped;
}

/** Stores the good rows in batches; bad rows are rejected (skipInvalid) or a sign the file changed. */
async function storeFile(
  deps: CsvImportDeps,
  input: Readable,
  options: CsvImportOptions,
  now: Date,
  t: Tally,
  progress: Progress,
  batchSize: number,
): Promise<{ fatal: boolean }> {
  let fatal = false;
  let delimiter = ',';
  let header: string[] = [];
  let batch: AssignmentEvent[] = [];
  let lastRow = 1;
  const rejected = rejectedWriter(options.rejectedOutput);
  const flush = async () => {
    if (!batch.length) return;
    const r = await deps.store.ingest(batch, { enrichWithinMs: ENRICH_WITHIN_MS, origin: 'csv' });
    batch = [];
    t.counts.new += r.accepted;
    t.counts.enriched += r.enriched;
    t.counts.duplicates += r.duplicates;
    t.counts.unchanged += r.unchanged;
    for (const name of r.ambiguous ?? []) t.ambiguous.add(name);
  };
  try {
    for await (const item of mapFile(input, options.timezone, now)) {
      // Between batches: what was read is stored as one last batch below, and nothing more is read.
      if (options.signal?.aborted) {
        t.stopped = { phase: 'import', afterRow: lastRow };
        break;
      }
      if (item.kind === 'header') {
        ({ delimiter, fields: header } = item);
        continue;
      }
      if (item.kind === 'fatal') {
        fatal = true;
        t.addProblems(item.problems);
        continue;
      }
      t.counts.rows++;
      lastRow = item.row;
      if (item.kind === 'event') {
        batch.push(item.event);
        if (batch.length >= batchSize) await flush();
      } else {
        if (!options.skipInvalid)
          throw new Error(
            `row ${item.row} passed the check but not the import: did the file change meanwhile?`,
          );
        t.counts.rejected++;
        t.addProblems(item.problems);
        await rejected.add(item.fields, header, delimiter, item.problems);
      }
      if (t.counts.rows % batchSize === 0) progress('import', false);
    }
    await flush();
    await rejected.close();
  } catch (error) {
    rejected.abort();
    throw error;
  }
  progress('import', true);
  return { fatal };
}

/**
 * Imports the assignments log export from a stream, never holding the file or its rows: `input` is opened once
 * per pass. All or nothing by default: a first pass only checks, and nothing is stored when any row is bad;
 * then a second pass stores in batches. With `skipInvalid` one pass stores the good rows and writes the bad ones
 * to `rejectedOutput`. Rows enrich webhook events they match (ENRICH_WITHIN_MS); importing a file again
 * counts its rows as duplicates.
 */
export async function importAssignmentsCsv(
  deps: CsvImportDeps,
  input: () => Readable,
  options: CsvImportOptions,
): Promise<CsvImportSummary> {
  if (!isValidZone(options.timezone))
    throw new RangeError(
      `"${options.timezone}" is not an IANA time zone; use a name such as Asia/Kuala_Lumpur or UTC`,
    );
  const batchSize = Math.max(1, options.batchSize ?? 1000);
  // One clock for both passes, so a row the check accepted is not refused by the import a moment later.
  const now = deps.now?.() ?? new Date();
  const t = tally(options.timezone);
  const progress: Progress = (phase, done) => deps.onProgress?.({ phase, rows: t.counts.rows, done });
  if (!options.skipInvalid) {
    if (!(await checkFile(input(), options.timezone, now, t, progress, batchSize, options.signal)))
      return t.summary(false);
    t.counts.rows = 0;
  }
  const { fatal } = await storeFile(deps, input(), options, now, t, progress, batchSize);
  return t.summary(!fatal);
}
