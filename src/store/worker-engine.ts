import { Worker } from 'node:worker_threads';
import type {
  Doc,
  Engine,
  FindOptions,
  IndexSpec,
  StoreCollection,
  UpdateOutcome,
  UpsertOp,
} from './collection.ts';
import type { CursorBatch, CursorStats, EngineRequest, EngineResponse } from './memory-worker.ts';

export interface WorkerEngine extends Engine {
  /** Cursors the worker holds open, and batches it has sent: how tests see that cursors are closed. */
  cursorStats(): Promise<CursorStats>;
}

/**
 * The in-process engine on a worker thread. mingo computes synchronously, so on the Slack thread a report over
 * 50k events would hold back every other request's 3-second ack; here it only holds the worker. The same
 * engine, the same pipelines: each collection call is one message, except `find`, which is a cursor read in
 * batches (`batchSize`, 1,000 by default), the next one asked for only when the consumer has taken the last.
 */
export function createWorkerEngine(): WorkerEngine {
  const worker = new Worker(new URL('./memory-worker.mjs', import.meta.url));
  worker.unref();
  let nextId = 0;
  let failure: Error | undefined;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  worker.on('message', (response: EngineResponse) => {
    const waiter = pending.get(response.id);
    if (!waiter) return;
    pending.delete(response.id);
    if (response.ok) waiter.resolve(response.value);
    else waiter.reject(new Error(response.error));
  });
  const failAll = (error: Error) => {
    failure = error;
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  };
  worker.on('error', (error) => failAll(new Error(`the in-process store's worker failed: ${error.message}`)));
  worker.on('exit', (code) => failAll(new Error(`the in-process store's worker exited (code ${code})`)));

  function call<T>(op: EngineRequest['op'], collection: string, args: unknown[]): Promise<T> {
    if (failure) return Promise.reject(failure);
    const id = ++nextId;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: (v) => resolve(v as T), reject });
      worker.ref();
      worker.postMessage({ id, op, collection, args } satisfies EngineRequest);
    }).finally(() => {
      if (pending.size === 0) worker.unref();
    });
  }

  const collection = (name: string): StoreCollection => ({
    findOne: (filter: Doc, options?: FindOptions) => call<Doc | null>('findOne', name, [filter, options]),
    async *find(filter: Doc, options?: FindOptions) {
      let batch = await call<CursorBatch>('openCursor', name, [filter, options]);
      try {
        for (;;) {
          yield* batch.docs;
          if (batch.done) return;
          batch = await call<CursorBatch>('nextBatch', name, [batch.cursor]);
        }
      } finally {
        // The consumer stopped early or failed, or a batch failed: the worker lets go of the cursor. Closing
        // fails only when the worker itself has gone, and the cursor with it.
        if (!batch.done) await call<void>('closeCursor', name, [batch.cursor]).catch(() => {});
      }
    },
    aggregate: (pipeline: Doc[]) => call<Doc[]>('aggregate', name, [pipeline]),
    updateOne: (filter: Doc, update: Doc, options?: { upsert?: boolean }) =>
      call<UpdateOutcome>('updateOne', name, [filter, update, options]),
    upsertMany: (ops: UpsertOp[]) => call<{ inserted: boolean[] }>('upsertMany', name, [ops]),
    updateMany: (filter: Doc, update: Doc) => call<number>('updateMany', name, [filter, update]),
    deleteMany: (filter: Doc) => call<number>('deleteMany', name, [filter]),
    createIndexes: (specs: IndexSpec[]) => call<void>('createIndexes', name, [specs]),
  });

  return {
    kind: 'memory',
    collection,
    ping: () => call<void>('ping', '', []),
    cursorStats: () => call<CursorStats>('cursorStats', '', []),
    async close() {
      await worker.terminate();
    },
  };
}
