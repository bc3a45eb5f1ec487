import { describe, expect, it } from 'vitest';
import { type Doc, isStoreTimeout, type StoreCollection } from '../../src/store/collection.ts';
import { createMemoryEngine } from '../../src/store/memory-engine.ts';
import { createWorkerEngine } from '../../src/store/worker-engine.ts';

// Every store call has a time limit, and the in-process engine honours it as MongoDB does: it gives up on a
// read that runs past it and says so (StoreTimeoutError). The engine computes synchronously, so it looks at its
// clock while it scans; these tests step that clock instead of waiting.

/** A clock that moves `step` ms each time it is read (0 until told otherwise). */
function steppingClock() {
  let now = 0;
  const clock = Object.assign(() => (now += clock.step), { step: 0 });
  return clock;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

async function fill(c: StoreCollection, n: number): Promise<void> {
  await c.upsertMany(
    Array.from({ length: n }, (_, i) => ({
      filter: { _id: `d${i}` },
      update: { $setOnInsert: { n: i, group: i % 7 } },
    })),
  );
}

const all = async (docs: AsyncIterable<Doc>) => {
  const out: Doc[] = [];
  for await (const d of docs) out.push(d);
  return out;
};

describe('time limits in the in-process engine', () => {
  it('gives up on an aggregation that runs past its limit, and answers one that does not', async () => {
    const clock = steppingClock();
    const engine = createMemoryEngine({ limits: { readMs: 20_000, writeMs: 10_000 }, clock });
    const c = engine.collection('scratch');
    await fill(c, 6000);
    const pipeline = [{ $match: { n: { $gte: 0 } } }, { $group: { _id: '$group', count: { $sum: 1 } } }];
    expect(await c.aggregate(pipeline)).toHaveLength(7);
    // A second per look at the clock: the 21st look (after 5,376 documents) is past 20 s.
    clock.step = 1000;
    const error = await failure(c.aggregate(pipeline));
    expect(isStoreTimeout(error)).toBe(true);
    expect(String(error)).toBe(
      'StoreTimeoutError: the store took too long: aggregate on scratch gave up after 20000 ms',
    );
    // A call's own limit wins over the engine's.
    expect(await c.aggregate(pipeline, { timeoutMs: 60_000 })).toHaveLength(7);
  });

  it('bounds each pull from a cursor, not the cursor: a slow consumer reads to the end', async () => {
    const clock = steppingClock();
    const c = createMemoryEngine({ limits: { readMs: 5000, writeMs: 5000 }, clock }).collection('scratch');
    await fill(c, 3000);
    clock.step = 100;
    let read = 0;
    for await (const _ of c.find({}, { batchSize: 100 })) {
      read++;
      // The consumer takes its time between documents; that is not the engine's.
      clock();
      clock();
    }
    expect(read).toBe(3000);
    // A scan that finds nothing in 3,000 documents looks at the clock 11 times in one pull: past 5 s.
    clock.step = 1000;
    expect(isStoreTimeout(await failure(all(c.find({ n: -1 }))))).toBe(true);
    expect(isStoreTimeout(await failure(c.findOne({ n: -1 })))).toBe(true);
  });

  it('never gives up a write part-way', async () => {
    const clock = steppingClock();
    const c = createMemoryEngine({ limits: { readMs: 1000, writeMs: 1000 }, clock }).collection('scratch');
    clock.step = 1000;
    await fill(c, 3000);
    clock.step = 0;
    expect(await all(c.find({}))).toHaveLength(3000);
  });

  it('on the worker thread, gives up on a read past its limit and keeps answering others', async () => {
    const engine = createWorkerEngine({ limits: { readMs: 1, writeMs: 60_000 } });
    try {
      const c = engine.collection('scratch');
      await fill(c, 20_000);
      const pipeline = [{ $match: { n: { $gte: 0 } } }, { $group: { _id: '$group', count: { $sum: 1 } } }];
      const error = await failure(c.aggregate(pipeline));
      expect(isStoreTimeout(error)).toBe(true);
      expect(String(error)).toContain('aggregate on scratch');
      expect(await c.aggregate(pipeline, { timeoutMs: 60_000 })).toHaveLength(7);
    } finally {
      await engine.close();
    }
  });
});
