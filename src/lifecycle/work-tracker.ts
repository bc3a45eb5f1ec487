import { setTimeout as wait } from 'node:timers/promises';

/** Why work was refused or cancelled: the process is stopping (SIGTERM, a deploy or a scale-down). */
export class RestartError extends Error {
  constructor(readonly when: 'refused' | 'cancelled') {
    super(
      when === 'refused'
        ? 'Handoff is restarting: run it again in a minute'
        : 'stopped by a restart: run it again',
    );
    this.name = 'RestartError';
  }
}

/** Whether `error` is the process stopping (also when it reached the work as its signal's abort reason). */
export const isRestart = (error: unknown): error is RestartError => error instanceof RestartError;

export interface DrainOutcome {
  /** Work that finished within the grace period. */
  finished: number;
  /** Work still running at its end, told to stop (labels). */
  cancelled: string[];
  /** Cancelled work that had not wound up when the process went on stopping (labels). */
  abandoned: string[];
}

export interface WorkTracker {
  /**
   * Runs `work` as tracked work: a shutdown waits for it. Rejects with RestartError('refused') once the process
   * is stopping; `signal` is aborted (its reason a RestartError('cancelled')) when the grace period ends.
   */
  run<T>(label: string, work: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** True once drain() began. */
  readonly stopping: boolean;
  /**
   * Stops taking work, lets running work finish for `graceMs`, then aborts what is left and gives it `cancelMs`
   * to wind up (remove its files, tell its requester). Never waits longer than the two together.
   */
  drain(limits: { graceMs: number; cancelMs: number }): Promise<DrainOutcome>;
}

/** The process's running work, so that a shutdown can let it finish, then cancel it, then go. */
export function createWorkTracker(): WorkTracker {
  const running = new Map<Promise<unknown>, { label: string; controller: AbortController }>();
  let stopping = false;
  let finished = 0;
  const settledWithin = async (ms: number): Promise<boolean> => {
    if (running.size === 0) return true;
    const timer = new AbortController();
    const all = Promise.allSettled([...running.keys()]).then(() => true);
    const outcome = await Promise.race([all, wait(ms, false, { signal: timer.signal }).catch(() => false)]);
    timer.abort();
    return outcome;
  };
  return {
    get stopping() {
      return stopping;
    },
    async run(label, work) {
      if (stopping) throw new RestartError('refused');
      const controller = new AbortController();
      const done = work(controller.signal);
      running.set(done, { label, controller });
      try {
        return await done;
      } finally {
        running.delete(done);
        finished++;
      }
    },
    async drain({ graceMs, cancelMs }) {
      stopping = true;
      const before = finished;
      if (await settledWithin(graceMs)) return { finished: finished - before, cancelled: [], abandoned: [] };
      const cancelled = [...running.values()];
      for (const { controller } of cancelled) controller.abort(new RestartError('cancelled'));
      await settledWithin(cancelMs);
      return {
        finished: finished - before - (cancelled.length - running.size),
        cancelled: cancelled.map((w) => w.label),
        abandoned: [...running.values()].map((w) => w.label),
      };
    },
  };
}
