import type { Engine, StoreCollection } from '../../src/store/collection.ts';

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
    close: () => engine.close(),
  };
}
