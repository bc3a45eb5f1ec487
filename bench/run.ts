import { cpus } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { type AssignmentEvent, parseEventBatch } from '../src/domain/event.ts';
import { type ResolvedRange, resolveRange } from '../src/domain/range.ts';
import { type AssignmentStore, createAssignmentStore } from '../src/store/assignment-store.ts';
import { createMemoryEngine } from '../src/store/memory-engine.ts';
import { signedCommand } from '../test/fakes/signed-request.ts';
import { INGEST_TOKEN, startTestApp, type TestApp } from '../test/fakes/start-test-app.ts';
import { startBareApp } from './bare-app.ts';
import { benchCharts } from './charts.ts';
import { benchCsvImport } from './csv-import.ts';
import { benchDigests } from './digests.ts';
import { benchExport } from './export.ts';
import { floorReport } from './floor-report.ts';
import { benchLatency } from './latency.ts';
import type { LoadResult } from './load-client.ts';
import { startLoadClient } from './load-client-process.ts';
import { makeEvents, toWire } from './make-events.ts';
import { percentile } from './percentile.ts';
import { count, formatTable, ms, ratio } from './print-table.ts';
import { benchTimeline } from './timeline.ts';
import { benchWebhooks } from './webhooks.ts';

// `npm run bench`: ack latency against a bare Bolt app, command-to-reply time against a plain loop, and
// ingest throughput against calling the store directly, all in one run on this machine. Prints; never fails
// on a number.

const ZONE = 'Asia/Kuala_Lumpur';
const USER = 'U1';
const TEXT = 'last 7 days';
// Bench data goes in through store.ingest in batches of this size (untimed).
const LOAD_BATCH = 500;
// One clock for the data, the app and the plain loop, so all three see the same range.
const NOW = new Date();
const RANGE: ResolvedRange = resolveRange({ kind: 'preset', preset: 'last_7_days' }, NOW, ZONE);

const ACK = { storeEvents: 10_000, concurrency: 20, warmup: 40, rounds: 2, perRound: 200, waves: 20 };
const REPLY = { sizes: [10_000, 50_000, 100_000], warmup: 2, commands: 20, floorRuns: 20 };
const INGEST = { events: 50_000, batch: 500 };

const log = (line: string) => console.log(`  … ${line}`);

/** `n` events in the range plus a fifth as many in the previous period, over n/4 contacts. */
function reportEvents(n: number, prefix: string, seed: number): AssignmentEvent[] {
  return makeEvents({
    windows: [
      { from: RANGE.comparison.from, to: RANGE.comparison.to, count: Math.round(n / 5) },
      { from: RANGE.from, to: NOW, count: n },
    ],
    contacts: Math.max(1_000, Math.round(n / 4)),
    idPrefix: prefix,
    seed,
  });
}

async function ingestAll(store: AssignmentStore, events: AssignmentEvent[], batch: number): Promise<void> {
  let accepted = 0;
  for (let i = 0; i < events.length; i += batch)
    accepted += (await store.ingest(events.slice(i, i + batch))).accepted;
  if (accepted !== events.length)
    throw new Error(`bench data: only ${accepted} of ${events.length} events accepted`);
}

async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', body, headers });
  return { status: res.status, text: await res.text() };
}

/** Sends one signed command and times it until its answer reaches the response_url sink. */
async function timeReply(app: TestApp, text: string): Promise<{ ms: number; total: number }> {
  const responseUrl = app.sink.newUrl();
  const req = signedCommand({ text, userId: USER, responseUrl });
  const before = app.sink.posts.length;
  const started = performance.now();
  const res = await post(`${app.url}/slack/events`, req.body, req.headers);
  if (res.status !== 200) throw new Error(`/slack/events answered ${res.status}`);
  await app.sink.waitFor(before + 1, 120_000);
  const answer = app.sink.postsTo(responseUrl)[0];
  if (!answer) throw new Error('no answer at the response_url');
  const json = JSON.stringify(answer.body);
  // The answer writes its total with thousands separators: *10,000 assignments*.
  const total = /\*([\d,]+) assignments?\*/.exec(json)?.[1]?.replaceAll(',', '');
  return { ms: answer.at - started, total: Number(total ?? Number.NaN) };
}

interface AckNumbers {
  /** Bursts: 20 commands sent at once, the next burst once every answer of this one has arrived. */
  burstReal: number[];
  burstBare: number[];
  /** Sustained: 20 clients each sending the next command as soon as the last was acknowledged. */
  real: number[];
  bare: number[];
  realFailures: number;
  bareFailures: number;
  realRps: number;
  bareRps: number;
  drainMs: number[];
  /** Longest the app process's event loop was blocked while each app was under load (ms). */
  realLoopMaxMs: number;
  bareLoopMaxMs: number;
}

/** Runs `work` while sampling this process's event-loop delay; returns its result and the worst delay (ms). */
async function withLoopDelay<T>(work: () => Promise<T>): Promise<{ result: T; maxMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  try {
    const result = await work();
    return { result, maxMs: histogram.max / 1e6 };
  } finally {
    histogram.disable();
  }
}

async function measureAck(): Promise<AckNumbers> {
  console.log(
    `1. ack latency, ${ACK.concurrency} concurrent, real app (${count(ACK.storeEvents)} events) vs bare Bolt`,
  );
  const real = await startTestApp({ now: () => NOW });
  real.slack.zones.set(USER, ZONE);
  await ingestAll(real.store, reportEvents(ACK.storeEvents, 'ack', 1), LOAD_BATCH);
  const bare = await startBareApp();
  const client = startLoadClient();
  const job = (url: string, requests: number) => ({
    url,
    responseBase: real.sink.base,
    requests,
    concurrency: ACK.concurrency,
    text: TEXT,
    userId: USER,
  });
  const out: AckNumbers = {
    burstReal: [],
    burstBare: [],
    real: [],
    bare: [],
    realFailures: 0,
    bareFailures: 0,
    realRps: 0,
    bareRps: 0,
    drainMs: [],
    realLoopMaxMs: 0,
    bareLoopMaxMs: 0,
  };
  let answered = 0;
  /** Waits until every report the real app owes has reached the sink, so it cannot overlap the next phase. */
  const drain = async (requests: number) => {
    answered += requests;
    const started = performance.now();
    await real.sink.waitFor(answered, 300_000);
    return performance.now() - started;
  };
  try {
    await client.run(job(bare.url, ACK.warmup));
    await client.run(job(real.url, ACK.warmup));
    await drain(ACK.warmup);
    for (let wave = 1; wave <= ACK.waves; wave++) {
      out.burstBare.push(...(await client.run(job(bare.url, ACK.concurrency))).latencies);
      out.burstReal.push(...(await client.run(job(real.url, ACK.concurrency))).latencies);
      await drain(ACK.concurrency);
    }
    log(
      `${ACK.waves} bursts of ${ACK.concurrency}: bare p99 ${ms(percentile(out.burstBare, 99))} ms, ` +
        `real p99 ${ms(percentile(out.burstReal, 99))} ms`,
    );
    let realMs = 0;
    let bareMs = 0;
    const add = (r: LoadResult, into: number[]) => {
      into.push(...r.latencies);
      return r.elapsedMs;
    };
    for (let round = 1; round <= ACK.rounds; round++) {
      const { result: b, maxMs: bareLoop } = await withLoopDelay(() =>
        client.run(job(bare.url, ACK.perRound)),
      );
      bareMs += add(b, out.bare);
      out.bareFailures += b.failures;
      out.bareLoopMaxMs = Math.max(out.bareLoopMaxMs, bareLoop);
      const { result: r, maxMs: realLoop } = await withLoopDelay(() =>
        client.run(job(real.url, ACK.perRound)),
      );
      realMs += add(r, out.real);
      out.realFailures += r.failures;
      out.realLoopMaxMs = Math.max(out.realLoopMaxMs, realLoop);
      out.drainMs.push(await drain(ACK.perRound));
      log(
        `round ${round}: bare p99 ${ms(percentile(b.latencies, 99))} ms, real p99 ${ms(percentile(r.latencies, 99))} ms`,
      );
    }
    out.realRps = (out.real.length / realMs) * 1000;
    out.bareRps = (out.bare.length / bareMs) * 1000;
  } finally {
    client.stop();
    await Promise.all([real.stop(), bare.stop()]);
  }
  return out;
}

interface ReplyNumbers {
  size: number;
  stored: number;
  ingestMs: number;
  firstMs: number;
  replies: number[];
  floor: number[];
  total: number;
  floorTotal: number;
}

async function measureReply(size: number, seed: number): Promise<ReplyNumbers> {
  const app = await startTestApp({ now: () => NOW });
  app.slack.zones.set(USER, ZONE);
  try {
    const events = reportEvents(size, `r${size}`, seed);
    const t0 = performance.now();
    await ingestAll(app.store, events, LOAD_BATCH);
    const ingestMs = performance.now() - t0;
    // The first report after writes also sorts the in-process time index; shown apart, not in the percentiles.
    const first = await timeReply(app, TEXT);
    for (let i = 0; i < REPLY.warmup; i++) await timeReply(app, TEXT);
    const replies: number[] = [];
    let total = first.total;
    for (let i = 0; i < REPLY.commands; i++) {
      const r = await timeReply(app, TEXT);
      replies.push(r.ms);
      total = r.total;
    }
    const floor: number[] = [];
    let floorTotal = floorReport(events, RANGE).total;
    for (let i = 0; i < REPLY.floorRuns; i++) {
      const started = performance.now();
      floorTotal = floorReport(events, RANGE).total;
      floor.push(performance.now() - started);
    }
    return { size, stored: events.length, ingestMs, firstMs: first.ms, replies, floor, total, floorTotal };
  } finally {
    await app.stop();
  }
}

interface IngestNumbers {
  httpRate: number;
  directRate: number;
  parseRate: number;
  accepted: number;
}

async function measureIngest(): Promise<IngestNumbers> {
  console.log(`3. ingest ${count(INGEST.events)} events in batches of ${INGEST.batch}, sequential`);
  const events = makeEvents({
    windows: [{ from: RANGE.from, to: NOW, count: INGEST.events }],
    idPrefix: 'in',
    seed: 7,
  });
  const bodies: string[] = [];
  for (let i = 0; i < events.length; i += INGEST.batch)
    bodies.push(JSON.stringify(events.slice(i, i + INGEST.batch).map(toWire)));
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` };

  const app = await startTestApp({ now: () => NOW });
  let accepted = 0;
  let httpMs = 0;
  try {
    const started = performance.now();
    for (const body of bodies) {
      const res = await post(`${app.url}/api/events`, body, headers);
      if (res.status !== 200)
        throw new Error(`POST /api/events answered ${res.status}: ${res.text.slice(0, 200)}`);
      accepted += (JSON.parse(res.text) as { accepted: number }).accepted;
    }
    httpMs = performance.now() - started;
  } finally {
    await app.stop();
  }
  log(`HTTP: ${count(accepted)} accepted in ${ms(httpMs)} ms`);

  // The parse step alone (JSON + zod), to tell the endpoint's share from the store's.
  const parseStarted = performance.now();
  for (const body of bodies) parseEventBatch(JSON.parse(body), NOW);
  const parseMs = performance.now() - parseStarted;

  const store = createAssignmentStore(createMemoryEngine());
  await store.init();
  const directStarted = performance.now();
  await ingestAll(store, events, INGEST.batch);
  const directMs = performance.now() - directStarted;
  log(
    `store.ingest: ${count(events.length)} in ${ms(directMs)} ms; JSON.parse + parseEventBatch alone ${ms(parseMs)} ms`,
  );
  await store.close();
  return {
    httpRate: (accepted / httpMs) * 1000,
    directRate: (events.length / directMs) * 1000,
    parseRate: (events.length / parseMs) * 1000,
    accepted,
  };
}

const mark = (met: boolean) => (met ? '✓' : '✗ missed');

async function main(): Promise<void> {
  const benchStarted = performance.now();
  console.log(`Handoff bench · range "${TEXT}" in ${ZONE}: ${RANGE.label}\n`);

  const ack = await measureAck();

  console.log('2. command → reply at response_url, in-process engine, sequential commands');
  const replies: ReplyNumbers[] = [];
  for (const [i, size] of REPLY.sizes.entries()) {
    const r = await measureReply(size, 100 + i);
    replies.push(r);
    log(
      `${count(size)} in range (+${count(r.stored - size)} in the previous period): ingest ${ms(r.ingestMs)} ms, ` +
        `first reply ${ms(r.firstMs)} ms, reply total ${r.total} vs loop ${r.floorTotal}`,
    );
  }

  const ingest = await measureIngest();
  const webhookRows = await benchWebhooks();
  console.log('5. CSV import');
  const csvRows = await benchCsvImport();
  const digestRows = await benchDigests();
  const timelineRows = await benchTimeline();
  const exportRows = await benchExport();
  const chartRows = await benchCharts();
  const latencyRows = await benchLatency();

  const ackP99Ratio = percentile(ack.real, 99) / percentile(ack.bare, 99);
  const burstP99Ratio = percentile(ack.burstReal, 99) / percentile(ack.burstBare, 99);
  const rows: string[][] = [
    [
      `ack p50, bursts of ${ACK.concurrency} concurrent (ms)`,
      ms(percentile(ack.burstReal, 50)),
      `bare Bolt ${ms(percentile(ack.burstBare, 50))}`,
      ratio(percentile(ack.burstReal, 50) / percentile(ack.burstBare, 50)),
      '',
    ],
    [
      `ack p99, bursts of ${ACK.concurrency} concurrent (ms)`,
      ms(percentile(ack.burstReal, 99)),
      `bare Bolt ${ms(percentile(ack.burstBare, 99))}`,
      ratio(burstP99Ratio),
      `≤ 1.20× ${mark(burstP99Ratio <= 1.2)}`,
    ],
    [
      `ack p50, ${ACK.concurrency} sustained (ms)`,
      ms(percentile(ack.real, 50)),
      `bare Bolt ${ms(percentile(ack.bare, 50))}`,
      ratio(percentile(ack.real, 50) / percentile(ack.bare, 50)),
      '',
    ],
    [
      `ack p99, ${ACK.concurrency} sustained (ms)`,
      ms(percentile(ack.real, 99)),
      `bare Bolt ${ms(percentile(ack.bare, 99))}`,
      ratio(ackP99Ratio),
      'see note',
    ],
  ];
  for (const r of replies) {
    const p95 = percentile(r.replies, 95);
    const floor = percentile(r.floor, 50);
    rows.push([
      `reply p50 / p95, ${count(r.size)} in range (ms)`,
      `${ms(percentile(r.replies, 50))} / ${ms(p95)}`,
      `plain loop p50 ${ms(floor)}`,
      `${ratio(percentile(r.replies, 50) / floor)} / ${ratio(p95 / floor)}`,
      r.size === 50_000 ? `p95 < 1000 ms ${mark(p95 < 1000)}` : '',
    ]);
  }
  rows.push([
    `ingest POST /api/events ×${INGEST.batch} (events/s)`,
    count(ingest.httpRate),
    `store.ingest ${count(ingest.directRate)}`,
    ratio(ingest.httpRate / ingest.directRate),
    `≥ 5,000/s ${mark(ingest.httpRate >= 5_000)}`,
  ]);

  rows.push(
    ...webhookRows,
    ...csvRows,
    ...digestRows,
    ...timelineRows,
    ...exportRows,
    ...chartRows,
    ...latencyRows,
  );
  console.log('');
  console.log(formatTable(['measure', 'value', 'reference', 'ratio', 'target'], rows));
  console.log('');
  console.log(
    `ack: bursts ${ack.burstReal.length} real / ${ack.burstBare.length} bare; sustained ${ack.real.length} real / ${ack.bare.length} bare requests after ${ACK.warmup} warm-up each; ` +
      `failures real ${ack.realFailures}, bare ${ack.bareFailures}; throughput real ${count(ack.realRps)}/s, ` +
      `bare ${count(ack.bareRps)}/s; reports still owed after the last ack drained in ${ack.drainMs.map(ms).join(', ')} ms; ` +
      `longest event-loop block under load: real ${ms(ack.realLoopMaxMs)} ms, bare ${ms(ack.bareLoopMaxMs)} ms`,
  );
  console.log(
    `reply: ${REPLY.commands} timed commands after ${REPLY.warmup} warm-up; first reply after ingest ` +
      `${replies.map((r) => `${count(r.size)}: ${ms(r.firstMs)} ms`).join(', ')}; ` +
      `totals ${replies.every((r) => r.total === r.floorTotal && r.total === r.size) ? 'match the loop' : 'DIFFER from the loop'}`,
  );
  console.log(
    `ingest: ${count(ingest.accepted)} accepted over HTTP; JSON.parse + parseEventBatch alone ${count(ingest.parseRate)} events/s`,
  );
  const cpu = cpus();
  console.log(
    `node ${process.version} · ${cpu.length} CPUs (${cpu[0]?.model.trim() ?? 'unknown'}) · ${new Date().toISOString()} · ` +
      `bench took ${ms((performance.now() - benchStarted) / 1000)} s`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
