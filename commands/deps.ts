import type { Logger } from '@slack/bolt';
import type { WorkTracker } from '../src/lifecycle/work-tracker.ts';
import { STORE_TOO_SLOW } from '../src/render/wording.ts';
import type { ReportDeps } from '../src/reports/answer-report.ts';
import type { UserZoneLookup } from '../src/slack/user-zone.ts';
import { isStoreTimeout } from '../src/store/collection.ts';

/** What every command handler is given; built once in src/main.ts (or by a test). */
export interface CommandDeps extends ReportDeps {
  userZone: UserZoneLookup;
  now: () => Date;
  /** Slack user ids allowed to run reports; empty means everyone. */
  allowedUsers: string[];
  logger: Logger;
  /** The process's running work, which a shutdown lets finish (src/main.ts gives one; tests may leave it out). */
  work?: WorkTracker;
}

export const NOT_ALLOWED =
  'You are not on the list of people who may run assignment reports. Ask your Slack admin to add your user id to ALLOWED_USERS.';

export function isAllowed(deps: Pick<CommandDeps, 'allowedUsers'>, userId: string): boolean {
  return deps.allowedUsers.length === 0 || deps.allowedUsers.includes(userId);
}

export const SOMETHING_WENT_WRONG =
  'Something went wrong while building this report. It has been logged; please try again in a minute.';

/**
 * What to tell the requester when building an answer failed, logged as it deserves: the store's time limit is
 * an expected answer with its own words (a warning), anything else an apology (an error).
 */
export function answerFailure(logger: Logger, context: string, error: unknown): string {
  if (isStoreTimeout(error)) {
    logger.warn(`${context}: ${error.message}`);
    return STORE_TOO_SLOW;
  }
  logger.error(context, error);
  return SOMETHING_WENT_WRONG;
}

export const RESTARTING = 'Handoff is restarting: run it again in a minute.';

/**
 * Runs a handler's work as tracked work, so that a shutdown waits for it (and cancels it after the grace
 * period through `signal`). Rejects with RestartError('refused') once the process is stopping.
 */
export function tracked<T>(
  work: WorkTracker | undefined,
  label: string,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  return work ? work.run(label, run) : run(new AbortController().signal);
}
