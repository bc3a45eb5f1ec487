import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import type { Engine, TimeLimits } from '../../src/store/collection.ts';
import { createMemoryEngine } from '../../src/store/memory-engine.ts';
import { createMongoEngine } from '../../src/store/mongo-engine.ts';
import { createWorkerEngine } from '../../src/store/worker-engine.ts';

// The one place tests get an engine. Every test that touches the store runs on MongoDB when MONGODB_URI names a
// server (each on a database of its own, dropped when it closes the engine), and in process otherwise.

const uri = process.env.MONGODB_URI ?? '';

/** True when MONGODB_URI names a real server (`mongodb://…`, `mongodb+srv://…`). */
export const withMongo = uri.startsWith('mongodb://') || uri.startsWith('mongodb+srv://');

export interface TestEngineOptions {
  /** In process: on the worker thread, as in Slack mode with MONGODB_URI=memory:// (ignored on MongoDB). */
  onWorker?: boolean;
  limits?: TimeLimits;
  /**
   * The database's clock (what `Engine.now` answers, on which digest leases are stamped and compared), in ms,
   * for tests that move time. A real server's clock cannot be moved: on MongoDB the test's clock stands in
   * for it, while filters and updates still run on the server.
   */
  clock?: () => number;
}

/** A MongoDB engine on a database of its own (`handoff_<prefix>_…`), dropped on close. */
export async function mongoTestEngine(prefix: string, options: TestEngineOptions = {}): Promise<Engine> {
  const dbName = `handoff_${prefix}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const mongo = await createMongoEngine(uri, dbName, options.limits ? { limits: options.limits } : {});
  const clock = options.clock;
  return {
    ...mongo,
    ...(clock ? { now: async () => new Date(clock()) } : {}),
    async close() {
      const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000 });
      try {
        await client.db(dbName).dropDatabase();
      } finally {
        await client.close();
        await mongo.close();
      }
    },
  };
}

/**
 * The engine for a test that touches the store: MongoDB when MONGODB_URI names one, otherwise the in-process
 * engine (directly, or on its worker thread with `onWorker`).
 */
export async function openTestEngine(prefix: string, options: TestEngineOptions = {}): Promise<Engine> {
  if (withMongo) return mongoTestEngine(prefix, options);
  const settings = {
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  };
  return options.onWorker ? createWorkerEngine(settings) : createMemoryEngine(settings);
}

/** Which engine openTestEngine gives, for test names. */
export const TEST_ENGINE_NAME = withMongo ? 'MongoDB' : 'the in-process engine';

/**
 * The engines a store test runs on, for `describe.each`: the in-process engine, directly and on its worker
 * thread, always; MongoDB too when MONGODB_URI names one, so every engine runs the same pipelines.
 */
export function testEngines(
  prefix: string,
  options: Pick<TestEngineOptions, 'clock'> = {},
): [string, () => Promise<Engine>][] {
  return [
    ['in-process engine', async () => createMemoryEngine(options)],
    ['in-process engine on a worker thread', async () => createWorkerEngine(options)],
    ...(withMongo
      ? [['MongoDB', () => mongoTestEngine(prefix, options)] as [string, () => Promise<Engine>]]
      : []),
  ];
}
