import { NO_FILTERS } from '../src/domain/filters.ts';
import { resolveRange } from '../src/domain/range.ts';
import { createAssignmentStore } from '../src/store/assignment-store.ts';
import type { Engine } from '../src/store/collection.ts';
import { createMemoryEngine } from '../src/store/memory-engine.ts';
import { aroundEngine } from '../test/store/wrap-engine.ts';
import { makeEvents } from './make-events.ts';
import { percentile } from './percentile.ts';
import { count, ms, ratio } from './print-table.ts';

// What a network between the bot and MongoDB costs: every engine call waits a simulated round trip (0.5, 2 and
// 10 ms) before the in-process engine answers it, beside the same work with none. Ingest events/s in batches of
// 500, and the p95 of a 50,000-event report. The in-process engine still does the database's work, on this
// machine's cores, so the rows show what round trips add, not what a real server takes.

const NOW = new Date();
const ZONE = 'Asia/Kuala_Lumpur';
/** The round trips measured; `BENCH_LATENCIES_MS=2 npx tsx bench/latency.ts` measures one. */
const LATENCIES_MS = (process.env.BENCH_LATENCIES_MS ?? '0.5,2,10').split(',').map(Number);
const INGEST = { events: 20_000, batch: 500, contacts: 5_000 };
const REPORT = { events: 50_000, runs: 30, warmup: 2 };
const TARGET_AT_MS = 2;

const log = (line: string) => console.log(`  … ${line}`);

/** Waits `ms`, finer than setTimeout's 1 ms for fractions, without holding the event loop. */
async function roundTrip(delayMs: number): Promise<void> {
  if (delayMs >= 1) {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return;
  }
  const until = performance.now() + delayMs;
  while (performance.now() < until) await new Promise((resolve) => setImmediate(resolve));
}

/** The engine with a round trip before every call, and a count of the calls made. */
function overNetwork(engine: Engine, delayMs: number): { engine: Engine; calls: () => number } {
  let calls = 0;
  return {
    engine: aroundEngine(engine, async (_call, proceed) => {
      calls++;
      if (delayMs > 0) await roundTrip(delayMs);
      return proceed();
    }),
    calls: () => calls,
  };
}

async function ingestRate(delayMs: number): Promise<{ rate: number; callsPerBatch: number }> {
  const events = makeEvents({
    windows: [{ from: new Date(NOW.getTime() - 7 * 86_400_000), to: NOW, count: INGEST.events }],
    contacts: INGEST.contacts,
    idPrefix: `lat${delayMs}`,
    seed: 7,
  });
  const net = overNetwork(createMemoryEngine(), delayMs);
  const store = createAssignmentStore(net.engine, () => NOW);
  await store.init();
  const before = net.calls();
  const started = performance.now();
  let accepted = 0;
  for (let i = 0; i < events.length; i += INGEST.batch)
    accepted += (await store.ingest(events.slice(i, i + INGEST.batch))).accepted;
  const elapsed = performance.now() - started;
  if (accepted !== events.length) throw new Error(`latency bench: ${accepted} of ${events.length} accepted`);
  await store.close();
  return {
    rate: (events.length / elapsed) * 1000,
    callsPerBatch: (net.calls() - before) / (events.length / INGEST.batch),
  };
}

async function reportP95(delayMs: number): Promise<number> {
  const base = createMemoryEngine();
  const loader = createAssignmentStore(base, () => NOW);
  await loader.init();
  const range = resolveRange({ kind: 'preset', preset: 'last_7_days' }, NOW, ZONE);
  const events = makeEvents({
    windows: [
      { from: range.comparison.from, to: range.comparison.to, count: REPORT.events / 5 },
      { from: range.from, to: NOW, count: REPORT.events },
    ],
    contacts: REPORT.events / 4,
    idPrefix: 'rep',
    seed: 11,
  });
  for (let i = 0; i < events.length; i += 5000) await loader.ingest(events.slice(i, i + 5000));
  const store = createAssignmentStore(overNetwork(base, delayMs).engine, () => NOW);
  const times: number[] = [];
  for (let i = 0; i < REPORT.warmup + REPORT.runs; i++) {
    const started = performance.now();
    const report = await store.report(range, NO_FILTERS);
    if (i >= REPORT.warmup) times.push(performance.now() - started);
    if (report.total !== REPORT.events) throw new Error(`latency bench: report says ${report.total}`);
  }
  await base.close();
  return percentile(times, 95);
}

export async function benchLatency(): Promise<string[][]> {
  console.log('Simulated round trips to the store (in-process engine, every call delayed)');
  const inProcess = await ingestRate(0);
  const inProcessP95 = await reportP95(0);
  log(
    `no delay: ingest ${count(inProcess.rate)} events/s (${inProcess.callsPerBatch.toFixed(1)} calls per batch of ${INGEST.batch}), report p95 ${ms(inProcessP95)} ms`,
  );
  const rows: string[][] = [];
  for (const delayMs of LATENCIES_MS) {
    const ingest = await ingestRate(delayMs);
    const p95 = await reportP95(delayMs);
    log(
      `${delayMs} ms: ingest ${count(ingest.rate)} events/s (${ingest.callsPerBatch.toFixed(1)} calls per batch), report p95 ${ms(p95)} ms`,
    );
    const target = delayMs === TARGET_AT_MS;
    const reportBound = 1.2 * inProcessP95 + 10 * delayMs;
    rows.push(
      [
        `ingest ×${INGEST.batch}, ${delayMs} ms round trip (events/s)`,
        count(ingest.rate),
        `no delay ${count(inProcess.rate)}`,
        ratio(ingest.rate / inProcess.rate),
        target ? `≥ 5,000/s ${ingest.rate >= 5000 ? '✓' : '✗ missed'}` : '',
      ],
      [
        `report p95, ${count(REPORT.events)} in range, ${delayMs} ms round trip (ms)`,
        ms(p95),
        `no delay ${ms(inProcessP95)}`,
        ratio(p95 / inProcessP95),
        target ? `≤ 1.2× + 10 trips = ${ms(reportBound)} ${p95 <= reportBound ? '✓' : '✗ missed'}` : '',
      ],
    );
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await benchLatency()) console.log(row.join(' | '));
  process.exit(0);
}
