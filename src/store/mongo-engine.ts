import { type Collection, type Document, MongoClient, ReadPreference } from 'mongodb';
import { z } from 'zod';
import {
  type CallOptions,
  DEFAULT_TIME_LIMITS,
  type Doc,
  type Engine,
  type ExistingIndex,
  type ExplainQuery,
  type FindOptions,
  type IndexSpec,
  type QueryPlan,
  type StoreCollection,
  StoreTimeoutError,
  type TimeLimits,
  type UpdateOutcome,
  type UpsertOp,
} from './collection.ts';
import { readPlan } from './read-plan.ts';

/** Documents per cursor round trip unless the caller says otherwise. */
const DEFAULT_BATCH_SIZE = 1000;
/** How much longer than the server's own limit (maxTimeMS) the client waits for an answer to travel. */
const CLIENT_GRACE_MS = 1000;
/** The oldest MongoDB the store's queries are written and tested for. */
export const MIN_SERVER_MAJOR = 6;

/** The URI with any password replaced, for messages and logs. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:***@');
}

/** Why a server of this version is refused, or undefined when it is supported (6.0 and newer). */
export function refuseServerVersion(version: string, uri: string): string | undefined {
  const major = Number(/^(\d+)\./.exec(version)?.[1]);
  if (Number.isInteger(major) && major >= MIN_SERVER_MAJOR) return undefined;
  return `MongoDB ${version} at ${redactUri(uri)} is too old: Handoff needs MongoDB ${MIN_SERVER_MAJOR}.0 or newer (upgrade the server, or point MONGODB_URI at one that is)`;
}

function errorCode(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'number' ? error.code : undefined;
}

/** The server's maxTimeMS (code 50), or the client's own limit (an AbortSignal.timeout's TimeoutError). */
function isTimeout(error: unknown): boolean {
  if (errorCode(error) === 50) return true;
  return (
    error instanceof Error && (error.name === 'TimeoutError' || error.name === 'MongoOperationTimeoutError')
  );
}

/**
 * Runs a read with its limit on both sides: the server stops at `maxTimeMS`, and the client stops waiting a
 * little after (a stalled network, a busy pool) through an AbortSignal, which the driver takes for reads.
 * (The driver's own `timeoutMS` is a no-op since driver 7.)
 */
async function read<T>(
  operation: string,
  limitMs: number,
  run: (bounds: { maxTimeMS: number; signal: AbortSignal }) => Promise<T>,
): Promise<T> {
  try {
    return await run({ maxTimeMS: limitMs, signal: AbortSignal.timeout(limitMs + CLIENT_GRACE_MS) });
  } catch (error) {
    if (isTimeout(error)) throw new StoreTimeoutError(operation, limitMs, { cause: error });
    throw error;
  }
}

/**
 * Runs a write with its limit: `maxTimeMS` on the server, and a client that stops waiting a little after (the
 * driver takes no AbortSignal for writes). A write given up on may still complete; every write of the store is
 * idempotent (keyed by `_id`, or compare-and-set), so a retry finds it done.
 */
async function write<T>(
  operation: string,
  limitMs: number,
  run: (maxTimeMS: number) => Promise<T>,
): Promise<T> {
  return within(operation, limitMs, run(limitMs));
}

/** Waits for `promise` at most `limitMs` (plus the grace for the answer to travel). */
async function within<T>(operation: string, limitMs: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreTimeoutError(operation, limitMs)), limitMs + CLIENT_GRACE_MS);
    timer.unref();
  });
  try {
    return await Promise.race([promise, late]);
  } catch (error) {
    promise.catch(() => {});
    if (isTimeout(error)) throw new StoreTimeoutError(operation, limitMs, { cause: error });
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

const indexSchema = z.object({
  name: z.string(),
  key: z.record(z.string(), z.union([z.number(), z.string()])),
  unique: z.boolean().optional(),
  partialFilterExpression: z.record(z.string(), z.unknown()).optional(),
});

/** The driver's read preference for a call: the primary for a read that decides a write, else the URI's. */
const readFrom = (primary: boolean | undefined) =>
  primary ? { readPreference: ReadPreference.PRIMARY } : {};

/** The store's collection over the driver's; exported for tests of what it asks the driver. */
export function wrap(collection: Collection<Document>, limits: TimeLimits): StoreCollection {
  const name = collection.collectionName;
  return {
    findOne: (filter: Doc, options: FindOptions = {}) => {
      const { timeoutMs, primary, ...rest } = options;
      return read(`findOne on ${name}`, timeoutMs ?? limits.readMs, (bounds) =>
        collection.findOne(filter, { ...rest, ...readFrom(primary), ...bounds }),
      );
    },
    async *find(filter: Doc, options: FindOptions = {}) {
      const { timeoutMs, primary, ...rest } = options;
      const limitMs = timeoutMs ?? limits.readMs;
      const operation = `find on ${name}`;
      // Without a batch size the server fills each getMore up to 16 MB: bound what one round trip holds. A
      // bounded query (with a limit) also has the server's maxTimeMS; an unbounded cursor (an export) does not,
      // since the server counts that limit over the cursor's whole life: each batch is bounded here instead.
      const cursor = collection.find(filter, {
        ...rest,
        ...readFrom(primary),
        batchSize: rest.batchSize ?? DEFAULT_BATCH_SIZE,
        ...(rest.limit ? { maxTimeMS: limitMs } : {}),
      });
      try {
        for (;;) {
          // Only a call that goes to the server (an empty buffer) can take long.
          const next = cursor.bufferedCount() > 0 ? cursor.next() : within(operation, limitMs, cursor.next());
          const doc = await next;
          if (doc === null) return;
          yield doc;
        }
      } finally {
        await cursor.close().catch(() => {});
      }
    },
    aggregate: (pipeline: Doc[], options: CallOptions = {}) =>
      read(`aggregate on ${name}`, options.timeoutMs ?? limits.readMs, (bounds) =>
        collection
          .aggregate(pipeline, { allowDiskUse: true, ...readFrom(options.primary), ...bounds })
          .toArray(),
      ),
    async updateOne(
      filter: Doc,
      update: Doc,
      options: { upsert?: boolean } & CallOptions = {},
    ): Promise<UpdateOutcome> {
      const r = await write(`updateOne on ${name}`, options.timeoutMs ?? limits.writeMs, (maxTimeMS) =>
        collection.updateOne(filter, update, { upsert: options.upsert ?? false, maxTimeMS }),
      );
      return { matched: r.matchedCount, modified: r.modifiedCount, upserted: r.upsertedCount > 0 };
    },
    async upsertMany(ops: UpsertOp[], options: CallOptions = {}) {
      if (ops.length === 0) return { inserted: [] };
      const r = await write(`upsertMany on ${name}`, options.timeoutMs ?? limits.writeMs, (maxTimeMS) =>
        collection.bulkWrite(
          ops.map((op) => ({ updateOne: { filter: op.filter, update: op.update, upsert: true } })),
          { ordered: false, maxTimeMS },
        ),
      );
      return { inserted: ops.map((_, i) => r.upsertedIds[i] !== undefined) };
    },
    async updateMany(filter: Doc, update: Doc, options: CallOptions = {}) {
      const r = await write(`updateMany on ${name}`, options.timeoutMs ?? limits.writeMs, (maxTimeMS) =>
        collection.updateMany(filter, update, { maxTimeMS }),
      );
      return r.matchedCount;
    },
    async deleteMany(filter: Doc, options: CallOptions = {}) {
      const r = await write(`deleteMany on ${name}`, options.timeoutMs ?? limits.writeMs, (maxTimeMS) =>
        collection.deleteMany(filter, { maxTimeMS }),
      );
      return r.deletedCount;
    },
    async createIndexes(specs: IndexSpec[]) {
      await collection.createIndexes(
        specs.map((s) => ({
          key: s.keys,
          name: s.name,
          ...(s.unique ? { unique: true } : {}),
          ...(s.partialFilterExpression ? { partialFilterExpression: s.partialFilterExpression } : {}),
        })),
      );
    },
    async listIndexes(): Promise<ExistingIndex[]> {
      try {
        const raw = await read(`listIndexes on ${name}`, limits.readMs, ({ maxTimeMS }) =>
          collection.listIndexes({ maxTimeMS }).toArray(),
        );
        return raw.map((doc) => {
          const index = indexSchema.parse(doc);
          return {
            name: index.name,
            keys: index.key,
            ...(index.unique ? { unique: true } : {}),
            ...(index.partialFilterExpression
              ? { partialFilterExpression: index.partialFilterExpression }
              : {}),
          };
        });
      } catch (error) {
        // NamespaceNotFound: a collection nobody has written to yet has no indexes.
        if (errorCode(error) === 26) return [];
        throw error;
      }
    },
    async explain(query: ExplainQuery): Promise<QueryPlan> {
      const cursor = collection.find(query.filter, {
        ...(query.sort ? { sort: query.sort } : {}),
        ...(query.skip ? { skip: query.skip } : {}),
        ...(query.limit ? { limit: query.limit } : {}),
      });
      return readPlan(await cursor.explain('executionStats'));
    },
  };
}

export interface MongoEngineOptions {
  limits?: TimeLimits;
  /** How long to look for a server before saying MONGODB_URI does not answer. */
  serverSelectionTimeoutMs?: number;
}

const buildInfoSchema = z.object({ version: z.string() });
const helloSchema = z.object({ localTime: z.date() });

/**
 * Connects to MongoDB; fails with a message naming MONGODB_URI when the server does not answer, and refuses a
 * server older than 6.0.
 */
export async function createMongoEngine(
  uri: string,
  dbName: string,
  options: MongoEngineOptions = {},
): Promise<Engine> {
  const limits = options.limits ?? DEFAULT_TIME_LIMITS;
  const client = new MongoClient(uri, {
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 5000,
    appName: 'handoff',
  });
  let version: string;
  try {
    await client.connect();
    // buildInfo needs no privilege, unlike serverStatus.
    version = buildInfoSchema.parse(await client.db('admin').command({ buildInfo: 1 })).version;
  } catch (error) {
    await client.close().catch(() => {});
    const message = error instanceof Error ? error.message : String(error);
    // The driver itself refuses servers older than 4.4 ("reports maximum wire version …").
    if (/wire version/i.test(message))
      throw new Error(
        `MongoDB at ${redactUri(uri)} is too old (${message}): Handoff needs MongoDB ${MIN_SERVER_MAJOR}.0 or newer`,
        { cause: error },
      );
    throw new Error(`MongoDB at ${redactUri(uri)} did not answer (${message}): check MONGODB_URI`, {
      cause: error,
    });
  }
  const refusal = refuseServerVersion(version, uri);
  if (refusal) {
    await client.close().catch(() => {});
    throw new Error(refusal);
  }
  // Every write waits for a majority of the replica set: a decision written under a compare-and-set (a contact's
  // state, a digest's claim) is never rolled back by a failover after it was answered.
  const db = client.db(dbName, { writeConcern: { w: 'majority' } });
  return {
    kind: 'mongodb',
    limits,
    collection: (name) => wrap(db.collection(name), limits),
    async ping() {
      try {
        await db.command({ ping: 1 });
      } catch (error) {
        throw new Error(`MongoDB at ${redactUri(uri)} did not answer: check MONGODB_URI`, { cause: error });
      }
    },
    async now() {
      // The primary's clock, where every claim is written: one clock for every bot process. `hello` needs no
      // privilege.
      const hello = await within(
        'hello',
        limits.readMs,
        db.command({ hello: 1 }, { readPreference: 'primary' }),
      );
      return helloSchema.parse(hello).localTime;
    },
    close: () => client.close(),
  };
}
