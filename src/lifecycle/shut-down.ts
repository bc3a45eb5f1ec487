import { setTimeout as wait } from 'node:timers/promises';
import type { Logger } from '@slack/bolt';
import type { WorkTracker } from './work-tracker.ts';

/** How long work may run on after SIGTERM, by default: under Kubernetes' 30 s before it kills the pod. */
export const DEFAULT_GRACE_SECONDS = 25;
/** After the grace period, how long cancelled work gets to tell its requester and remove its files. */
export const CANCEL_MS = 3000;
/** How long each part (Slack's server, the store) gets to close before the process goes on without it. */
export const CLOSE_MS = 1000;

export interface ShutdownParts {
  work: WorkTracker;
  /** Stops the digest ticker: no new round starts (a running one is tracked work). */
  stopJobs: () => Promise<void>;
  /** Closed in order once the work is done or cancelled: Slack's server, then the store, then temp files. */
  closers: { name: string; close: () => Promise<unknown> }[];
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  graceMs: number;
  cancelMs?: number;
  closeMs?: number;
}

/**
 * A clean stop: take no new work, let exports, imports and digest rounds finish within the grace period,
 * cancel what is still running (each tells its requester "stopped by a restart: run it again" and removes its
 * files), then close Slack's server and the store. Every step is bounded, so the whole stays under
 * graceMs + cancelMs + a second per closer.
 */
export async function shutDown(parts: ShutdownParts, signal: string): Promise<void> {
  const { logger } = parts;
  logger.info(`${signal}: taking no new work; running work has ${parts.graceMs / 1000} s to finish`);
  const [outcome] = await Promise.all([
    parts.work.drain({ graceMs: parts.graceMs, cancelMs: parts.cancelMs ?? CANCEL_MS }),
    parts.stopJobs().catch((error: unknown) => logger.error('stopping the digest ticker failed', error)),
  ]);
  if (outcome.cancelled.length > 0)
    logger.warn(
      `stopped by the restart: ${outcome.cancelled.join(', ')}` +
        (outcome.abandoned.length > 0 ? ` (${outcome.abandoned.join(', ')} did not wind up in time)` : ''),
    );
  else if (outcome.finished > 0) logger.info(`${outcome.finished} piece(s) of running work finished`);
  for (const part of parts.closers) {
    const closed = await Promise.race([
      part
        .close()
        .then(() => true)
        .catch((error: unknown) => {
          logger.error(`closing ${part.name} failed`, error);
          return true;
        }),
      wait(parts.closeMs ?? CLOSE_MS, false, { ref: false }),
    ]);
    if (!closed)
      logger.warn(`${part.name} did not close within ${(parts.closeMs ?? CLOSE_MS) / 1000} s; going on`);
  }
  logger.info(`${signal}: stopped`);
}
