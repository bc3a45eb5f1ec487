import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import type { Engine } from '../../src/store/collection.ts';
import { createMemoryEngine } from '../../src/store/memory-engine.ts';
import { createMongoEngine } from '../../src/store/mongo-engine.ts';
import { createWorkerEngine } from '../../src/store/worker-engine.ts';

const uri = process.env.MONGODB_URI ?? '';
const withMongo = uri.startsWith('mongodb://') || uri.startsWith('mongodb+srv://');

/** A MongoDB engine on a database of its own (`handoff_<prefix>_…`), dropped on close. */
async function openMongo(prefix: string): Promise<Engine> {
  const dbName = `handoff_${prefix}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const mongo = await createMongoEngine(uri, dbName);
  return {
    ...mongo,
    async close() {
      const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000 });
      await client
        .db(dbName)
        .dropDatabase()
        .finally(() => client.close());
      await mongo.close();
    },
  };
}

/**
 * The engines a store test runs on, for `describe.each`: the in-process engine, directly and on its worker
 * thread, always; MongoDB too when MONGODB_URI names one, so every engine runs the same pipelines.
 */
export function testEngines(prefix: string): [string, () => Promise<Engine>][] {
  return [
    ['in-process engine', async () => createMemoryEngine()],
    ['in-process engine on a worker thread', async () => createWorkerEngine()],
    ...(withMongo ? [['MongoDB', () => openMongo(prefix)] as [string, () => Promise<Engine>]] : []),
  ];
}
