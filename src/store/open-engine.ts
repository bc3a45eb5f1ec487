import type { Engine, TimeLimits } from './collection.ts';
import { createMemoryEngine } from './memory-engine.ts';
import { createMongoEngine } from './mongo-engine.ts';
import { createWorkerEngine } from './worker-engine.ts';

export const MEMORY_URI = 'memory://';

/**
 * `memory://` (or nothing) selects the in-process engine; `mongodb://…` and `mongodb+srv://…` the real server.
 * `onWorker` runs the in-process engine on a worker thread, so that its computing never delays a Slack ack.
 */
export async function openEngine(
  uri: string | undefined,
  dbName: string,
  options: { onWorker: boolean; limits?: TimeLimits },
): Promise<Engine> {
  const limits = options.limits ? { limits: options.limits } : {};
  if (!uri || uri === MEMORY_URI)
    return options.onWorker ? createWorkerEngine(limits) : createMemoryEngine(limits);
  return createMongoEngine(uri, dbName, limits);
}
