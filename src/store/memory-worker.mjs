// Entry of the in-process engine's worker thread. A worker does not always inherit the TypeScript loader of the
// thread that started it (Vitest's workers do not), so it registers tsx itself before loading the engine.
import { register } from 'tsx/esm/api';

register();
await import('./memory-worker.ts');
