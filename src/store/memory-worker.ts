import { parentPort } from 'node:worker_threads';
import type { Doc } from './collection.ts';
import { createMemoryEngine } from './memory-engine.ts';

// The worker side of worker-engine.ts: the in-process engine, answering one message per collection call.

export interface EngineRequest {
  id: number;
  op: 'findOne' | 'find' | 'aggregate' | 'updateOne' | 'upsertMany' | 'deleteMany' | 'createIndexes' | 'ping';
  collection: string;
  args: unknown[];
}

export type EngineResponse =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: string };

const engine = createMemoryEngine();

async function run(request: EngineRequest): Promise<unknown> {
  const c = engine.collection(request.collection);
  const [a, b, options] = request.args as [Doc, Doc, { upsert?: boolean }];
  switch (request.op) {
    case 'ping':
      return engine.ping();
    case 'findOne':
      return c.findOne(a, b);
    case 'find': {
      const docs: Doc[] = [];
      for await (const doc of c.find(a, b)) docs.push(doc);
      return docs;
    }
    case 'aggregate':
      return c.aggregate(request.args[0] as Doc[]);
    case 'updateOne':
      return c.updateOne(a, b, options);
    case 'upsertMany':
      return c.upsertMany(request.args[0] as { filter: Doc; update: Doc }[]);
    case 'deleteMany':
      return c.deleteMany(a);
    case 'createIndexes':
      return c.createIndexes(request.args[0] as Parameters<typeof c.createIndexes>[0]);
  }
}

parentPort?.on('message', (request: EngineRequest) => {
  run(request).then(
    (value) => parentPort?.postMessage({ id: request.id, ok: true, value } satisfies EngineResponse),
    (error: unknown) =>
      parentPort?.postMessage({
        id: request.id,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      } satisfies EngineResponse),
  );
});
