import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import type { AssignmentEvent } from '../src/domain/event.ts';
import type { TimelineSubject } from '../src/domain/timeline.ts';
import { type AssignmentStore, createAssignmentStore, EVENTS } from '../src/store/assignment-store.ts';
import type { Doc, Engine } from '../src/store/collection.ts';
import { createMemoryEngine } from '../src/store/memory-engine.ts';
import { createMongoEngine } from '../src/store/mongo-engine.ts';
import { timelineQuery } from '../src/store/timeline-queries.ts';
import { makeEvents } from './make-events.ts';
import { percentile } from './percentile.ts';
import { count, ms } from './print-table.ts';

// `tsx bench/timeline.ts` (or benchTimeline() from bench/run.ts): one conversation's timeline among 1,000,000
// events in the in-process engine, read through the store as the command reads it (the conversation_ts_id index),
// beside the same query written so that no index can serve it (the equality as a `$expr`: a full scan), to
// show the index is used. Where MONGODB_URI names a MongoDB, the winning plan of the same query there.

const EVENT_COUNT = 1_000_000;
const CONTACTS = 100_000;
const LOOKUPS = 20;
const SCANS = 5;
const LOAD_BATCH = 5_000;
/** Events stored in MongoDB for the plan: enough for the planner to choose among the indexes. */
const MONGO_EVENTS = 50_000;

const log = (line: string) => console.log(`  … ${line}`);

function benchEvents(n: number, seed: number): AssignmentEvent[] {
  const to = new Date();
  return makeEvents({
    windows: [{ from: new Date(to.getTime() - 90 * 86_400_000), to, count: n }],
    contacts: Math.round((CONTACTS * n) / EVENT_COUNT),
    idPrefix: `tl${seed}`,
    seed,
  });
}

async function load(store: AssignmentStore, events: AssignmentEvent[]): Promise<void> {
  let accepted = 0;
  for (let i = 0; i < events.length; i += LOAD_BATCH)
    accepted += (await store.ingest(events.slice(i, i + LOAD_BATCH))).accepted;
  if (accepted !== events.length)
    throw new Error(`bench data: only ${accepted} of ${events.length} accepted`);
}

/** `LOOKUPS` conversations spread over the data, each with at least two events. */
function pickConversations(events: AssignmentEvent[]): string[] {
  const sizes = new Map<string, number>();
  for (const e of events)
    if (e.conversationId) sizes.set(e.conversationId, (sizes.get(e.conversationId) ?? 0) + 1);
  const many = [...sizes].filter(([, size]) => size >= 2).map(([id]) => id);
  return Array.from({ length: LOOKUPS }, (_, i) => many[Math.floor((i * many.length) / LOOKUPS)] ?? '');
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}

/** The stages of a winning plan from the top down, e.g. `SORT > FETCH > IXSCAN conversation_ts_id`. */
function planStages(node: unknown): string[] {
  if (typeof node !== 'object' || node === null) return [];
  const record = Object.fromEntries(Object.entries(node));
  const nested =
    record.queryPlan ??
    record.inputStage ??
    (Array.isArray(record.inputStages) ? record.inputStages[0] : undefined);
  if (typeof record.stage !== 'string') return planStages(nested);
  const name = typeof record.indexName === 'string' ? `${record.stage} ${record.indexName}` : record.stage;
  return [name, ...planStages(nested)];
}

async function mongoPlan(
  uri: string,
  subject: (events: AssignmentEvent[]) => TimelineSubject,
): Promise<string[]> {
  const dbName = `handoff_bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const engine: Engine = await createMongoEngine(uri, dbName);
  const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    const store = createAssignmentStore(engine);
    await store.init();
    const events = benchEvents(MONGO_EVENTS, 12);
    await load(store, events);
    const query = timelineQuery(subject(events), {}, 10_001);
    const explained = await client
      .db(dbName)
      .collection<Doc>(EVENTS)
      .find(query.filter, query.options)
      .explain('queryPlanner');
    const planner = Object.fromEntries(Object.entries(explained)).queryPlanner;
    const winning =
      typeof planner === 'object' && planner !== null
        ? Object.fromEntries(Object.entries(planner)).winningPlan
        : undefined;
    return planStages(winning);
  } finally {
    await client
      .db(dbName)
      .dropDatabase()
      .catch(() => {});
    await client.close();
    await engine.close();
  }
}

/** Table rows: timeline lookup time against a full scan, and MongoDB's winning plan (or why it was skipped). */
export async function benchTimeline(): Promise<string[][]> {
  console.log(`7. timeline of one conversation among ${count(EVENT_COUNT)} events, in-process engine`);
  const engine = createMemoryEngine();
  const store = createAssignmentStore(engine);
  await store.init();
  let events: AssignmentEvent[] | undefined = benchEvents(EVENT_COUNT, 11);
  const conversations = pickConversations(events);
  const expectedCounts = conversations.map(
    (id) => events?.filter((e) => e.conversationId === id).length ?? 0,
  );
  const loaded = await timed(() => load(store, events ?? []));
  log(`loaded ${count(EVENT_COUNT)} events over ${count(CONTACTS)} contacts in ${ms(loaded.ms / 1000)} s`);
  // Only the engine holds the events from here on.
  events = undefined;
  const subjectOf = (id: string): TimelineSubject => ({ kind: 'conversation', id });

  // The first read after the writes sorts the engine's pending index entries: warm up, untimed.
  await store.timeline(subjectOf(conversations[0] ?? ''), {});
  const lookups: number[] = [];
  let entries = 0;
  for (const id of conversations) {
    const { ms: took, result } = await timed(() => store.timeline(subjectOf(id), {}));
    lookups.push(took);
    entries += result.kind === 'events' ? result.events.rows.length : 0;
  }

  // The same query with the equality as an expression (`$expr`): no index serves it here (the engine, like
  // MongoDB's planner, lifts a plain `$and`'s conditions to an index), so every document is tested.
  const collection = engine.collection(EVENTS);
  const scans: number[] = [];
  let scanned = 0;
  for (const id of conversations.slice(0, SCANS)) {
    const query = timelineQuery(subjectOf(id), {}, 10_001);
    const { ms: took, result } = await timed(async () => {
      let found = 0;
      const { conversationId, ...rest } = query.filter;
      const scan = { ...rest, $expr: { $eq: ['$conversationId', conversationId] } };
      for await (const _ of collection.find(scan, query.options)) found++;
      return found;
    });
    scans.push(took);
    scanned += result;
  }
  const expected = expectedCounts.slice(0, SCANS).reduce((sum, n) => sum + n, 0);
  log(
    `${LOOKUPS} lookups found ${entries} entries (the events say ${expectedCounts.reduce((a, b) => a + b, 0)}); ` +
      `${SCANS} full scans found ${scanned}, the events say ${expected}`,
  );
  await store.close();

  const p50 = percentile(lookups, 50);
  const p95 = percentile(lookups, 95);
  const scanP50 = percentile(scans, 50);
  const rows: string[][] = [
    [
      `timeline, 1 conversation of ${count(EVENT_COUNT)} events, p50 / p95 (ms)`,
      `${ms(p50)} / ${ms(p95)}`,
      `full scan p50 ${ms(scanP50)}`,
      // value ÷ reference, as the other rows; written as a fraction since it is far below 0.01.
      `1/${count(scanP50 / p50)}`,
      `index, not a scan ${p95 * 10 < scanP50 ? '✓' : '✗ missed'}`,
    ],
  ];

  const uri = process.env.MONGODB_URI ?? '';
  if (uri.startsWith('mongodb://') || uri.startsWith('mongodb+srv://')) {
    const stages = await mongoPlan(uri, (stored) => subjectOf(pickConversations(stored)[0] ?? ''));
    log(`MongoDB winning plan: ${stages.join(' > ')}`);
    rows.push([
      `timeline plan on MongoDB (${count(MONGO_EVENTS)} events)`,
      stages.join(' > '),
      'COLLSCAN would be a scan',
      '',
      `IXSCAN ${stages.some((s) => s.startsWith('IXSCAN')) ? '✓' : '✗ missed'}`,
    ]);
  } else {
    console.log('  … MongoDB plan skipped: MONGODB_URI does not name a MongoDB (mongodb://…)');
    rows.push(['timeline plan on MongoDB', 'skipped', 'MONGODB_URI not set', '', '']);
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await benchTimeline()) console.log(row.join(' | '));
  process.exit(0);
}
