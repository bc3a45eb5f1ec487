import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Doc, StoreCollection } from '../../src/store/collection.ts';
import { createWorkerEngine, type WorkerEngine } from '../../src/store/worker-engine.ts';

// The worker engine's `find` is a cursor: batches cross the thread one at a time, the next only when asked for,
// and the worker lets go of the cursor however the consumer stops.

const N = 25_000;
const START = Date.UTC(2026, 10, 1);
const SORT = { ts: 1, _id: 1 } as const;

/** Doc i: times repeat in threes (ties), inserted out of order, ids unrelated to time. */
function doc(i: number): Doc {
  return {
    _id: `d${String((i * 7919) % N).padStart(5, '0')}`,
    ts: new Date(START + Math.floor(i / 3) * 1000),
    n: i,
  };
}

describe('worker engine cursor', () => {
  let engine: WorkerEngine;
  let c: StoreCollection;

  beforeAll(async () => {
    engine = createWorkerEngine();
    c = engine.collection('cursor_test');
    await c.createIndexes([{ name: 'ts', keys: { ts: -1, _id: -1 } }]);
    const order = Array.from({ length: N }, (_, i) => (i * 4099) % N);
    for (let i = 0; i < N; i += 5000)
      await c.upsertMany(
        order.slice(i, i + 5000).map((j) => {
          const { _id, ...rest } = doc(j);
          return { filter: { _id }, update: { $setOnInsert: rest } };
        }),
      );
  }, 60_000);

  afterAll(() => engine.close());

  it('delivers 25,000 documents in order, in batches of the size asked for', async () => {
    const before = await engine.cursorStats();
    const seen: Doc[] = [];
    for await (const d of c.find({}, { sort: SORT, batchSize: 1000 })) seen.push(d);
    const after = await engine.cursorStats();
    expect(seen).toHaveLength(N);
    const expected = Array.from({ length: N }, (_, i) => doc(i)).sort(
      (a, b) =>
        (a.ts as Date).getTime() - (b.ts as Date).getTime() || String(a._id).localeCompare(String(b._id)),
    );
    expect(seen.map((d) => d._id)).toEqual(expected.map((d) => d._id));
    expect(seen[0]).toEqual(expected[0]);
    expect(after.batches - before.batches).toBe(N / 1000);
    expect(after.open).toBe(0);
  });

  it('asks for the next batch only when the consumer has taken the last one', async () => {
    const before = await engine.cursorStats();
    const docs = c.find({}, { sort: { ts: -1, _id: -1 }, batchSize: 1000 })[Symbol.asyncIterator]();
    const first = await docs.next();
    expect(first.value).toMatchObject({ ts: new Date(START + Math.floor((N - 1) / 3) * 1000) });
    expect((await engine.cursorStats()).batches - before.batches).toBe(1);
    for (let i = 1; i < 1000; i++) await docs.next();
    expect((await engine.cursorStats()).batches - before.batches).toBe(1);
    await docs.next();
    expect((await engine.cursorStats()).batches - before.batches).toBe(2);
    expect((await engine.cursorStats()).open).toBe(1);
    await docs.return?.();
    expect((await engine.cursorStats()).open).toBe(0);
  });

  it('sends only the fields a projection names, and _id', async () => {
    const docs: Doc[] = [];
    for await (const d of c.find({ n: { $lt: 3 } }, { sort: SORT, projection: { n: 1 } })) docs.push(d);
    expect(docs).toEqual(
      [
        { _id: doc(0)._id, n: 0 },
        { _id: doc(1)._id, n: 1 },
        { _id: doc(2)._id, n: 2 },
      ].sort((a, b) => String(a._id).localeCompare(String(b._id))),
    );
  });

  it('closes the cursor when the consumer stops early', async () => {
    let taken = 0;
    for await (const _ of c.find({}, { sort: SORT, batchSize: 100 })) if (++taken === 250) break;
    expect(taken).toBe(250);
    expect(await engine.cursorStats()).toMatchObject({ open: 0 });
  });

  it('closes the cursor when the consumer fails', async () => {
    const consume = async () => {
      for await (const d of c.find({ n: { $gte: 10 } }, { sort: SORT, batchSize: 50 }))
        if (d.n === 20_000) throw new Error('consumer failed');
    };
    await expect(consume()).rejects.toThrow('consumer failed');
    expect(await engine.cursorStats()).toMatchObject({ open: 0 });
  });

  it('reports a filter the engine cannot run, leaving nothing open', async () => {
    const consume = async () => {
      for await (const _ of c.find({ n: { $nope: 1 } }, { sort: SORT })) break;
    };
    await expect(consume()).rejects.toThrow(/\$nope/);
    expect(await engine.cursorStats()).toMatchObject({ open: 0 });
  });

  it('keeps going when documents are written between batches, seeing those that sort after its position', async () => {
    const s = engine.collection('cursor_writes');
    await s.createIndexes([{ name: 'ts', keys: { ts: -1, _id: -1 } }]);
    await s.upsertMany(
      Array.from({ length: 3000 }, (_, i) => ({
        filter: { _id: `w${String(i).padStart(4, '0')}` },
        update: { $setOnInsert: { ts: new Date(START + i * 1000) } },
      })),
    );
    const seen: string[] = [];
    for await (const d of s.find({}, { sort: SORT, batchSize: 500 })) {
      seen.push(String(d._id));
      if (seen.length === 1000) {
        // One behind the cursor, one ahead of it.
        await s.updateOne({ _id: 'early' }, { $set: { ts: new Date(START) } }, { upsert: true });
        await s.updateOne({ _id: 'late' }, { $set: { ts: new Date(START + 5_000_000) } }, { upsert: true });
      }
    }
    expect(seen).toHaveLength(3001);
    expect(seen).not.toContain('early');
    expect(seen.at(-1)).toBe('late');
    expect(new Set(seen).size).toBe(seen.length);
  });
});
