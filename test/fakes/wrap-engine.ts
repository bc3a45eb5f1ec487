import type { Doc, Engine, StoreCollection } from '../../src/store/collection.ts';

// Engine wrappers: the way to test the store's edge cases without reaching into an engine. Each collection call
// passes through `around`, which may pause it, fail it, delay it, or count it, then proceeds (or not).

export type EngineMethod = Exclude<keyof StoreCollection, never>;

export interface EngineCall {
  collection: string;
  method: EngineMethod;
  args: unknown[];
}

export type Around = (call: EngineCall, proceed: () => Promise<unknown>) => Promise<unknown>;

export const WRITES: ReadonlySet<EngineMethod> = new Set([
  'updateOne',
  'upsertMany',
  'updateMany',
  'deleteMany',
]);

/** The engine with every collection call passed through `around`. */
export function wrapEngine(engine: Engine, around: Around): Engine {
  const wrap = (name: string, c: StoreCollection): StoreCollection => {
    const via =
      <A extends unknown[], R>(method: EngineMethod, run: (...args: A) => Promise<R>) =>
      (...args: A): Promise<R> =>
        around({ collection: name, method, args }, () => run(...args)) as Promise<R>;
    return {
      findOne: via('findOne', (filter: Doc, options?) => c.findOne(filter, options)),
      async *find(filter, options) {
        const docs = (await around({ collection: name, method: 'find', args: [filter, options] }, async () =>
          c.find(filter, options),
        )) as AsyncIterable<Doc>;
        yield* docs;
      },
      aggregate: via('aggregate', (pipeline: Doc[]) => c.aggregate(pipeline)),
      updateOne: via('updateOne', (filter: Doc, update: Doc, options?: { upsert?: boolean }) =>
        c.updateOne(filter, update, options),
      ),
      upsertMany: via('upsertMany', (ops: Parameters<StoreCollection['upsertMany']>[0]) => c.upsertMany(ops)),
      updateMany: via('updateMany', (filter: Doc, update: Doc) => c.updateMany(filter, update)),
      deleteMany: via('deleteMany', (filter: Doc) => c.deleteMany(filter)),
      createIndexes: via('createIndexes', (specs: Parameters<StoreCollection['createIndexes']>[0]) =>
        c.createIndexes(specs),
      ),
    };
  };
  return { ...engine, collection: (name) => wrap(name, engine.collection(name)) };
}

export class InjectedFailure extends Error {}

/**
 * Fails the `n`th write (1-based) through the engine, once; `writes()` says how many were attempted, so a test
 * can run clean first to learn how many writes a scenario makes, then fail each in turn.
 */
export function failNthWrite(engine: Engine, n: number): { engine: Engine; writes: () => number } {
  let count = 0;
  return {
    engine: wrapEngine(engine, (call, proceed) => {
      if (!WRITES.has(call.method)) return proceed();
      count++;
      if (count === n)
        return Promise.reject(
          new InjectedFailure(`injected failure at write ${n} (${call.collection}.${call.method})`),
        );
      return proceed();
    }),
    writes: () => count,
  };
}

export interface Pause {
  engine: Engine;
  /** Resolves when a matching call has arrived and is being held. */
  reached: Promise<void>;
  /** Lets the held call proceed. */
  release(): void;
}

/** Holds the first call that `matches` until released; every other call passes straight through. */
export function pauseAt(engine: Engine, matches: (call: EngineCall) => boolean): Pause {
  let armed = true;
  let reach: () => void = () => {};
  let release: () => void = () => {};
  const reached = new Promise<void>((resolve) => {
    reach = resolve;
  });
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    engine: wrapEngine(engine, async (call, proceed) => {
      if (armed && matches(call)) {
        armed = false;
        reach();
        await released;
      }
      return proceed();
    }),
    reached,
    release,
  };
}

/** Adds `ms` to every call, as a round trip to a server would. */
export function withLatency(engine: Engine, ms: number): Engine {
  return wrapEngine(engine, async (_call, proceed) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return proceed();
  });
}
