import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { childExecArgv } from './child-exec-argv.ts';
import type { LoadJob, LoadResult } from './load-client.ts';

export interface LoadClient {
  run(job: LoadJob): Promise<LoadResult>;
  stop(): void;
}

/** Starts load-client.ts in a child process (same tsx loader) and sends it jobs one at a time. */
export function startLoadClient(): LoadClient {
  const child: ChildProcess = fork(fileURLToPath(new URL('./load-client.ts', import.meta.url)), {
    execArgv: childExecArgv(),
  });
  let next = 0;
  const pending = new Map<number, { resolve: (r: LoadResult) => void; reject: (e: Error) => void }>();
  child.on('message', (message: { id: number; result?: LoadResult; error?: string }) => {
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.result) waiter?.resolve(message.result);
    else waiter?.reject(new Error(`load client failed: ${message.error ?? 'no result'}`));
  });
  child.on('exit', (code) => {
    for (const w of pending.values()) w.reject(new Error(`load client exited with ${code}`));
    pending.clear();
  });
  return {
    run(job) {
      const id = ++next;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ id, job });
      });
    },
    stop() {
      if (child.connected) child.disconnect();
    },
  };
}
