import { afterEach, describe, expect, it } from 'vitest';
import type { AssignmentEvent, Party, StoredEvent } from '../../src/domain/event.ts';
import { storedEventSchema } from '../../src/domain/event.ts';
import { NO_FILTERS } from '../../src/domain/filters.ts';
import { resolveRange } from '../../src/domain/range.ts';
import { importAssignmentsCsv } from '../../src/ingest/csv/import-assignments-csv.ts';
import {
  type AssignmentStore,
  CONTACT_STATE,
  createAssignmentStore,
  EVENTS,
  type IngestSummary,
} from '../../src/store/assignment-store.ts';
import type { Engine } from '../../src/store/collection.ts';
import { COUNTED } from '../../src/store/pipelines.ts';
import { makeEvent } from '../builders/event.ts';
import { textInput } from '../ingest/csv/helpers.ts';
import { testEngines } from './engines.ts';
import { aroundEngine, failNthWrite, pauseAt } from './wrap-engine.ts';

// The counting rules on every path: the sender's previous assignee, concurrent requests, late events at one
// instant, CSV enrichment raced or interrupted, and identical batches at once. Each case is a reproduction
// from the ingest-rules issue; each expected number is worked out by hand.

const NOW = new Date('2026-11-30T12:00:00Z');
const at = (iso: string) => new Date(iso);
const MEI: Party = { id: 'u1', name: 'Mei Tan' };
const JOHN: Party = { id: 'u2', name: 'John Doe' };
const A1: Party = { id: 'a1', name: 'Agent One' };
const A2: Party = { id: 'a2', name: 'Agent Two' };
const K: Party = { id: 'k', name: 'Kay' };
const TODAY = resolveRange({ kind: 'preset', preset: 'today' }, NOW, 'UTC');
const WEEK = resolveRange({ kind: 'preset', preset: 'last_7_days' }, NOW, 'UTC');

const summary = (accepted: number, duplicates: number, unchanged: number, enriched = 0): IngestSummary => ({
  accepted,
  duplicates,
  unchanged,
  enriched,
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** What a contact's log says, as `previous→assignee` of the events that count, in log order. */
async function links(engine: Engine, contactId: string): Promise<string[]> {
  const docs = await collect(
    engine.collection(EVENTS).find({ 'contact.id': contactId, ...COUNTED }, { sort: { ts: 1, _id: 1 } }),
  );
  return docs
    .map((d) => storedEventSchema.parse(d))
    .map((e) => `${e.previousAssignee?.name ?? '-'}→${e.assignee?.name ?? '-'}`);
}

describe.each(testEngines('rules'))('ingest rules on the %s', (_name, open) => {
  let engine: Engine;
  let store: AssignmentStore;
  const start = async (wrap: (e: Engine) => Engine = (e) => e) => {
    engine = await open();
    store = createAssignmentStore(wrap(engine), () => NOW);
    await store.init();
    return store;
  };
  afterEach(async () => {
    await engine.close();
  });

  describe("the sender's previous assignee decides", () => {
    it('counts an unassignment that names who had it, for a contact never seen (K1)', async () => {
      await start();
      const event = makeEvent({
        id: 'r1',
        timestamp: at('2026-11-30T10:00:00Z'),
        conversationId: '501',
        contact: { id: 'K1', name: 'Kay One' },
        previousAssignee: MEI,
        assignee: null,
        source: 'close_conversation',
      });
      expect(await store.ingest([event])).toEqual(summary(1, 0, 0));
      expect(await links(engine, 'K1')).toEqual(['Mei Tan→-']);
    });

    it('does not count an event whose new assignee is the one it names as before (K2)', async () => {
      await start();
      const event = makeEvent({
        id: 'r2',
        timestamp: at('2026-11-30T10:00:00Z'),
        contact: { id: 'K2', name: 'Kay Two' },
        previousAssignee: MEI,
        assignee: MEI,
      });
      expect(await store.ingest([event])).toEqual(summary(0, 0, 1));
      expect(await links(engine, 'K2')).toEqual([]);
      expect((await store.report(TODAY, NO_FILTERS)).total).toBe(0);
      // The state still moves to the newest assignee: the next omitted "before" is Mei.
      const next = makeEvent({
        id: 'r3',
        timestamp: at('2026-11-30T11:00:00Z'),
        contact: event.contact,
        assignee: MEI,
      });
      expect(await store.ingest([next])).toEqual(summary(0, 0, 1));
    });

    it("imports the first Close Conversation row of a contact it has not seen (K3's CSV row)", async () => {
      await start();
      const csv = [
        'Timestamp,Conversation ID,Contact ID,Contact Name,Previous Assignee,Assigned To,Source,Assigned By',
        '2026-11-30 12:00:00,503,K3,Kay Three,Mei Tan,,Close Conversation,',
      ].join('\n');
      const result = await importAssignmentsCsv({ store }, textInput(csv), {
        timezone: 'UTC',
        skipInvalid: false,
      });
      expect(result).toMatchObject({ ok: true, new: 1, unchanged: 0 });
      expect(await links(engine, 'K3')).toEqual(['Mei Tan→-']);
    });

    it('counts a move the sender saw and Handoff missed: held by John, then Mei → John', async () => {
      await start();
      await store.ingest([makeEvent({ id: 'j', timestamp: at('2026-11-30T08:00:00Z'), assignee: JOHN })]);
      const seen = makeEvent({
        id: 'mj',
        timestamp: at('2026-11-30T09:00:00Z'),
        previousAssignee: MEI,
        assignee: JOHN,
      });
      expect(await store.ingest([seen])).toEqual(summary(1, 0, 0));
      expect(await links(engine, makeEvent().contact.id)).toEqual(['-→John Doe', 'Mei Tan→John Doe']);
    });
  });

  describe('no drop and no double count', () => {
    it('decides "unchanged" under the same compare-and-set: a request that moved the contact meanwhile counts (Q, P)', async () => {
      // k is held by a1. Q (k → a1 at 05:00, among others) reaches the contact's compare-and-set and is held
      // there; P (k → a2 at 02:00) is sent and answered; then Q goes on.
      let armed = false;
      const pause = pauseAt(
        await open(),
        (call) =>
          armed &&
          call.collection === CONTACT_STATE &&
          call.method === 'updateOne' &&
          (call.args[0] as { _id?: unknown })._id === K.id,
      );
      engine = pause.engine;
      store = createAssignmentStore(engine, () => NOW);
      await store.init();
      await store.ingest([
        makeEvent({ id: 'k0', contact: K, timestamp: at('2026-11-30T01:00:00Z'), assignee: A1 }),
      ]);
      armed = true;
      const others = Array.from({ length: 200 }, (_, i) =>
        makeEvent({
          id: `q${i}`,
          contact: { id: `c${i}`, name: `C${i}` },
          timestamp: at('2026-11-30T05:00:00Z'),
        }),
      );
      const q = store.ingest([
        ...others,
        makeEvent({ id: 'q-k', contact: K, timestamp: at('2026-11-30T05:00:00Z'), assignee: A1 }),
      ]);
      await pause.reached;
      const p = await store.ingest([
        makeEvent({ id: 'p-k', contact: K, timestamp: at('2026-11-30T02:00:00Z'), assignee: A2 }),
      ]);
      pause.release();
      const qResult = await q;
      expect(p).toEqual(summary(1, 0, 0));
      expect(qResult).toEqual(summary(201, 0, 0));
      expect(await links(engine, K.id)).toEqual([
        '-→Agent One',
        'Agent One→Agent Two',
        'Agent Two→Agent One',
      ]);
    });

    it('gives the same log whichever of Q and P arrives first', async () => {
      await start();
      await store.ingest([
        makeEvent({ id: 'k0', contact: K, timestamp: at('2026-11-30T01:00:00Z'), assignee: A1 }),
      ]);
      // Q first this time: its k → a1 is no change when it arrives, and becomes one when P's earlier move lands.
      expect(
        await store.ingest([
          makeEvent({ id: 'q-k', contact: K, timestamp: at('2026-11-30T05:00:00Z'), assignee: A1 }),
        ]),
      ).toEqual(summary(0, 0, 1));
      await store.ingest([
        makeEvent({ id: 'p-k', contact: K, timestamp: at('2026-11-30T02:00:00Z'), assignee: A2 }),
      ]);
      expect(await links(engine, K.id)).toEqual([
        '-→Agent One',
        'Agent One→Agent Two',
        'Agent Two→Agent One',
      ]);
      expect((await store.report(TODAY, NO_FILTERS)).total).toBe(3);
    });

    it('orders late events at one instant by key: one counts and one is no change, in any arrival order', async () => {
      const x = makeEvent({ id: 'x', contact: K, timestamp: at('2026-11-30T01:00:00Z'), assignee: A2 });
      const y = makeEvent({ id: 'y', contact: K, timestamp: at('2026-11-30T01:00:00Z'), assignee: A2 });
      const l = makeEvent({ id: 'l', contact: K, timestamp: at('2026-11-30T03:00:00Z'), assignee: A1 });
      const orders: AssignmentEvent[][][] = [
        [[l], [x, y]],
        [[l], [y, x]],
        [[l], [y], [x]],
        [[x, y, l]],
        [[y], [l], [x]],
      ];
      const results: string[][] = [];
      for (const order of orders) {
        await start();
        for (const batch of order) await store.ingest(batch);
        results.push(await links(engine, K.id));
        expect((await store.report(TODAY, NO_FILTERS)).total).toBe(2);
        await engine.close();
      }
      engine = await open();
      for (const result of results) expect(result).toEqual(['-→Agent Two', 'Agent Two→Agent One']);
    });

    it('enriches each webhook event once when the same CSV is imported twice at once', async () => {
      await start();
      const rows: string[] = [];
      const webhooks = Array.from({ length: 50 }, (_, i) => {
        const time = new Date(NOW.getTime() - (i + 1) * 600_000);
        // The platform's log has the time a little before the webhook arrived.
        const logged = new Date(time.getTime() - 20_000).toISOString().replace('T', ' ').slice(0, 19);
        rows.push(`${logged},,C${i},Contact ${i},,Mei Tan,Workflow,`);
        return makeEvent({
          id: `respondio:${i}`,
          conversationId: null,
          contact: { id: `C${i}`, name: `Contact ${i}` },
          timestamp: time,
          assignee: MEI,
          source: 'unknown',
        });
      });
      expect(await store.ingest(webhooks, { origin: 'webhook' })).toEqual(summary(50, 0, 0));
      const csv = [
        'Timestamp,Conversation ID,Contact ID,Contact Name,Previous Assignee,Assigned To,Source,Assigned By',
        ...rows,
      ].join('\n');
      const options = { timezone: 'UTC', skipInvalid: false, batchSize: 7 };
      const imports = await Promise.all([
        importAssignmentsCsv({ store }, textInput(csv), options),
        importAssignmentsCsv({ store }, textInput(csv), options),
      ]);
      expect(imports.map((r) => r.new)).toEqual([0, 0]);
      expect(imports.reduce((n, r) => n + r.enriched, 0)).toBe(50);
      expect(imports.reduce((n, r) => n + r.duplicates, 0)).toBe(50);
      const report = await store.report(TODAY, NO_FILTERS);
      expect(report.total).toBe(50);
      expect(report.bySource.find((s) => s.source === 'workflow')?.count).toBe(50);
    });

    it('stores exactly what one send stores when the identical batch is sent 5 times at once', async () => {
      const batch = [
        ...Array.from({ length: 40 }, (_, i) =>
          makeEvent({
            contact: { id: `c${i % 7}`, name: `C${i % 7}` },
            timestamp: at(`2026-11-30T0${i % 9}:${String(i).padStart(2, '0')}:00Z`),
            assignee: i % 3 === 0 ? null : ([A1, A2, MEI][i % 3] ?? null),
          }),
        ),
      ];
      await start();
      await store.ingest(batch);
      const once = await snapshot(engine);
      await engine.close();

      await start();
      const results = await Promise.all(Array.from({ length: 5 }, () => store.ingest(batch)));
      expect(await snapshot(engine)).toEqual(once);
      expect(results.reduce((n, r) => n + r.accepted + r.unchanged, 0)).toBe(
        once.filter((e) => e.startsWith('+') || e.startsWith('=')).length,
      );
    });
  });

  describe('a failure at any write, then a resend', () => {
    /** Webhooks, API events with and without a previous assignee, late events, and a CSV that enriches. */
    async function scenario(s: AssignmentStore): Promise<void> {
      const steps: (() => Promise<unknown>)[] = [
        () =>
          s.ingest(
            [
              makeEvent({
                id: 'w1',
                contact: K,
                timestamp: at('2026-11-30T08:00:00Z'),
                assignee: A1,
                source: 'unknown',
              }),
              makeEvent({
                id: 'w2',
                contact: K,
                timestamp: at('2026-11-30T09:00:00Z'),
                assignee: A2,
                source: 'unknown',
              }),
              makeEvent({
                id: 'w3',
                timestamp: at('2026-11-30T09:00:00Z'),
                assignee: MEI,
                source: 'unknown',
              }),
            ],
            { origin: 'webhook' },
          ),
        () =>
          s.ingest([
            makeEvent({ id: 'late', contact: K, timestamp: at('2026-11-30T08:30:00Z'), assignee: MEI }),
            makeEvent({ id: 'same', contact: K, timestamp: at('2026-11-30T10:00:00Z'), assignee: A2 }),
            makeEvent({
              id: 'named',
              timestamp: at('2026-11-30T10:00:00Z'),
              previousAssignee: JOHN,
              assignee: MEI,
            }),
          ]),
        () =>
          importAssignmentsCsv(
            { store: s },
            textInput(
              [
                'Timestamp,Conversation ID,Contact ID,Contact Name,Previous Assignee,Assigned To,Source,Assigned By',
                '2026-11-30 07:59:40,9,k,Kay,,Agent One,Workflow,',
                '2026-11-30 08:59:30,9,k,Kay,Mei Tan,Agent Two,User,John Doe',
                '2026-11-30 07:00:00,9,k,Kay,,Agent Two,Bot,',
              ].join('\n'),
            ),
            { timezone: 'UTC', skipInvalid: false },
          ),
      ];
      for (const step of steps) {
        try {
          await step();
        } catch {
          // Answered 503: the sender resends the same thing.
          await step();
        }
      }
    }

    it('stops the batch at the first failed write, and the sweep finishes what was decided though nobody resends', async () => {
      // Fail the bulk write of the events: every contact's decision is written, none carried out.
      let failed = false;
      engine = await open();
      const faulty = aroundEngine(engine, (call, proceed) => {
        if (!failed && call.collection === EVENTS && call.method === 'upsertMany') {
          failed = true;
          return Promise.reject(new Error('injected: the bulk write of events failed'));
        }
        return proceed();
      });
      store = createAssignmentStore(faulty, () => NOW);
      await store.init();
      const batch = Array.from({ length: 30 }, (_, i) =>
        makeEvent({
          id: `s${i}`,
          contact: { id: `c${i % 10}`, name: `C${i}` },
          timestamp: at(`2026-11-30T0${i % 9}:00:00Z`),
          assignee: i % 2 ? A1 : A2,
        }),
      );
      await expect(store.ingest(batch)).rejects.toThrow('injected');
      expect((await store.report(TODAY, NO_FILTERS)).total).toBe(0);
      // A minute later nothing has been resent; the sweep carries the decisions out.
      expect(await store.finishInterrupted(new Date(NOW.getTime() - 1))).toBe(0);
      expect(await store.finishInterrupted(new Date(NOW.getTime() + 60_000))).toBe(10);
      const clean = await open();
      const reference = createAssignmentStore(clean, () => NOW);
      await reference.init();
      await reference.ingest(batch);
      expect(await snapshot(engine)).toEqual(await snapshot(clean));
      await clean.close();
    });

    it('ends exactly as a clean run, whichever write fails', async () => {
      const clean = failNthWrite(await open(), 0);
      engine = clean.engine;
      await scenario(createAssignmentStore(engine, () => NOW));
      const expected = await snapshot(engine);
      const writes = clean.writes();
      expect(writes).toBeGreaterThan(10);
      await engine.close();
      for (let n = 1; n <= writes; n++) {
        const faulty = failNthWrite(await open(), n);
        engine = faulty.engine;
        await scenario(createAssignmentStore(engine, () => NOW));
        expect({ n, state: await snapshot(engine) }).toEqual({ n, state: expected });
        await engine.close();
      }
      engine = await open();
    });
  });

  describe('one agent, one identity; teams seen on events are teams', () => {
    const header =
      'Timestamp,Conversation ID,Contact ID,Contact Name,Previous Assignee,Assigned To,Source,Assigned By';

    it("gives a CSV row's agents the directory's ids, so webhook and CSV events count as one person", async () => {
      await start();
      await store.agents.upsert([
        { id: 'u1', name: 'Mei Tan', team: 'Support' },
        { id: 'sl-1', name: 'Sarah Lee', team: 'Leads' },
      ]);
      await store.ingest(
        [
          makeEvent({
            id: 'w',
            contact: K,
            timestamp: at('2026-11-30T08:00:00Z'),
            assignee: MEI,
            source: 'unknown',
          }),
        ],
        { origin: 'webhook' },
      );
      const csv = [header, '2026-11-30 09:00:00,7,K9,Kay Nine,,mei tan,User,Sarah Lee'].join('\n');
      const result = await importAssignmentsCsv({ store }, textInput(csv), {
        timezone: 'UTC',
        skipInvalid: false,
      });
      expect(result).toMatchObject({ ok: true, new: 1, ambiguousNames: [] });
      const by = (filters: Partial<typeof NO_FILTERS>) => store.report(TODAY, { ...NO_FILTERS, ...filters });
      expect((await by({ assignees: ['u1'] })).total).toBe(2);
      expect((await by({ assignedBy: ['sl-1'] })).total).toBe(1);
      expect((await by({ teams: ['support'] })).total).toBe(2);
      const [row] = (await by({ contacts: ['K9'] })).latest;
      expect(row?.assignee).toEqual({ id: 'u1', name: 'Mei Tan' });
    });

    it('keeps a name two agents share as a name, and the import summary says so', async () => {
      await start();
      await store.agents.upsert([
        { id: 'a-1', name: 'Ali Hassan', team: 'Support' },
        { id: 'a-2', name: 'ali hassan', team: 'Sales' },
      ]);
      const csv = [header, '2026-11-30 09:00:00,7,K9,Kay Nine,,Ali Hassan,Workflow,'].join('\n');
      const result = await importAssignmentsCsv({ store }, textInput(csv), {
        timezone: 'UTC',
        skipInvalid: false,
      });
      expect(result).toMatchObject({ ok: true, new: 1, ambiguousNames: ['Ali Hassan'] });
      const [row] = (await store.report(TODAY, NO_FILTERS)).latest;
      expect(row?.assignee).toEqual({ id: 'Ali Hassan', name: 'Ali Hassan' });
      expect((await store.report(TODAY, { ...NO_FILTERS, teams: ['support'] })).total).toBe(0);
    });

    it('knows a team that arrived on events without a directory', async () => {
      await start();
      expect(await store.agents.teams()).toEqual([]);
      await store.ingest([
        makeEvent({
          id: 't1',
          timestamp: at('2026-11-30T08:00:00Z'),
          team: { id: 'chatwoot:7:3', name: 'Support' },
        }),
        makeEvent({
          id: 't2',
          contact: K,
          timestamp: at('2026-11-30T08:00:00Z'),
          team: { id: 'sales', name: 'Sales' },
        }),
      ]);
      expect(await store.agents.teams()).toEqual([
        { id: 'sales', name: 'Sales' },
        { id: 'chatwoot:7:3', name: 'Support' },
      ]);
      const overview = await store.agents.overview({
        from: at('2026-12-01T00:00:00Z'),
        to: at('2026-12-02T00:00:00Z'),
      });
      expect(overview.map((t) => `${t.team?.name}: ${t.total}`)).toEqual(['Sales: 0', 'Support: 0']);
    });
  });

  describe('nothing can break a contact', () => {
    it('rebuilds a state it cannot read from the log, and a time stored before times were checked never counts', async () => {
      const repaired: string[] = [];
      engine = await open();
      store = createAssignmentStore(engine, () => NOW, {
        onRepair: (id, problem) => repaired.push(`${id}: ${problem}`),
      });
      await store.init();
      await store.ingest([
        makeEvent({ id: 'k1', contact: K, timestamp: at('2026-11-30T01:00:00Z'), assignee: A1 }),
      ]);
      // What an older Handoff let in: an event of year 287,000 (seconds read as milliseconds twice over), and
      // the state it left, in the future, which made every later event look late.
      const far = new Date(8.64e15);
      await engine.collection(EVENTS).updateOne(
        { _id: 'id:far' },
        {
          $setOnInsert: {
            ...(await collect(engine.collection(EVENTS).find({ _id: 'id:k1' })))[0],
            _id: 'id:far',
            ts: far,
            assignee: A2,
            keys: { assignee: ['a2'], assignedBy: [], contact: ['k', 'kay'], team: [] },
          },
        },
        { upsert: true },
      );
      await engine
        .collection(CONTACT_STATE)
        .updateOne(
          { _id: K.id },
          { $set: { at: far, assignee: A2, lastKey: 'id:far', lastPrevious: 'garbage' } },
        );
      const next = makeEvent({ id: 'k2', contact: K, timestamp: at('2026-11-30T02:00:00Z'), assignee: A2 });
      expect(await store.ingest([next])).toEqual(summary(1, 0, 0));
      expect(repaired).toEqual([expect.stringMatching(/^k: at .* is in the future$/)]);
      // The next event follows the last real one.
      const after = makeEvent({ id: 'k3', contact: K, timestamp: at('2026-11-30T03:00:00Z'), assignee: A1 });
      expect(await store.ingest([after])).toEqual(summary(1, 0, 0));
      const timeline = await store.timeline({ kind: 'contact', id: K.id }, {});
      expect(
        timeline.kind === 'events' &&
          timeline.events.rows.map((r) => `${r.previousAssignee?.id ?? '-'}→${r.assignee?.id ?? '-'}`),
      ).toEqual(['-→a1', 'a1→a2', 'a2→a1']);
      expect((await store.report(TODAY, NO_FILTERS)).total).toBe(3);
    });

    it('rebuilds a state whose fields are garbage', async () => {
      await start();
      await store.ingest([
        makeEvent({ id: 'g1', contact: K, timestamp: at('2026-11-30T01:00:00Z'), assignee: A1 }),
      ]);
      await engine
        .collection(CONTACT_STATE)
        .updateOne({ _id: K.id }, { $set: { at: 'yesterday', version: 'x' } });
      const next = makeEvent({ id: 'g2', contact: K, timestamp: at('2026-11-30T02:00:00Z'), assignee: A1 });
      expect(await store.ingest([next])).toEqual(summary(0, 0, 1));
      const third = makeEvent({ id: 'g3', contact: K, timestamp: at('2026-11-30T04:00:00Z'), assignee: A2 });
      expect(await store.ingest([third])).toEqual(summary(1, 0, 0));
      expect(await links(engine, K.id)).toEqual(['-→Agent One', 'Agent One→Agent Two']);
    });
  });

  it('reports the week of the scenario without anything left undecided', async () => {
    await start();
    await store.ingest([makeEvent({ id: 'a', timestamp: at('2026-11-28T08:00:00Z') })]);
    expect((await store.report(WEEK, NO_FILTERS)).total).toBe(1);
    const states = await collect(engine.collection(CONTACT_STATE).find({ pending: { $exists: true } }));
    expect(states).toEqual([]);
  });
});

/**
 * The store's observable state: each event as `+` (counts) or `=` (kept as unchanged) with its place and
 * links, and each contact's holder, and that no decision is left unfinished. Versions and `rev` differ with the
 * retries a run needed and are left out.
 */
async function snapshot(engine: Engine): Promise<string[]> {
  const events = (await collect(engine.collection(EVENTS).find({}, { sort: { ts: 1, _id: 1 } }))).map((d) =>
    storedEventSchema.parse(d),
  );
  const describe = (e: StoredEvent) =>
    `${e.unchanged ? '=' : '+'} ${e._id} ${e.ts.toISOString()} ${e.contact.id} ${e.previousAssignee?.name ?? '-'}→${
      e.assignee?.name ?? '-'
    } ${e.source} by ${e.assignedBy?.name ?? '-'} conv ${e.conversationId ?? '-'}${e.enrichedBy ? ' enriched' : ''}`;
  const states = (await collect(engine.collection(CONTACT_STATE).find({}, { sort: { _id: 1 } }))).map(
    (d) =>
      `state ${String(d._id)} ${JSON.stringify(d.assignee)} ${(d.at as Date).toISOString()} ${String(d.lastKey)}${
        d.pending ? ' PENDING' : ''
      }`,
  );
  const aliases = (await collect(engine.collection('event_aliases').find({}, { sort: { _id: 1 } }))).map(
    (d) => `alias ${String(d._id)} → ${String(d.eventId)}`,
  );
  return [...events.map(describe), ...states, ...aliases];
}
