import { parentPort, workerData } from 'node:worker_threads';
import {
  type CallOptions,
  DEFAULT_TIME_LIMITS,
  type Doc,
  type ExplainQuery,
  type FindOptions,
  isStoreTimeout,
  StoreTimeoutError,
  type TimeLimits,
} from './collection.ts';
import { createMemoryEngine } from './memory-engine.ts';

// The worker side of worker-engine.ts: the in-process engine, answering one message per collection call. A
// `find` is a cursor, as MongoDB's is: `openCursor` answers the first batch, each `nextBatch` the next one, and
// the worker reads no further than it was asked, so a consumer that writes slowly holds back the reading.

export interface EngineRequest {
  id: number;
  op:
    | 'findOne'
    | 'openCursor'
    | 'nextBatch'
    | 'closeCursor'
    | 'cursorStats'
    | 'aggregate'
    | 'updateOne'
    | 'upsertMany'
    | 'updateMany'
    | 'deleteMany'
    | 'createIndexes'
    | 'listIndexes'
    | 'explain'
    | 'ping';
  collection: string;
  args: unknown[];
  /**
   * When the caller gives up (epoch ms, one clock for both threads), and the limit that was. A call still
   * queued behind others at its deadline is not started; one running is given up by the engine at it.
   */
  deadline?: { at: number; limitMs: number; operation: string };
}

/** An error as it crosses the thread: its message, a MongoDB-like code, or the time limit it ran past. */
export interface EngineFailure {
  message: string;
  code?: number;
  codeName?: string;
  timeout?: { operation: string; limitMs: number };
}

export type EngineResponse =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: EngineFailure };

/** What the worker is started with. */
export interface WorkerOptions {
  limits?: TimeLimits;
}

/** One batch of a cursor; `done` means the worker has closed it. */
export interface CursorBatch {
  cursor: number;
  docs: Doc[];
  done: boolean;
}

/** Cursors open in the worker, and batches sent since it started (for tests and diagnostics). */
export interface CursorStats {
  open: number;
  batches: number;
}

export const DEFAULT_BATCH_SIZE = 1000;
/** A cursor nobody has asked for more of in this long is closed, as MongoDB closes idle cursors. */
const CURSOR_IDLE_MS = 10 * 60_000;

interface OpenCursor {
  docs: AsyncIterator<Doc>;
  batchSize: number;
  usedAt: number;
  /** The document read past a full batch, to know whether there is more; it starts the next batch. */
  ahead?: Doc;
}

// Every answer goes to postMessage, which copies it, in the same turn it is read (a cursor batch is gathered
// without letting another message in), so the engine need not copy it first. The one document a cursor reads
// past its batch goes out with the next batch as it is then, as MongoDB's cursors see later writes.
const options: WorkerOptions =
  typeof workerData === 'object' && workerData !== null ? (workerData as WorkerOptions) : {};
const engine = createMemoryEngine({ copyResults: false, limits: options.limits ?? DEFAULT_TIME_LIMITS });
const cursors = new Map<number, OpenCursor>();
let nextCursor = 0;
let batches = 0;

async function closeCursor(id: number): Promise<void> {
  const cursor = cursors.get(id);
  if (!cursor) return;
  cursors.delete(id);
  await cursor.docs.return?.();
}

async function closeIdleCursors(now: number): Promise<void> {
  for (const [id, cursor] of cursors) if (now - cursor.usedAt > CURSOR_IDLE_MS) await closeCursor(id);
}

async function readBatch(id: number): Promise<CursorBatch> {
  const cursor = cursors.get(id);
  if (!cursor)
    throw new Error(
      `cursor ${id} is closed (it was read to the end, or idle for ${CURSOR_IDLE_MS / 60_000} minutes)`,
    );
  const docs: Doc[] = cursor.ahead ? [cursor.ahead] : [];
  cursor.ahead = undefined;
  batches++;
  try {
    while (docs.length < cursor.batchSize) {
      const next = await cursor.docs.next();
      if (next.done) {
        cursors.delete(id);
        return { cursor: id, docs, done: true };
      }
      docs.push(next.value);
    }
    // One document past the batch is read, so that the last batch says it is the last (no empty one follows).
    const next = await cursor.docs.next();
    if (next.done) {
      cursors.delete(id);
      return { cursor: id, docs, done: true };
    }
    cursor.ahead = next.value;
  } catch (error) {
    cursors.delete(id);
    throw error;
  }
  cursor.usedAt = Date.now();
  return { cursor: id, docs, done: false };
}

/** The time the call has left, as the engine's per-call limit; throws when there is none left. */
function remaining(request: EngineRequest): CallOptions {
  const deadline = request.deadline;
  if (!deadline) return {};
  const left = deadline.at - Date.now();
  if (left <= 0) throw new StoreTimeoutError(deadline.operation, deadline.limitMs);
  return { timeoutMs: left };
}

async function run(request: EngineRequest): Promise<unknown> {
  const c = engine.collection(request.collection);
  const [a, b, options] = request.args as [Doc, Doc, { upsert?: boolean }];
  const limit = remaining(request);
  switch (request.op) {
    case 'ping':
      return engine.ping();
    case 'findOne':
      return c.findOne(a, { ...((b ?? {}) as FindOptions), ...limit });
    case 'openCursor': {
      const now = Date.now();
      await closeIdleCursors(now);
      const findOptions = (request.args[1] ?? {}) as FindOptions;
      const id = ++nextCursor;
      cursors.set(id, {
        // The cursor's limit holds for each pull (the engine restarts it), as MongoDB's for each batch.
        docs: c.find(a, { ...findOptions, ...limit })[Symbol.asyncIterator](),
        batchSize: Math.max(1, findOptions.batchSize ?? DEFAULT_BATCH_SIZE),
        usedAt: now,
      });
      return readBatch(id);
    }
    case 'nextBatch':
      return readBatch(Number(request.args[0]));
    case 'closeCursor':
      return closeCursor(Number(request.args[0]));
    case 'cursorStats':
      return { open: cursors.size, batches } satisfies CursorStats;
    case 'aggregate':
      return c.aggregate(request.args[0] as Doc[], limit);
    case 'updateOne':
      return c.updateOne(a, b, options);
    case 'upsertMany':
      return c.upsertMany(request.args[0] as { filter: Doc; update: Doc }[]);
    case 'updateMany':
      return c.updateMany(a, b);
    case 'deleteMany':
      return c.deleteMany(a);
    case 'createIndexes':
      return c.createIndexes(request.args[0] as Parameters<typeof c.createIndexes>[0]);
    case 'listIndexes':
      return c.listIndexes();
    case 'explain':
      return c.explain(request.args[0] as ExplainQuery);
  }
}

function failureOf(error: unknown): EngineFailure {
  if (isStoreTimeout(error))
    return { message: error.message, timeout: { operation: error.operation, limitMs: error.limitMs } };
  const message = error instanceof Error ? error.message : String(error);
  const code =
    typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'number'
      ? error.code
      : undefined;
  const codeName =
    typeof error === 'object' && error !== null && 'codeName' in error && typeof error.codeName === 'string'
      ? error.codeName
      : undefined;
  return { message, ...(code !== undefined ? { code } : {}), ...(codeName ? { codeName } : {}) };
}

parentPort?.on('message', (request: EngineRequest) => {
  run(request).then(
    (value) => parentPort?.postMessage({ id: request.id, ok: true, value } satisfies EngineResponse),
    (error: unknown) =>
      parentPort?.postMessage({
        id: request.id,
        ok: false,
        error: failureOf(error),
      } satisfies EngineResponse),
  );
});
