import cron from 'node-cron';
import { isRestart, type WorkTracker } from '../src/lifecycle/work-tracker.ts';
import { finishInterruptedWrites, type InterruptedWritesDeps } from './finish-interrupted-writes.ts';
import { type DigestJobDeps, runDueDigests } from './run-digests.ts';

// The one place that schedules anything. One task, every minute, in UTC: which digests are due is decided by
// runDueDigests from each digest's own zone, so there is no cron expression per digest or per zone (node-cron
// would skip runs inside DST gaps and never catch up after downtime).

export const TICK = '* * * * *';
export const TICK_ZONE = 'UTC';
/** How long stop() waits for a running digest round before giving up on it. */
export const STOP_TIMEOUT_MS = 20_000;

export interface Jobs {
  /** Stops the ticker, then waits (bounded) for a round that is running. */
  stop(): Promise<void>;
}

type Schedule = (
  expression: string,
  run: () => Promise<void>,
  options: { timezone: string; name: string },
) => {
  stop(): void | Promise<void>;
};

export function startJobs(
  deps: DigestJobDeps & Partial<Pick<InterruptedWritesDeps, 'store'>>,
  options: {
    schedule?: Schedule;
    stopTimeoutMs?: number;
    /** The process's running work: a round is tracked, and cancelled between digests after the grace period. */
    work?: WorkTracker;
  } = {},
): Jobs {
  const schedule: Schedule = options.schedule ?? ((expression, run, o) => cron.schedule(expression, run, o));
  const running = new Set<Promise<void>>();
  let stopped = false;
  const tick = async () => {
    if (stopped) return;
    // Rounds may overlap (a long channel queue must not hold back the next minute's digests): claims keep
    // them from posting anything twice, and the shared pacer keeps each channel's pace.
    const now = deps.now();
    const run = (signal: AbortSignal) => runDueDigests({ ...deps, signal }, now);
    const digests = (options.work ? options.work.run('digest round', run) : run(new AbortController().signal))
      .then(() => {})
      .catch((error: unknown) => {
        // Refused because the process is stopping: the next process's ticker posts what is due.
        if (!isRestart(error)) deps.logger.error('digest round failed', error);
      });
    // Decisions a crash or a failed batch left half written, that no request has finished since.
    const store = deps.store;
    const writes = store
      ? finishInterruptedWrites({ store, logger: deps.logger }, now)
          .then(() => {})
          .catch((error: unknown) =>
            deps.logger.error('finishing interrupted ingest decisions failed', error),
          )
      : undefined;
    const round = Promise.all([digests, writes]).then(() => {});
    running.add(round);
    await round;
    running.delete(round);
  };
  const task = schedule(TICK, tick, { timezone: TICK_ZONE, name: 'digests' });
  return {
    async stop() {
      stopped = true;
      await task.stop();
      if (running.size === 0) return;
      deps.logger.info(
        `waiting up to ${(options.stopTimeoutMs ?? STOP_TIMEOUT_MS) / 1000} s for ${running.size} digest round(s) to finish`,
      );
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), options.stopTimeoutMs ?? STOP_TIMEOUT_MS);
      });
      const outcome = await Promise.race([Promise.all(running).then(() => 'done' as const), timeout]);
      clearTimeout(timer);
      if (outcome === 'timeout')
        deps.logger.warn(
          'a digest round was still running at shutdown; its claims expire and are taken over',
        );
    },
  };
}
