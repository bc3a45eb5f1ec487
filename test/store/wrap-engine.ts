import type { Doc, Engine, StoreCollection } from '../../src/store/collection.ts';

// The way tests reach the store's edge cases (STYLE.md): wrap an engine and change what some calls do (pause
// them, fail the Nth write, record what was sent), never reach into an engine's internals. Every method of the
// collection is delegated; a hook replaces one and is given the collection it wraps.

type Method = keyof StoreCollection;

/** Every method, so that a method added to StoreCollection is a compile error here until it is delegated. */
const METHODS = {
  findOne: true,
  find: true,
  aggregate: true,
  updateOne: true,
  upsertMany: true,
  updateMany: true,
  deleteMany: true,
  createIndexes: true,
  listIndexes: true,
  explain: true,
} satisfies Record<Method, true>;

export type CollectionHooks = {
  [K in Method]?: (
    inner: StoreCollection,
    ...args: Parameters<StoreCollection[K]>
  ) => ReturnType<StoreCollection[K]>;
};

function wrapCollection(inner: StoreCollection, hooks: CollectionHooks): StoreCollection {
  const out: Partial<Record<Method, unknown>> = {};
  for (const method of Object.keys(METHODS) as Method[]) {
    const hook = hooks[method] as ((inner: StoreCollection, ...args: unknown[]) => unknown) | undefined;
    const own = inner[method] as (...args: unknown[]) => unknown;
    out[method] = hook
      ? (...args: unknown[]) => hook(inner, ...args)
      : (...args: unknown[]) => own.apply(inner, args);
  }
  return out as StoreCollection;
}

/** The engine with some collection calls replaced; `hooks` may depend on the collection's name. */
export function wrapEngine(
  engine: Engine,
  hooks: CollectionHooks | ((name: string) => CollectionHooks),
): Engine {
  return {
    kind: engine.kind,
    limits: engine.limits,
    collection: (name) =>
      wrapCollection(engine.collection(name), typeof hooks === 'function' ? hooks(name) : hooks),
    ping: () => engine.ping(),
    now: () => engine.now(),
    close: () => engine.close(),
  };
}

// ---- Around every call: pause, fail, delay or count ------------------------------------------------------

export interface EngineCall {
  collection: string;
  method: Method;
  args: unknown[];
}

/** Runs around one call: may pause it, fail it, delay it, or count it, then proceeds (or not). */
export type Around = (call: EngineCall, proceed: () => Promise<unknown>) => Promise<unknown>;

export const WRITES: ReadonlySet<Method> = new Set(['updateOne', 'upsertMany', 'updateMany', 'deleteMany']);

/** The engine with every collection call passed through `around` (a cursor when it is opened). */
export function aroundEngine(engine: Engine, around: Around): Engine {
  return wrapEngine(engine, (name) => {
    const hooks: Record<string, unknown> = {};
    for (const method of Object.keys(METHODS) as Method[]) {
      if (method === 'find') continue;
      hooks[method] = (inner: StoreCollection, ...args: unknown[]) =>
        around({ collection: name, method, args }, () =>
          (inner[method] as (...a: unknown[]) => Promise<unknown>).apply(inner, args),
        );
    }
    hooks.find = async function* (inner: StoreCollection, ...args: Parameters<StoreCollection['find']>) {
      const docs = (await around({ collection: name, method: 'find', args }, async () =>
        inner.find(...args),
      )) as AsyncIterable<Doc>;
      yield* docs;
    };
    return hooks as CollectionHooks;
  });
}

export class InjectedFailure extends Error {}

/**
 * Fails the `n`th write (1-based) through the engine, once; `writes()` says how many were attempted, so a test
 * can run clean first to learn how many writes a scenario makes, then fail each in turn.
 */
export function failNthWrite(engine: Engine, n: number): { engine: Engine; writes: () => number } {
  let count = 0;
  return {
    engine: aroundEngine(engine, (call, proceed) => {
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
    engine: aroundEngine(engine, async (call, proceed) => {
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

/** Adds `ms` to every call, as a round trip to a server would (bench/latency.ts measures with it). */
export function withLatency(engine: Engine, ms: number): Engine {
  return aroundEngine(engine, async (_call, proceed) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return proceed();
  });
}
