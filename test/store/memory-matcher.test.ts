import { Context } from 'mingo/core';
import * as queryOperators from 'mingo/operators/query';
import { Query } from 'mingo/query';
import { describe, expect, it } from 'vitest';
import { seeded } from '../../src/demo/seeded-random.ts';
import type { Doc } from '../../src/store/collection.ts';
import { createMemoryEngine } from '../../src/store/memory-engine.ts';

// The in-process engine compares plain equalities, `$ne` and `$in` itself (ingest's hot paths) and leaves the
// rest to mingo. Both must answer alike, through arrays and missing fields too: checked here against mingo's own
// scan over the same documents, for random filters.

const VALUES = ['a', 'b', 1, 2, true];
const MINGO = { context: Context.init({ query: queryOperators }), idKey: '_id' } as const;

function randomDoc(random: () => number, id: number): Doc {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const value = (): unknown => {
    const r = random();
    if (r < 0.15) return undefined;
    if (r < 0.25) return null;
    if (r < 0.45) return [pick(VALUES), pick(VALUES)];
    return pick(VALUES);
  };
  const doc: Doc = { _id: `d${id}` };
  for (const key of ['x', 'y']) {
    const v = value();
    if (v !== undefined) doc[key] = v;
  }
  const r = random();
  doc.nested =
    r < 0.2 ? undefined : r < 0.4 ? [{ token: pick(VALUES) }, { token: pick(VALUES) }] : { token: value() };
  return doc;
}

function randomFilter(random: () => number): Doc {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const filter: Doc = {};
  for (const key of ['x', 'y', 'nested.token', '_id']) {
    const r = random();
    if (r < 0.4) continue;
    if (key === '_id')
      filter._id = r < 0.7 ? { $in: ['d1', 'd2', 'd3', 'd40'] } : `d${Math.floor(random() * 50)}`;
    else if (r < 0.6) filter[key] = pick(VALUES);
    else if (r < 0.8) filter[key] = { $ne: pick(VALUES) };
    else filter[key] = { $in: [pick(VALUES), pick(VALUES)] };
  }
  return filter;
}

describe('the in-process engine’s own matching', () => {
  it('answers 500 random filters exactly as mingo’s scan does', async () => {
    const random = seeded(4242);
    const docs = Array.from({ length: 60 }, (_, i) => randomDoc(random, i));
    const c = createMemoryEngine().collection('scratch');
    await c.upsertMany(docs.map((d) => ({ filter: { _id: d._id }, update: { $setOnInsert: d } })));
    for (let i = 0; i < 500; i++) {
      const filter = randomFilter(random);
      const ids: string[] = [];
      for await (const doc of c.find(filter)) ids.push(String(doc._id));
      const expected = new Query(filter, MINGO)
        .find<Doc>(docs)
        .all()
        .map((d) => String(d._id));
      expect({ filter, ids: ids.sort() }).toEqual({ filter, ids: expected.sort() });
      // Updates match the same documents.
      expect(await c.updateMany(filter, { $set: { seen: i } })).toBe(expected.length);
    }
  });
});
