import { describe, expect, it } from 'vitest';
import type { Engine, QueryPlan } from '../../src/store/collection.ts';
import { ensureIndexes } from '../../src/store/ensure-indexes.ts';
import { createMemoryEngine } from '../../src/store/memory-engine.ts';
import { STORE_INDEXES } from '../../src/store/store-indexes.ts';
import { mongoTestEngine, withMongo } from './engines.ts';
import { type IssuedQuery, issueEveryQuery, recording } from './query-shapes.ts';

// Every query shape the store issues, and the index that must serve it. The store is used every way the product
// uses it (query-shapes.ts) and each query it sends is explained: by the in-process engine's planner always, and
// by MongoDB's explain() when MONGODB_URI names a server. A query must walk an index it is listed with (never a
// collection scan), read in the index's order when it sorts, and examine at most a few keys per document it
// returns (and per value it looks up). Only a whole-range read (a report, view, log or export without filters)
// may walk `ts` end to end.
//
// A new query shape fails the first test with its shape printed: add a line for it below, with the index (or
// indexes: MongoDB may pick either) that serves it, adding the index to the store's list if none does.

interface Expected {
  what: string;
  shape: string;
  indexes: string[];
  /** Reads a whole range without filters: may examine every key of it. */
  wholeRange?: true;
  /** A small result MongoDB may sort in memory (branches of an `$or`). */
  memorySortAllowed?: true;
}

const RANGE = '"ts":{"$gte":"?","$lt":"?"}';
/** What every read of assignments adds: only events that count (pipelines.ts COUNTED). */
const COUNTED = '"unchanged":{"$ne":"?"}';
const NEWEST_FIRST = ' sort {"ts":-1,"_id":-1} limit';
const OLDEST_FIRST = ' sort {"ts":1,"_id":1}';

/** A report's three reads for one filter: counts and totals (and views, teams), the latest rows or a log page, the export. */
function reportReads(what: string, and: string, indexes: string[], wholeRange = false): Expected[] {
  const filter = `assignments {${RANGE},${COUNTED}${and}}`;
  const extra = wholeRange ? { wholeRange: true as const } : {};
  return [
    { what: `${what}: counts, totals, views, teams`, shape: filter, indexes, ...extra },
    { what: `${what}: latest rows, log page`, shape: `${filter}${NEWEST_FIRST}`, indexes, ...extra },
    { what: `${what}: export`, shape: `${filter}${OLDEST_FIRST}`, indexes, ...extra },
  ];
}

const SHAPES: Expected[] = [
  // Reports, the log, the views, the teams overview and exports, by filter.
  ...reportReads('no filter', '', ['ts'], true),
  ...reportReads('source:', ',"$and":[{"source":{"$in":"?"}}]', ['source_ts_id']),
  ...reportReads('assignee:', ',"$and":[{"keys.assignee":{"$in":"?"}}]', ['assignee_ts_id']),
  ...reportReads('assignee:none', ',"$and":[{"keys.assignee":"[]"}]', ['assignee_ts_id']),
  ...reportReads(
    'assignee: and none',
    ',"$and":[{"$or":[{"keys.assignee":{"$in":"?"}},{"keys.assignee":"[]"}]}]',
    ['assignee_ts_id'],
  ),
  ...reportReads('by:', ',"$and":[{"keys.assignedBy":{"$in":"?"}}]', ['assigned_by_ts_id']),
  ...reportReads('contact:', ',"$and":[{"keys.contact":{"$in":"?"}}]', ['contact_keys_ts_id']),
  ...reportReads('conversation:', ',"$and":[{"conversationId":{"$in":"?"}}]', ['conversation_ts_id']),
  ...reportReads('team: (and every digest)', ',"$and":[{"keys.team":{"$in":"?"}}]', ['team_ts_id']),
  ...reportReads('source: and team:', ',"$and":[{"source":{"$in":"?"}},{"keys.team":{"$in":"?"}}]', [
    'source_ts_id',
    'team_ts_id',
  ]),

  // Timelines: "all time" is 2000 to 2100, and the events just outside a range are read the same way.
  {
    what: 'timeline of a conversation, and the event before a range',
    shape: `assignments {"conversationId":"?",${RANGE},${COUNTED}}${NEWEST_FIRST}`,
    indexes: ['conversation_ts_id'],
  },
  {
    what: 'timeline of a conversation: the event after the range',
    shape: `assignments {"conversationId":"?",${RANGE},${COUNTED}} sort {"ts":1,"_id":1} limit`,
    indexes: ['conversation_ts_id'],
  },
  {
    what: 'contact:<id>: does the contact have events',
    shape: 'assignments {"contact.id":"?"} limit',
    indexes: ['contact_ts_id'],
  },
  {
    what: 'contact:<name>: the contacts of that name',
    shape: 'assignments {"keys.contact":"?"}',
    indexes: ['contact_keys_ts_id'],
  },
  {
    what: 'timeline of a contact, and the event before a range',
    shape: `assignments {"contact.id":"?",${RANGE},${COUNTED}}${NEWEST_FIRST}`,
    indexes: ['contact_ts_id'],
  },
  {
    what: 'timeline of a contact: the event after the range',
    shape: `assignments {"contact.id":"?",${RANGE},${COUNTED}} sort {"ts":1,"_id":1} limit`,
    indexes: ['contact_ts_id'],
  },

  // A digest's day: the conversations its events touched, by id, by contact for those without one, or both.
  ...[
    '[{"conversationId":{"$in":"?"}},{"conversationId":null,"contact.id":{"$in":"?"}}]',
    '[{"conversationId":{"$in":"?"}}]',
    '[{"conversationId":null,"contact.id":{"$in":"?"}}]',
  ].map(
    (or): Expected => ({
      what: 'digest: the moves of the conversations the day touched',
      shape: `assignments {${RANGE},${COUNTED},"$or":${or}}${OLDEST_FIRST}`,
      indexes: ['conversation_ts_id', 'contact_ts_id'],
      memorySortAllowed: true,
    }),
  ),

  // Ingest (ingest-events.ts): one read each for keys, states and the agents named, then per contact the log
  // around late events or log rows, the compare-and-set, then one bulk write and one clearing write.
  { what: 'ingest: known event keys', shape: 'assignments {"_id":{"$in":"?"}}', indexes: ['_id_'] },
  { what: 'ingest: known alias keys', shape: 'event_aliases {"_id":{"$in":"?"}}', indexes: ['_id_'] },
  { what: 'ingest: contact states', shape: 'contact_state {"_id":{"$in":"?"}}', indexes: ['_id_'] },
  {
    what: 'ingest: the agents a batch names, by id or name',
    shape: 'agents {"$or":[{"_id":{"$in":"?"}},{"nameKey":{"$in":"?"}}]}',
    indexes: ['_id_', 'name_key'],
  },
  {
    what: 'ingest: a state again after a lost compare-and-set; first state of a contact',
    shape: 'contact_state {"_id":"?"} limit',
    indexes: ['_id_'],
  },
  {
    what: 'ingest: compare-and-set of a contact state (and its repair)',
    shape: 'contact_state {"_id":"?","version":"?"} limit',
    indexes: ['_id_'],
  },
  {
    what: 'ingest: clear the decisions of a batch',
    shape: 'contact_state {"_id":{"$in":"?"},"pending.token":"?"}',
    indexes: ['_id_'],
  },
  {
    what: 'ingest: clear a decision finished for someone else',
    shape: 'contact_state {"_id":"?","pending.token":"?"} limit',
    indexes: ['_id_'],
  },
  {
    what: 'sweep: decisions left unfinished',
    shape: 'contact_state {"pending.since":{"$lt":"?"}} limit',
    indexes: ['pending_since'],
  },
  { what: 'ingest: store an event', shape: 'assignments {"_id":"?"} limit', indexes: ['_id_'] },
  {
    what: 'ingest: update an event no newer decision wrote',
    shape: 'assignments {"_id":"?","rev":{"$not":{"$gte":"?"}}} limit',
    indexes: ['_id_'],
  },
  {
    what: 'ingest: the event before a late event or log row',
    shape: 'assignments {"contact.id":"?","ts":{"$gte":"?","$lt":"?"}} sort {"ts":-1,"_id":-1} limit',
    indexes: ['contact_ts_id'],
  },
  {
    what: 'ingest: the log around late events or log rows',
    shape: 'assignments {"contact.id":"?","ts":{"$gte":"?","$lte":"?"}}',
    indexes: ['contact_ts_id'],
  },
  {
    what: 'ingest: the event after them',
    shape: 'assignments {"contact.id":"?","ts":{"$gt":"?","$lte":"?"}} sort {"ts":1,"_id":1} limit',
    indexes: ['contact_ts_id'],
  },
  {
    what: 'repair: the newest event of a contact',
    shape: 'assignments {"contact.id":"?","ts":{"$gte":"?","$lte":"?"}} sort {"ts":-1,"_id":-1} limit',
    indexes: ['contact_ts_id'],
  },
  { what: 'CSV enrichment: the alias', shape: 'event_aliases {"_id":"?"} limit', indexes: ['_id_'] },
  { what: 'teams seen on events: record one', shape: 'teams {"_id":"?"} limit', indexes: ['_id_'] },
  { what: 'teams seen on events: all', shape: 'teams {} sort {"_id":1}', indexes: ['_id_'] },

  // The team directory.
  { what: 'directory: add or move an agent', shape: 'agents {"_id":"?"} limit', indexes: ['_id_'] },
  { what: 'directory: every agent by name', shape: 'agents {} sort {"name":1}', indexes: ['name'] },

  // Digests and their runs (the scheduler's claims).
  { what: 'digests: add, get', shape: 'digests {"_id":"?"} limit', indexes: ['_id_'] },
  { what: 'digest list', shape: 'digests {} sort {"createdAt":1,"_id":1}', indexes: ['created_id'] },
  {
    what: 'each tick: the active digests (with few digests, MongoDB may walk them all in order instead)',
    shape: 'digests {"paused":"?"} sort {"createdAt":1,"_id":1}',
    indexes: ['paused_created_id', 'created_id'],
  },
  {
    what: 'pause, resume (none paused yet: the paused index answers at once)',
    shape: 'digests {"_id":"?","paused":"?"} limit',
    indexes: ['_id_', 'paused_created_id'],
  },
  { what: 'remove a digest', shape: 'digests {"_id":"?"}', indexes: ['_id_'] },
  {
    what: 'each tick: the runs of the due digests',
    shape: 'digest_runs {"_id":{"$in":"?"}}',
    indexes: ['_id_'],
  },
  {
    what: 'claim, record missed or test, notified',
    shape: 'digest_runs {"_id":"?"} limit',
    indexes: ['_id_'],
  },
  {
    what: 'renew, record posted, finish (holding the claim)',
    shape: 'digest_runs {"_id":"?","owner":"?","state":"?"} limit',
    indexes: ['_id_'],
  },
  {
    what: 'take over an expired or retried run',
    shape:
      'digest_runs {"_id":"?","attempts":"?","$or":[{"state":"?","leaseUntil":{"$lt":"?"}},{"state":"?","retryAt":{"$ne":null,"$lte":"?"}}]} limit',
    indexes: ['_id_'],
  },
  {
    what: 'digest log',
    shape: 'digest_runs {"digestId":"?"} sort {"scheduledAt":-1,"claimedAt":-1} limit',
    indexes: ['digest_scheduled_claimed'],
  },
  {
    what: 'remove a digest’s runs',
    shape: 'digest_runs {"digestId":"?"}',
    indexes: ['digest_scheduled_claimed'],
  },
];

const ENGINES: [string, () => Promise<Engine>][] = [
  ['the in-process engine’s planner', async () => createMemoryEngine()],
  ...(withMongo
    ? [['MongoDB’s explain()', () => mongoTestEngine('shapes')] as [string, () => Promise<Engine>]]
    : []),
];

/** A handful of each shape's queries: the first, the last and some between. */
function sample(queries: IssuedQuery[]): IssuedQuery[] {
  if (queries.length <= 5) return queries;
  const step = (queries.length - 1) / 4;
  return [0, 1, 2, 3, 4].map((i) => queries[Math.round(i * step)] as IssuedQuery);
}

/** How many values the query's `$in` lists name: a lookup may examine a key for each, found or not. */
function pointsOf(filter: unknown): number {
  if (Array.isArray(filter)) return filter.reduce((n: number, f) => n + pointsOf(f), 0);
  if (typeof filter !== 'object' || filter === null || filter instanceof Date) return 0;
  return Object.entries(filter).reduce(
    (n, [k, v]) => n + (k === '$in' && Array.isArray(v) ? v.length : pointsOf(v)),
    0,
  );
}

function problemsOf(query: IssuedQuery, plan: QueryPlan, expected: Expected): string[] {
  const problems: string[] = [];
  const allowed = 4 * plan.returned + 2 * pointsOf(query.query.filter) + 10;
  if (plan.collectionScan) problems.push('scans the whole collection');
  const stray = plan.indexes.filter((i) => !expected.indexes.includes(i));
  if (stray.length > 0) problems.push(`walks ${stray.join(', ')}, not ${expected.indexes.join(' or ')}`);
  if (query.query.sort && plan.blockingSort && !expected.memorySortAllowed) problems.push('sorts in memory');
  if (!expected.wholeRange && plan.keysExamined > allowed)
    problems.push(`examines ${plan.keysExamined} keys for ${plan.returned} documents`);
  return problems.map((p) => `${expected.what} (${query.call} ${query.shape}) ${p}`);
}

describe.each(ENGINES)('every query the store issues, on %s', (_name, openEngine) => {
  it('is a listed shape, served by its index, with few keys examined per document returned', {
    timeout: 180_000,
  }, async () => {
    const engine = await openEngine();
    try {
      await ensureIndexes(engine, STORE_INDEXES);
      const issued: IssuedQuery[] = [];
      await issueEveryQuery(recording(engine, issued));

      const byShape = new Map<string, IssuedQuery[]>();
      for (const q of issued) byShape.set(q.shape, [...(byShape.get(q.shape) ?? []), q]);
      const listed = new Map(SHAPES.map((s) => [s.shape, s]));
      expect(
        [...byShape.keys()].filter((shape) => !listed.has(shape)),
        'shapes not listed in SHAPES',
      ).toEqual([]);
      expect(
        SHAPES.filter((s) => !byShape.has(s.shape)).map((s) => `${s.what}: ${s.shape}`),
        'listed shapes the store no longer issues',
      ).toEqual([]);

      const problems: string[] = [];
      for (const [shape, queries] of byShape) {
        const expected = listed.get(shape) as Expected;
        for (const q of sample(queries))
          problems.push(...problemsOf(q, await engine.collection(q.collection).explain(q.query), expected));
      }
      expect(problems).toEqual([]);
    } finally {
      await engine.close();
    }
  });
});

describe('the in-process planner', () => {
  it('walks `ts` end to end for a filter no index serves, as MongoDB would', async () => {
    const engine = createMemoryEngine();
    await ensureIndexes(engine, STORE_INDEXES);
    const issued: IssuedQuery[] = [];
    await issueEveryQuery(recording(engine, issued));
    const events = engine.collection('assignments');
    const range = issued.find((q) => q.shape === `assignments {${RANGE},${COUNTED}}`)?.query.filter ?? {};
    const plan = await events.explain({ filter: { ...range, origin: 'csv' } });
    expect(plan.indexes).toEqual(['ts']);
    expect(plan.keysExamined).toBeGreaterThan(20 * plan.returned);
    // Without the range and without an index: a collection scan.
    expect(await events.explain({ filter: { origin: 'csv' } })).toMatchObject({
      collectionScan: true,
      indexes: [],
    });
  });

  it('refuses a document with arrays in two fields of one index, as MongoDB does', async () => {
    const c = createMemoryEngine().collection('scratch');
    await c.createIndexes([{ name: 'a_b', keys: { a: 1, b: 1 } }]);
    await c.updateOne({ _id: 'one' }, { $set: { a: [1, 2], b: 3 } }, { upsert: true });
    await expect(c.updateOne({ _id: 'two' }, { $set: { a: [1], b: [2] } }, { upsert: true })).rejects.toThrow(
      'cannot index parallel arrays [a] [b]',
    );
    await expect(c.updateOne({ _id: 'one' }, { $set: { b: [3, 4] } })).rejects.toMatchObject({ code: 171 });
    expect(await c.findOne({ _id: 'one' })).toEqual({ _id: 'one', a: [1, 2], b: 3 });
    expect(await c.findOne({ _id: 'two' })).toBeNull();
  });
});
