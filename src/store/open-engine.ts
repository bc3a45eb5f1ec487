import type { Engine } from './collection.ts';
import { createMemoryEngine } from './memory-engine.ts';
import { createMongoEngine } from './mongo-engine.ts';

export const MEMORY_URI = 'memory://';

/** `memory://` (or nothing) selects the in-process engine; `mongodb://…` and `mongodb+srv://…` the real server. */
export async function openEngine(uri: string | undefined, dbName: string): Promise<Engine> {
  if (!uri || uri === MEMORY_URI) return createMemoryEngine();
  return createMongoEngine(uri, dbName);
}
