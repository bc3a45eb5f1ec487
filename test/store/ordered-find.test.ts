import { beforeAll, describe, expect, it } from 'vitest';
import type { Doc, Engine, FindOptions, StoreCollection } from '../../src/store/collection.ts';
import { createMemoryEngine } from '../../src/store/memory-engine.ts';
import { createWorkerEngine } from '../../src/store/worker-engine.ts';

// A find sorted by an indexed date walks the index in order instead of sorting the result (export-rows.ts reads
// a million events that way). Whatever the path, the answer must be the one a plain sort of a scan gives.

const START = Date.UTC(2026, 10, 1);
const day = (n: number) => new Date(START + n * 86_400_000);

async function collect(items: AsyncIterable<Doc>): Promise<Doc[]> {
  const out: Doc[] = [];
  for await (const item of items) out.push(item);
  return out;
}

function expected(all: Doc[], test: (d: Doc) => boolean, options: FindOptions): unknown[] {
  const [[field = 'ts', dir = 1] = [], [, idDir = 1] = []] = Object.entries(options.sort ?? {});
  const time = (d: Doc) =>
    d[field] instanceof Date ? (d[field] as Date).getTime() : Number.NEGATIVE_INFINITY;
  const sorted = all
    .filter(test)
    .sort(
      (a, b) =>
        (time(a) === time(b) ? 0 : time(a) < time(b) ? -dir : dir) ||
        (String(a._id) < String(b._id) ? -idDir : idDir),
    );
  const from = options.skip ?? 0;
  return sorted.slice(from, options.limit ? from + options.limit : undefined).map((d) => d._id);
}

describe.each([
  ['in-process engine', () => createMemoryEngine()],
  ['in-process engine on its worker thread', () => createWorkerEngine()],
])('finds sorted by an indexed date on the %s', (_name, open: () => Engine) => {
  let c: StoreCollection;
  let all: Doc[];

  beforeAll(async () => {
    c = open().collection('ordered_find');
    await c.createIndexes([
      { name: 'ts', keys: { ts: -1, _id: -1 } },
      { name: 'kind', keys: { kind: 1, ts: -1 } },
    ]);
    // 3,000 documents on 60 instants (50 per instant: ties), ids unrelated to time, and a few without a date.
    const docs: Doc[] = Array.from({ length: 3000 }, (_, i) => ({
      _id: String((i * 7919) % 10_000).padStart(4, '0'),
      ts: i % 500 === 7 ? null : new Date(START + (i % 60) * 3_600_000 * 2),
      kind: i % 100 === 0 ? 'rare' : i % 3 === 0 ? 'x' : 'y',
    }));
    await c.upsertMany(docs.map(({ _id, ...rest }) => ({ filter: { _id }, update: { $setOnInsert: rest } })));
    all = await collect(c.find({}));
    expect(all).toHaveLength(3000);
  }, 30_000);

  const cases: [string, Doc, (d: Doc) => boolean, FindOptions][] = [
    ['everything, oldest first', {}, () => true, { sort: { ts: 1, _id: 1 } }],
    ['everything, newest first', {}, () => true, { sort: { ts: -1, _id: -1 } }],
    ['newest first, ids ascending', {}, () => true, { sort: { ts: -1, _id: 1 } }],
    [
      'a window',
      { ts: { $gte: day(1), $lt: day(3) } },
      (d) => d.ts instanceof Date && d.ts >= day(1) && d.ts < day(3),
      { sort: { ts: 1, _id: 1 } },
    ],
    [
      'a window and a filter, paged',
      { ts: { $gte: day(1), $lte: day(4) }, kind: 'x' },
      (d) => d.ts instanceof Date && d.ts >= day(1) && d.ts <= day(4) && d.kind === 'x',
      { sort: { ts: -1, _id: -1 }, skip: 37, limit: 100 },
    ],
    [
      'an open-ended window with $gt',
      { ts: { $gt: day(2) } },
      (d) => d.ts instanceof Date && d.ts > day(2),
      { sort: { ts: 1, _id: -1 }, limit: 777 },
    ],
    [
      'an upper bound only (documents without a date sort first)',
      { ts: { $lt: day(1) } },
      (d) => d.ts instanceof Date && d.ts < day(1),
      { sort: { ts: 1, _id: 1 } },
    ],
    [
      'a rare kind (the kind index is the better plan)',
      { kind: 'rare' },
      (d) => d.kind === 'rare',
      { sort: { ts: -1, _id: -1 } },
    ],
  ];

  it.each(cases)('%s', async (_label, filter, test, options) => {
    const got = (await collect(c.find(filter, options))).map((d) => d._id);
    expect(got).toEqual(expected(all, test, options));
  });

  it('sorts by an indexed field holding text as a plain sort would (the walk orders dates only)', async () => {
    const got = (
      await collect(c.find({ ts: { $gte: day(1) } }, { sort: { kind: 1, _id: 1 }, limit: 500 }))
    ).map((d) => d._id);
    const want = all
      .filter((d) => d.ts instanceof Date && d.ts >= day(1))
      .sort(
        (a, b) => String(a.kind).localeCompare(String(b.kind)) || String(a._id).localeCompare(String(b._id)),
      )
      .slice(0, 500)
      .map((d) => d._id);
    expect(got).toEqual(want);
  });

  it('follows writes made before it is read', async () => {
    await c.updateOne({ _id: '0000' }, { $set: { ts: day(10) } });
    await c.updateOne({ _id: 'zzzz' }, { $set: { ts: day(0), kind: 'x' } }, { upsert: true });
    all = await collect(c.find({}));
    for (const [, filter, test, options] of cases)
      expect((await collect(c.find(filter, options))).map((d) => d._id)).toEqual(
        expected(all, test, options),
      );
  });
});
