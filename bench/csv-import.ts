import { fork } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse';
import type { AssignmentEvent } from '../src/domain/event.ts';
import { mapHeader, recordOf } from '../src/ingest/csv/columns.ts';
import { importAssignmentsCsv } from '../src/ingest/csv/import-assignments-csv.ts';
import { mapAssignmentRow } from '../src/ingest/csv/map-assignment-row.ts';
import { openCsv } from '../src/ingest/csv/read-csv-rows.ts';
import type { IngestSummary } from '../src/store/assignment-store.ts';
import { childExecArgv } from './child-exec-argv.ts';
import { count, formatTable, ratio } from './print-table.ts';

// `tsx bench/csv-import.ts` (or benchCsvImport() from bench/run.ts): the CSV import's throughput and peak memory.
// Each measurement runs in its own child process, so that its peak RSS (process.resourceUsage().maxRSS) is its
// own. (a) 1,000,000 generated rows parsed and mapped into a store that only counts, in both modes, and the same
// at 100,000 rows to show memory stays flat as the file grows; (b) 100,000 rows end to end into the in-process
// engine, against calling store.ingest with the same events already in memory.

const ZONE = 'Asia/Kuala_Lumpur';
const BIG = 1_000_000;
const SMALL = 100_000;
const E2E = 100_000;
const TARGET_RATE = 20_000;
const TARGET_RSS_MB = 150;

const AGENTS = [
  'John Doe',
  'Mei Tan',
  'Ali Hassan',
  'Priya Nair',
  'Wei Lim',
  'Sarah Lee',
  'Carlos Diaz',
  '-',
];
const SOURCES = [
  'Workflow',
  'User',
  'Bot',
  'Developer API',
  'Close Conversation',
  'Zapier',
  'Contact Import',
];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const HEADER =
  'Timestamp,Conversation ID,Contact ID,Contact Name,Previous Assignee,Assigned To,Source,Assigned By';
const START = Date.UTC(2026, 0, 1);

const pad = (n: number) => String(n).padStart(2, '0');

/** Row `i` of the generated log: 7 s apart, every timestamp format in turn (quoted when it has a comma). */
function rowText(i: number): string {
  const t = new Date(START + i * 7_000);
  const [y, mo, d, h, mi, s] = [
    t.getUTCFullYear(),
    t.getUTCMonth() + 1,
    t.getUTCDate(),
    t.getUTCHours(),
    t.getUTCMinutes(),
    t.getUTCSeconds(),
  ];
  const timestamp = [
    `${y}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad(mi)}:${pad(s)}`,
    `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}+08:00`,
    `${pad(d)}/${pad(mo)}/${y} ${pad(h)}:${pad(mi)}`,
    `"${MONTHS[mo - 1]} ${d}, ${y} ${h % 12 || 12}:${pad(mi)} ${h < 12 ? 'AM' : 'PM'}"`,
  ][i % 4];
  const contact = 1_000_000 + (i % 50_000);
  const name = i % 10 === 0 ? `"Lim, Chen ${contact}"` : `Contact ${contact}`;
  const source = SOURCES[i % SOURCES.length] ?? 'Workflow';
  const assignee = source === 'Close Conversation' ? '' : (AGENTS[i % 7] ?? '');
  const by = source === 'User' ? 'Siti Abdullah' : '';
  return `${timestamp},${80_000 + (i % 60_000)},${contact},${name},${AGENTS[(i + 3) % 8]},${assignee},${source},${by}`;
}

/** Writes `rows` generated rows to `path`, a thousand at a time, never holding the file. */
async function writeCsv(path: string, rows: number): Promise<number> {
  const out = createWriteStream(path);
  out.write(`${HEADER}\n`);
  for (let i = 0; i < rows; i += 1000) {
    const lines: string[] = [];
    for (let j = i; j < Math.min(rows, i + 1000); j++) lines.push(rowText(j));
    if (!out.write(`${lines.join('\n')}\n`)) await once(out, 'drain');
  }
  out.end();
  await finished(out);
  return (await stat(path)).size;
}

type Mode = 'idle' | 'count' | 'count-skip' | 'e2e';

interface ChildResult {
  rows: number;
  ms: number;
  maxRssMb: number;
  /** count: csv-parse alone over the same file; e2e: store.ingest with the events already in memory. */
  referenceRate: number;
  summary: Partial<IngestSummary> & { rejected?: number };
}

const maxRssMb = () => process.resourceUsage().maxRSS / 1024;

async function rawParseRate(file: string): Promise<number> {
  const started = performance.now();
  let rows = 0;
  for await (const _ of createReadStream(file).pipe(parse())) rows++;
  return ((rows - 1) / (performance.now() - started)) * 1000;
}

async function readEvents(file: string): Promise<AssignmentEvent[]> {
  const source = await openCsv(createReadStream(file));
  const events: AssignmentEvent[] = [];
  let layout: ReturnType<typeof mapHeader> | undefined;
  for await (const { row, fields } of source.rows) {
    if (!layout) {
      layout = mapHeader(fields);
      continue;
    }
    if (!layout.ok) throw new Error('bench file: bad header');
    const mapped = mapAssignmentRow(recordOf(fields, layout.layout), row, ZONE, new Date());
    if (mapped.ok) events.push(mapped.event);
  }
  return events;
}

async function runChild(mode: Mode, file: string): Promise<ChildResult> {
  if (mode === 'idle') return { rows: 0, ms: 0, maxRssMb: maxRssMb(), referenceRate: 0, summary: {} };
  if (mode === 'e2e') {
    // Loaded here only: the counting children's peak RSS should not include the in-process engine's code.
    const { createAssignmentStore } = await import('../src/store/assignment-store.ts');
    const { createMemoryEngine } = await import('../src/store/memory-engine.ts');
    const store = createAssignmentStore(createMemoryEngine());
    await store.init();
    const started = performance.now();
    const s = await importAssignmentsCsv({ store }, () => createReadStream(file), {
      timezone: ZONE,
      skipInvalid: false,
    });
    const ms = performance.now() - started;
    const rss = maxRssMb();
    if (!s.ok) throw new Error(`bench file rejected: ${JSON.stringify(s.problems.slice(0, 3))}`);
    const events = await readEvents(file);
    const direct = createAssignmentStore(createMemoryEngine());
    await direct.init();
    const directStarted = performance.now();
    for (let i = 0; i < events.length; i += 1000)
      await direct.ingest(events.slice(i, i + 1000), { enrichWithinMs: 120_000, origin: 'csv' });
    const directRate = (events.length / (performance.now() - directStarted)) * 1000;
    return {
      rows: s.rows,
      ms,
      maxRssMb: rss,
      referenceRate: directRate,
      summary: { accepted: s.new, unchanged: s.unchanged, duplicates: s.duplicates, rejected: s.rejected },
    };
  }
  let counted = 0;
  const countingStore = {
    async ingest(events: AssignmentEvent[]): Promise<IngestSummary> {
      counted += events.length;
      return { accepted: events.length, duplicates: 0, unchanged: 0, enriched: 0 };
    },
  };
  const started = performance.now();
  const s = await importAssignmentsCsv({ store: countingStore }, () => createReadStream(file), {
    timezone: ZONE,
    skipInvalid: mode === 'count-skip',
  });
  const ms = performance.now() - started;
  const rss = maxRssMb();
  if (!s.ok || counted !== s.rows)
    throw new Error(`bench file rejected: ${JSON.stringify(s.problems.slice(0, 3))}`);
  return {
    rows: s.rows,
    ms,
    maxRssMb: rss,
    referenceRate: await rawParseRate(file),
    summary: { accepted: counted },
  };
}

/** Runs one measurement in a fresh child process (same tsx loader) and returns what it reports. */
function inChild(mode: Mode, file: string): Promise<ChildResult> {
  return new Promise((resolvePromise, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--child', mode, file], {
      execArgv: childExecArgv(),
    });
    let result: ChildResult | undefined;
    child.on('message', (message: { result?: ChildResult; error?: string }) => {
      if (message.result) result = message.result;
      else reject(new Error(`bench child (${mode}) failed: ${message.error ?? 'no result'}`));
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      result ? resolvePromise(result) : reject(new Error(`bench child (${mode}) exited with ${code}`)),
    );
  });
}

const mb = (value: number): string => value.toFixed(0);
const mark = (met: boolean) => (met ? '✓' : '✗ missed');
const log = (line: string) => console.log(`  … ${line}`);

/** The CSV import bench; answers table rows `[measure, value, reference, ratio, target]`. */
export async function benchCsvImport(): Promise<string[][]> {
  console.log(
    `CSV import: ${count(BIG)} generated rows into a counting store, ${count(E2E)} into the in-process engine`,
  );
  const dir = await mkdtemp(join(tmpdir(), 'handoff-csv-bench-'));
  try {
    const big = join(dir, 'big.csv');
    const small = join(dir, 'small.csv');
    const bigBytes = await writeCsv(big, BIG);
    await writeCsv(small, SMALL);
    log(`generated ${count(BIG)} rows (${mb(bigBytes / 1024 / 1024)} MB) and ${count(SMALL)} rows`);
    const idle = await inChild('idle', big);
    const all = await inChild('count', big);
    const skip = await inChild('count-skip', big);
    const allSmall = await inChild('count', small);
    const e2e = await inChild('e2e', small);
    const rate = (r: ChildResult) => (r.rows / r.ms) * 1000;
    log(
      `all-or-nothing ${count(all.rows)} rows in ${(all.ms / 1000).toFixed(1)} s; --skip-invalid in ${(skip.ms / 1000).toFixed(1)} s; ` +
        `end to end ${count(e2e.rows)} rows in ${(e2e.ms / 1000).toFixed(1)} s (${JSON.stringify(e2e.summary)})`,
    );
    const rateRow = (label: string, r: ChildResult, passes: number): string[] => [
      label,
      count(rate(r)),
      `csv-parse alone ${count(r.referenceRate)}`,
      ratio((rate(r) * passes) / r.referenceRate),
      `≥ ${count(TARGET_RATE)}/s ${mark(rate(r) >= TARGET_RATE)}`,
    ];
    const rssRow = (label: string, r: ChildResult, reference: string, against: number): string[] => [
      label,
      mb(r.maxRssMb),
      reference,
      ratio(r.maxRssMb / against),
      `< ${TARGET_RSS_MB} MB ${mark(r.maxRssMb < TARGET_RSS_MB)}`,
    ];
    return [
      rateRow(`CSV parse+map ${count(BIG)} rows, all or nothing, 2 passes (rows/s)`, all, 2),
      rssRow(
        `CSV parse+map ${count(BIG)} rows, all or nothing: peak RSS (MB)`,
        all,
        `${count(SMALL)} rows ${mb(allSmall.maxRssMb)}`,
        allSmall.maxRssMb,
      ),
      rateRow(`CSV parse+map ${count(BIG)} rows, --skip-invalid, 1 pass (rows/s)`, skip, 1),
      rssRow(
        `CSV parse+map ${count(BIG)} rows, --skip-invalid: peak RSS (MB)`,
        skip,
        `idle child ${mb(idle.maxRssMb)}`,
        idle.maxRssMb,
      ),
      [
        `CSV end to end ${count(E2E)} rows → in-process engine (rows/s)`,
        count(rate(e2e)),
        `store.ingest ${count(e2e.referenceRate)}`,
        ratio(rate(e2e) / e2e.referenceRate),
        '',
      ],
      [
        `CSV end to end ${count(E2E)} rows → in-process engine: peak RSS (MB)`,
        mb(e2e.maxRssMb),
        `idle child ${mb(idle.maxRssMb)}`,
        ratio(e2e.maxRssMb / idle.maxRssMb),
        'holds the stored events',
      ],
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const [flag, mode, file] = process.argv.slice(2);
if (flag === '--child') {
  const modes: readonly string[] = ['idle', 'count', 'count-skip', 'e2e'] satisfies Mode[];
  const known = (m: string | undefined): m is Mode => m !== undefined && modes.includes(m);
  if (!known(mode) || !file) throw new Error(`usage: csv-import.ts --child ${modes.join('|')} FILE`);
  // Without IPC (run by hand to look at one measurement) the result is printed instead.
  const report = (message: { result?: ChildResult; error?: string }, code: number) => {
    if (process.send) process.send(message, () => process.exit(code));
    else {
      console.log(JSON.stringify(message));
      process.exit(code);
    }
  };
  runChild(mode, file).then(
    (result) => report({ result }, 0),
    (error: unknown) => report({ error: error instanceof Error ? error.stack : String(error) }, 1),
  );
} else if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  benchCsvImport().then(
    (rows) => {
      console.log('');
      console.log(formatTable(['measure', 'value', 'reference', 'ratio', 'target'], rows));
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
