import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { beforeAll, describe } from 'vitest';
import type { Engine } from '../../src/store/collection.ts';
import { createMongoEngine } from '../../src/store/mongo-engine.ts';
import { describeStoreContract } from './contract.ts';

// The same contract against a real server, when one is named. Every test gets its own database, dropped when
// the test closes its engine.

const uri = process.env.MONGODB_URI ?? '';
const enabled = uri.startsWith('mongodb://') || uri.startsWith('mongodb+srv://');

async function dropDatabase(dbName: string): Promise<void> {
  const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    await client.db(dbName).dropDatabase();
  } finally {
    await client.close();
  }
}

async function openTestEngine(): Promise<Engine> {
  const dbName = `handoff_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const engine = await createMongoEngine(uri, dbName);
  return {
    kind: engine.kind,
    collection: (name) => engine.collection(name),
    ping: () => engine.ping(),
    async close() {
      try {
        await dropDatabase(dbName);
      } finally {
        await engine.close();
      }
    },
  };
}

if (!enabled) console.log('store contract: skipped against MongoDB (set MONGODB_URI=mongodb://… to run it)');

(enabled ? describe : describe.skip)('MongoDB', () => {
  // One clear failure ("check MONGODB_URI") rather than a server-selection timeout in every test.
  beforeAll(async () => {
    const engine = await createMongoEngine(uri, 'admin');
    await engine.close();
  });
  describeStoreContract('MongoDB', openTestEngine);
});
