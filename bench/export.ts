import { fork } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { webApi } from '@slack/bolt';
import { partyKeys, type StoredEvent } from '../src/domain/event.ts';
import { planExport } from '../src/domain/export.ts';
import { SOURCES } from '../src/domain/sources.ts';
import { FakeSlackApi } from '../test/fakes/fake-slack-api.ts';
import { childExecArgv } from './child-exec-argv.ts';
import { count, formatTable, ratio } from './print-table.ts';

// `tsx bench/export.ts` (or benchExport() from bench/run.ts): `/assignments export` over 1,000,000 stored events.
// Each measurement runs in its own child process holding the same store (1,000,000 events over 100 days, on the
// in-process engine's worker thread, as in Slack mode), so their memory can be compared: RSS is sampled after
// the load (and a GC) and every few milliseconds during the export — cursor → CSV → temporary file → upload to
// the fake Slack API, which runs here in the parent so the uploaded bytes are not counted. Exporting one day
// (10,000 rows) and all 100 days (1,000,000 rows) should cost the same memory: the target is under 50 MB more.

const ZONE = 'Asia/Kuala_Lumpur';
const TOTAL = 1_000_000;
const DAYS = 100;
const PER_DAY = TOTAL / DAYS;
const FIRST_DAY = '2026-08-01';
const LAST_DAY = '2026-11-08';
const ONE_DAY = '2026-09-15';
/** Midnight of FIRST_DAY in Kuala Lumpur (UTC+8 all year). */
const START = Date.parse(`${FIRST_DAY}T00:00:00+08:00`);
const NOW = new Date('2026-11-26T10:00:00Z');
const LOAD_BATCH = 10_000;
const TARGET_MB = 50;
const SAMPLE_MS = 5;

type Mode = 'all' | 'day';

interface ChildResult {
  rows: number;
  ms: number;
  baselineMb: number;
  peakMb: number;
  /** Rows per second of the store's cursor alone (read and parsed, nothing written), the same rows. */
  cursorRate: number;
  loadMs: number;
}

const AGENTS = ['Mei Tan', 'John Doe', 'Priya Nair', 'Wei Lim', 'Sarah Lee', 'Carlos Diaz', 'Yuki Sato'];

/** Stored event i of the bench store: PER_DAY a day, every source, unassignments, reassignments. */
function storedEvent(i: number): StoredEvent {
  const source = SOURCES[i % SOURCES.length] ?? 'workflow';
  const agent = (k: number) => ({
    id: `u${k % AGENTS.length}`,
    name: AGENTS[k % AGENTS.length] ?? 'Mei Tan',
  });
  const assignee = source === 'close_conversation' ? null : agent(i);
  const previousAssignee = i % 4 === 0 ? null : agent(i + 3);
  const assignedBy = source === 'user' ? { id: 'u-lead', name: 'Siti Abdullah' } : null;
  const contact = { id: String(1_000_000 + (i % 250_000)), name: `Contact ${i % 250_000}` };
  const team = assignee ? { id: 't-support', name: 'Support' } : null;
  return {
    _id: `id:bench-${i}`,
    ts: new Date(START + Math.floor((i * 86_400_000) / PER_DAY)),
    conversationId: String(500_000 + (i % 300_000)),
    contact,
    previousAssignee,
    assignee,
    source,
    assignedBy,
    team,
    keys: {
      assignee: partyKeys(assignee),
      assignedBy: partyKeys(assignedBy),
      contact: partyKeys(contact),
      team: partyKeys(team),
    },
    receivedAt: NOW,
    origin: 'api',
  };
}

const rssMb = () => process.memoryUsage.rss() / 1024 / 1024;

/** A full collection, where the flag allows one (the child is started with --expose-gc). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  if (typeof gc === 'function') gc();
}

async function runChild(mode: Mode, apiUrl: string): Promise<ChildResult> {
  // Loaded here only: the parent does not need the store.
  const { createAssignmentStore, EVENTS } = await import('../src/store/assignment-store.ts');
  const { createWorkerEngine } = await import('../src/store/worker-engine.ts');
  const { sendExport } = await import('../src/slack/send-export.ts');
  const engine = createWorkerEngine();
  const store = createAssignmentStore(engine);
  await store.init();
  const loadStarted = performance.now();
  for (let i = 0; i < TOTAL; i += LOAD_BATCH) {
    const ops = [];
    for (let j = i; j < Math.min(TOTAL, i + LOAD_BATCH); j++) {
      const { _id, ...rest } = storedEvent(j);
      ops.push({ filter: { _id }, update: { $setOnInsert: rest } });
    }
    await engine.collection(EVENTS).upsertMany(ops);
  }
  const loadMs = performance.now() - loadStarted;
  collectGarbage();
  await new Promise((r) => setTimeout(r, 1000));
  collectGarbage();
  const baselineMb = rssMb();

  const request = planExport({
    text: mode === 'all' ? `export ${FIRST_DAY}..${LAST_DAY}` : `export ${ONE_DAY}`,
    zone: ZONE,
    now: NOW,
  });
  if (request.kind !== 'plan') throw new Error(request.message);
  const { plan } = request;
  let peakMb = baselineMb;
  const sampler = setInterval(() => {
    peakMb = Math.max(peakMb, rssMb());
  }, SAMPLE_MS);
  const client = new webApi.WebClient('xoxb-bench', { slackApiUrl: apiUrl, retryConfig: { retries: 0 } });
  const started = performance.now();
  const outcome = await sendExport({ store, logger: console }, client, { userId: 'UBENCH', plan });
  const ms = performance.now() - started;
  clearInterval(sampler);
  peakMb = Math.max(peakMb, rssMb());
  if (outcome.kind !== 'sent') throw new Error(`export failed: ${JSON.stringify(outcome)}`);

  const cursorStarted = performance.now();
  let read = 0;
  for await (const _ of store.exportRows(plan.range, plan.filters)) read++;
  const cursorRate = (read / (performance.now() - cursorStarted)) * 1000;
  await store.close();
  return { rows: outcome.rows, ms, baselineMb, peakMb, cursorRate, loadMs };
}

const CHILD_ENV = 'HANDOFF_EXPORT_BENCH_CHILD';

/** Runs one measurement in a fresh child process (same tsx loader, GC exposed) and returns what it reports. */
function inChild(mode: Mode, apiUrl: string): Promise<ChildResult> {
  return new Promise((resolvePromise, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--child', mode, apiUrl], {
      execArgv: childExecArgv(['--expose-gc']),
      env: { ...process.env, [CHILD_ENV]: '1' },
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
const log = (line: string) => console.log(`  … ${line}`);

/** The export bench; answers table rows `[measure, value, reference, ratio, target]`. */
export async function benchExport(): Promise<string[][]> {
  if (process.env[CHILD_ENV])
    throw new Error('benchExport was called in one of its own children; not starting more');
  console.log(
    `8. export: ${count(TOTAL)} stored events (worker engine), exported whole and one day (${count(PER_DAY)} rows)`,
  );
  const slack = await new FakeSlackApi().start();
  try {
    const day = await inChild('day', slack.url);
    log(
      `one day: ${count(day.rows)} rows in ${(day.ms / 1000).toFixed(1)} s; RSS ${mb(day.baselineMb)} MB after loading ` +
        `(${(day.loadMs / 1000).toFixed(0)} s), peak ${mb(day.peakMb)} MB`,
    );
    slack.uploads.clear();
    const all = await inChild('all', slack.url);
    log(
      `all: ${count(all.rows)} rows in ${(all.ms / 1000).toFixed(1)} s; RSS ${mb(all.baselineMb)} MB after loading, ` +
        `peak ${mb(all.peakMb)} MB`,
    );
    const uploaded = [...slack.uploads.values()].find((u) => u.completed);
    log(`uploaded ${mb((uploaded?.bytes.length ?? 0) / 1024 / 1024)} MB to the fake Slack API`);
    const rate = (all.rows / all.ms) * 1000;
    const growth = (r: ChildResult) => r.peakMb - r.baselineMb;
    const more = growth(all) - growth(day);
    return [
      [
        `Export ${count(all.rows)} rows: cursor → CSV → temp file → upload (rows/s)`,
        count(rate),
        `cursor alone ${count(all.cursorRate)}`,
        ratio(rate / all.cursorRate),
        '',
      ],
      [
        `Export peak RSS growth over the loaded store, ${count(all.rows)} rows (MB)`,
        mb(growth(all)),
        `${count(day.rows)} rows ${mb(growth(day))}`,
        `${more < 0 ? '−' : '+'}${mb(Math.abs(more))} MB`,
        `< ${TARGET_MB} MB more ${more < TARGET_MB ? '✓' : '✗ missed'}`,
      ],
    ];
  } finally {
    await slack.stop();
  }
}

const [flag, mode, apiUrl] = process.argv.slice(2);
if (flag === '--child') {
  const modes: readonly string[] = ['all', 'day'] satisfies Mode[];
  const known = (m: string | undefined): m is Mode => m !== undefined && modes.includes(m);
  if (!known(mode) || !apiUrl) throw new Error(`usage: export.ts --child ${modes.join('|')} SLACK_API_URL`);
  const report = (message: { result?: ChildResult; error?: string }, code: number) => {
    if (process.send) process.send(message, () => process.exit(code));
    else {
      console.log(JSON.stringify(message));
      process.exit(code);
    }
  };
  runChild(mode, apiUrl).then(
    (result) => report({ result }, 0),
    (error: unknown) => report({ error: error instanceof Error ? error.stack : String(error) }, 1),
  );
} else if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  benchExport().then(
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
