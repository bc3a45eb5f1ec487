import { type Collection, type Document, MongoClient } from 'mongodb';
import type {
  Doc,
  Engine,
  FindOptions,
  IndexSpec,
  StoreCollection,
  UpdateOutcome,
  UpsertOp,
} from './collection.ts';

/** Documents per cursor round trip unless the caller says otherwise. */
const DEFAULT_BATCH_SIZE = 1000;

/** The URI with any password replaced, for messages and logs. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:***@');
}

function wrap(collection: Collection<Document>): StoreCollection {
  return {
    findOne: (filter: Doc, options: FindOptions = {}) => collection.findOne(filter, options),
    // Without a batch size the server fills each getMore up to 16 MB: bound what one round trip holds.
    find: (filter: Doc, options: FindOptions = {}) =>
      collection.find(filter, { ...options, batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE }),
    aggregate: (pipeline: Doc[]) => collection.aggregate(pipeline, { allowDiskUse: true }).toArray(),
    async updateOne(filter: Doc, update: Doc, options: { upsert?: boolean } = {}): Promise<UpdateOutcome> {
      const r = await collection.updateOne(filter, update, { upsert: options.upsert ?? false });
      return { matched: r.matchedCount, modified: r.modifiedCount, upserted: r.upsertedCount > 0 };
    },
    async upsertMany(ops: UpsertOp[]) {
      if (ops.length === 0) return { inserted: [] };
      const r = await collection.bulkWrite(
        ops.map((op) => ({ updateOne: { filter: op.filter, update: op.update, upsert: true } })),
        { ordered: false },
      );
      return { inserted: ops.map((_, i) => r.upsertedIds[i] !== undefined) };
    },
    async updateMany(filter: Doc, update: Doc) {
      return (await collection.updateMany(filter, update)).matchedCount;
    },
    async deleteMany(filter: Doc) {
      return (await collection.deleteMany(filter)).deletedCount;
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
  };
}

/** Connects to MongoDB; fails with a message naming MONGODB_URI when the server does not answer. */
export async function createMongoEngine(uri: string, dbName: string, timeoutMs = 5000): Promise<Engine> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: timeoutMs, appName: 'handoff' });
  try {
    await client.connect();
  } catch (error) {
    await client.close().catch(() => {});
    throw new Error(
      `MongoDB at ${redactUri(uri)} did not answer (${error instanceof Error ? error.message : String(error)}): check MONGODB_URI`,
      { cause: error },
    );
  }
  const db = client.db(dbName);
  return {
    kind: 'mongodb',
    collection: (name) => wrap(db.collection(name)),
    async ping() {
      try {
        await db.command({ ping: 1 });
      } catch (error) {
        throw new Error(`MongoDB at ${redactUri(uri)} did not answer: check MONGODB_URI`, { cause: error });
      }
    },
    close: () => client.close(),
  };
}
