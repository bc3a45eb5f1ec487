import { BSON } from 'mongodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Engine, isStoreTimeout } from '../../src/store/collection.ts';
import { ensureIndexes } from '../../src/store/ensure-indexes.ts';
import { createMongoEngine, refuseServerVersion } from '../../src/store/mongo-engine.ts';
import { FakeMongoServer } from '../fakes/fake-mongo-server.ts';

// The MongoDB engine through the official driver, against a MongoDB faked on a loopback port: what the driver
// sends (time limits) and how the engine takes the server's answers (its version, error codes, silence).

const LIMITS = { readMs: 300, writeMs: 200 };

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('the MongoDB engine against a faked server', () => {
  let server: FakeMongoServer;
  let engine: Engine | undefined;

  beforeEach(async () => {
    server = await new FakeMongoServer().start();
  });

  afterEach(async () => {
    await engine?.close();
    engine = undefined;
    await server.stop();
  });

  const open = async () => {
    engine = await createMongoEngine(server.url, 'handoff', {
      limits: LIMITS,
      serverSelectionTimeoutMs: 2000,
    });
    return engine;
  };

  it.each([
    ['5.0.14', 13, 'MongoDB 5.0.14 at mongodb://127.0.0.1:'],
    ['4.0.28', 7, 'reports maximum wire version 7'],
  ])('refuses MongoDB %s at start, saying 6.0 or newer is needed', async (version, wire, detail) => {
    server.version = version;
    server.maxWireVersion = wire;
    const error = await failure(open());
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).toContain(detail);
    expect(String((error as Error).message)).toMatch(/too old.*6\.0 or newer/);
  });

  it('accepts MongoDB 6.0, 7.0 and 8.0', () => {
    for (const version of ['6.0.19', '7.0.12', '8.0.4'])
      expect(refuseServerVersion(version, 'mongodb://x')).toBeUndefined();
    expect(refuseServerVersion('5.0.30', 'mongodb://u:secret@x')).toContain('mongodb://u:***@x');
  });

  it('sends every read and write with its time limit', async () => {
    const c = (await open()).collection('assignments');
    await c.aggregate([{ $match: {} }]);
    await c.findOne({ _id: 'a' });
    await c.updateOne({ _id: 'a' }, { $set: { n: 1 } });
    await c.deleteMany({ n: 1 });
    await c.aggregate([{ $match: {} }], { timeoutMs: 1234 });
    const limitOf = (name: string) => server.sent(name).map((s) => s.body.maxTimeMS);
    expect(limitOf('aggregate')).toEqual([300, 1234]);
    expect(limitOf('find')).toEqual([300]);
    expect(limitOf('update')).toEqual([200]);
    expect(limitOf('delete')).toEqual([200]);
  });

  it('reads that decide a write go to the primary whatever the URI prefers; every write waits for a majority', async () => {
    const uri = server.asReplicaSetPrimary('rs0', 'readPreference=secondaryPreferred');
    engine = await createMongoEngine(uri, 'handoff', { limits: LIMITS, serverSelectionTimeoutMs: 2000 });
    const c = engine.collection('contact_state');
    await c.findOne({ _id: 'report' });
    await c.findOne({ _id: 'decides' }, { primary: true });
    for await (const _ of c.find({ _id: { $in: ['a'] } }, { primary: true })) {
      // Nothing to read.
    }
    await c.aggregate([{ $match: {} }], { primary: true });
    await c.aggregate([{ $match: {} }]);
    const readFrom = (name: string) => server.sent(name).map((s) => s.body.$readPreference ?? 'primary');
    expect(readFrom('find')).toEqual([{ mode: 'secondaryPreferred' }, 'primary', 'primary']);
    expect(readFrom('aggregate')).toEqual(['primary', { mode: 'secondaryPreferred' }]);
    // The clock digest claims run on is the primary's.
    await engine.now();
    expect(
      server
        .sent('hello')
        .filter((h) => h.db === 'handoff')
        .map((h) => h.body.$readPreference ?? 'primary'),
    ).toEqual(['primary']);
    await c.updateOne({ _id: 'a', version: 1 }, { $set: { version: 2 } });
    await c.upsertMany([{ filter: { _id: 'b' }, update: { $setOnInsert: { n: 1 } } }]);
    await c.updateMany({ _id: { $in: ['a'] } }, { $unset: { pending: '' } });
    await c.deleteMany({ _id: 'c' });
    const concern = [...server.sent('update'), ...server.sent('delete')].map((s) => s.body.writeConcern);
    expect(concern).toEqual([{ w: 'majority' }, { w: 'majority' }, { w: 'majority' }, { w: 'majority' }]);
  });

  it('answers the server’s clock (hello’s localTime), not this machine’s', async () => {
    const serverTime = new Date(Date.now() + 15 * 60_000);
    server.clock = () => serverTime;
    const engine = await open();
    expect(await engine.now()).toEqual(serverTime);
    // The driver's own handshakes and heartbeats ask `admin`; the engine asks its database.
    expect(server.sent('hello').filter((c) => c.db === 'handoff')).toHaveLength(1);
  });

  it('turns the server’s MaxTimeMSExpired into the store’s timeout', async () => {
    server.handlers.set('aggregate', () => ({
      error: { code: 50, codeName: 'MaxTimeMSExpired', errmsg: 'operation exceeded time limit' },
    }));
    const error = await failure((await open()).collection('assignments').aggregate([{ $match: {} }]));
    expect(isStoreTimeout(error)).toBe(true);
    expect(String(error)).toContain('the store took too long: aggregate on assignments gave up after 300 ms');
  });

  it('stops waiting for a server that does not answer a read or a write', async () => {
    const c = (await open()).collection('assignments');
    server.handlers.set('aggregate', () => 'never');
    server.handlers.set('update', () => 'never');
    expect(isStoreTimeout(await failure(c.aggregate([{ $match: {} }])))).toBe(true);
    expect(isStoreTimeout(await failure(c.updateOne({ _id: 'a' }, { $set: { n: 1 } })))).toBe(true);
  });

  it('bounds each batch of a cursor, and closes the cursor when one runs out of time', async () => {
    const c = (await open()).collection('assignments');
    server.handlers.set('find', (command) => ({
      cursor: {
        id: BSON.Long.fromNumber(77),
        ns: `handoff.${String(command.find)}`,
        firstBatch: [{ _id: 'a' }, { _id: 'b' }],
      },
    }));
    server.handlers.set('getMore', () => 'never');
    const seen: unknown[] = [];
    const error = await failure(
      (async () => {
        for await (const doc of c.find({}, { batchSize: 2 })) seen.push(doc._id);
      })(),
    );
    expect(seen).toEqual(['a', 'b']);
    expect(isStoreTimeout(error)).toBe(true);
    // An unbounded cursor carries no maxTimeMS (the server would count it over the cursor's whole life).
    expect(server.sent('find')[0]?.body.maxTimeMS).toBeUndefined();
    expect(server.sent('killCursors')).toHaveLength(1);
  });

  it('lists no indexes for a collection that does not exist yet, and reads those that do', async () => {
    const c = (await open()).collection('assignments');
    expect(await c.listIndexes()).toEqual([]);
    server.handlers.set('listIndexes', () => ({
      cursor: {
        id: BSON.Long.fromNumber(0),
        ns: 'handoff.assignments',
        firstBatch: [
          { v: 2, key: { _id: 1 }, name: '_id_' },
          { v: 2, key: { ts: -1.0, _id: -1 }, name: 'ts' },
          { v: 2, key: { body: 'text' }, name: 'search', unique: false },
        ],
      },
    }));
    expect(await c.listIndexes()).toEqual([
      { name: '_id_', keys: { _id: 1 } },
      { name: 'ts', keys: { ts: -1, _id: -1 } },
      { name: 'search', keys: { body: 'text' } },
    ]);
  });

  it('says which role is missing when the user may not create or list indexes', async () => {
    const unauthorized = {
      error: { code: 13, codeName: 'Unauthorized', errmsg: 'not authorized on handoff to execute command' },
    };
    server.handlers.set('createIndexes', () => unauthorized);
    const sets = [{ collection: 'assignments', indexes: [{ name: 'ts', keys: { ts: -1 as const } }] }];
    const check = await ensureIndexes(await open(), sets, { dbName: 'handoff' });
    expect(check.findings).toMatchObject([{ kind: 'failed', index: { name: 'ts' } }]);
    expect(check.notes.map((n) => n.message).join('\n')).toContain(
      "index ts on assignments was not created: the database user may not create indexes: it needs the createIndex action on handoff (the readWrite or dbAdmin role). Ask an administrator to run `db.assignments.createIndex({ ts: -1 }, { name: 'ts' })`",
    );

    server.handlers.set('listIndexes', () => unauthorized);
    const unlisted = await ensureIndexes(engine as Engine, sets, { dbName: 'handoff' });
    expect(unlisted.notes.map((n) => n.message)).toEqual([
      'index ts on assignments was not created: its indexes cannot be listed: the database user needs the listIndexes action on handoff (the read role)',
    ]);
  });
});
