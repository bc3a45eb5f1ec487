import { Worker } from 'node:worker_threads';
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
import { MemoryEngineError } from './memory-engine.ts';
import type {
  CursorBatch,
  CursorStats,
  EngineFailure,
  EngineRequest,
  EngineResponse,
  WorkerOptions,
} from './memory-worker.ts';

/** How long past a call's limit the caller waits for the worker to give up on its own, before it stops waiting. */
const GIVE_UP_GRACE_MS = 1000;

function errorOf(failure: EngineFailure): Error {
  if (failure.timeout) return new StoreTimeoutError(failure.timeout.operation, failure.timeout.limitMs);
  if (failure.code !== undefined)
    return new MemoryEngineError(failure.message, failure.code, failure.codeName ?? 'UnknownError');
  return new Error(failure.message);
}

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
export function createWorkerEngine(
  options: {
    limits?: TimeLimits;
    /**
     * The database's clock, in ms: what `now()` answers (digest leases); tests set it. The worker runs on
     * this machine's clock, so it is read here, without a message; the worker measures its limits on its own.
     */
    clock?: () => number;
  } = {},
): WorkerEngine {
  const limits = options.limits ?? DEFAULT_TIME_LIMITS;
  const clock = options.clock ?? Date.now;
  const worker = new Worker(new URL('./memory-worker.mjs', import.meta.url), {
    workerData: { limits } satisfies WorkerOptions,
  });
  worker.unref();
  let nextId = 0;
  let failure: Error | undefined;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  worker.on('message', (response: EngineResponse) => {
    const waiter = pending.get(response.id);
    if (!waiter) return;
    pending.delete(response.id);
    if (response.ok) waiter.resolve(response.value);
    else waiter.reject(errorOf(response.error));
  });
  const failAll = (error: Error) => {
    failure = error;
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  };
  worker.on('error', (error) => failAll(new Error(`the in-process store's worker failed: ${error.message}`)));
  worker.on('exit', (code) => failAll(new Error(`the in-process store's worker exited (code ${code})`)));

  /**
   * One message to the worker. With a limit, the worker gives up at the deadline (or does not start a call that
   * waited past it), and the caller stops waiting shortly after in any case: a pipeline stage that computes
   * without looking at the clock cannot hold a Slack answer hostage.
   */
  function call<T>(
    op: EngineRequest['op'],
    collection: string,
    args: unknown[],
    limitMs?: number,
  ): Promise<T> {
    if (failure) return Promise.reject(failure);
    const id = ++nextId;
    const operation = `${op} on ${collection}`;
    let timer: NodeJS.Timeout | undefined;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: (v) => resolve(v as T), reject });
      worker.ref();
      const deadline = limitMs === undefined ? undefined : { at: Date.now() + limitMs, limitMs, operation };
      if (limitMs !== undefined) {
        timer = setTimeout(() => {
          if (!pending.delete(id)) return;
          reject(new StoreTimeoutError(operation, limitMs));
        }, limitMs + GIVE_UP_GRACE_MS);
      }
      worker.postMessage({
        id,
        op,
        collection,
        args,
        ...(deadline ? { deadline } : {}),
      } satisfies EngineRequest);
    }).finally(() => {
      clearTimeout(timer);
      if (pending.size === 0) worker.unref();
    });
  }

  const collection = (name: string): StoreCollection => ({
    findOne: (filter: Doc, options: FindOptions = {}) =>
      call<Doc | null>('findOne', name, [filter, options], options.timeoutMs ?? limits.readMs),
    async *find(filter: Doc, options: FindOptions = {}) {
      // Each batch is bounded, not the cursor: an export reads for as long as it has batches to read.
      const limitMs = options.timeoutMs ?? limits.readMs;
      let batch = await call<CursorBatch>('openCursor', name, [filter, options], limitMs);
      try {
        for (;;) {
          yield* batch.docs;
          if (batch.done) return;
          batch = await call<CursorBatch>('nextBatch', name, [batch.cursor], limitMs);
        }
      } finally {
        // The consumer stopped early or failed, or a batch failed: the worker lets go of the cursor. Closing
        // fails only when the worker itself has gone, and the cursor with it.
        if (!batch.done) await call<void>('closeCursor', name, [batch.cursor]).catch(() => {});
      }
    },
    aggregate: (pipeline: Doc[], options: CallOptions = {}) =>
      call<Doc[]>('aggregate', name, [pipeline], options.timeoutMs ?? limits.readMs),
    updateOne: (filter: Doc, update: Doc, options: { upsert?: boolean } & CallOptions = {}) =>
      call<UpdateOutcome>('updateOne', name, [filter, update, options], options.timeoutMs ?? limits.writeMs),
    upsertMany: (ops: UpsertOp[], options: CallOptions = {}) =>
      call<{ inserted: boolean[] }>('upsertMany', name, [ops], options.timeoutMs ?? limits.writeMs),
    updateMany: (filter: Doc, update: Doc, options: CallOptions = {}) =>
      call<number>('updateMany', name, [filter, update], options.timeoutMs ?? limits.writeMs),
    deleteMany: (filter: Doc, options: CallOptions = {}) =>
      call<number>('deleteMany', name, [filter], options.timeoutMs ?? limits.writeMs),
    createIndexes: (specs: IndexSpec[]) => call<void>('createIndexes', name, [specs]),
    listIndexes: () => call<ExistingIndex[]>('listIndexes', name, [], limits.readMs),
    explain: (query: ExplainQuery) => call<QueryPlan>('explain', name, [query]),
  });

  return {
    kind: 'memory',
    limits,
    collection,
    ping: () => call<void>('ping', '', []),
    now: () => (failure ? Promise.reject(failure) : Promise.resolve(new Date(clock()))),
    cursorStats: () => call<CursorStats>('cursorStats', '', []),
    async close() {
      await worker.terminate();
    },
  };
}
