import type { Logger } from '@slack/bolt';
import type { ReportDeps } from '../src/reports/answer-report.ts';
import type { UserZoneLookup } from '../src/slack/user-zone.ts';

/** What every command handler is given; built once in src/main.ts (or by a test). */
export interface CommandDeps extends ReportDeps {
  userZone: UserZoneLookup;
  now: () => Date;
  /** Slack user ids allowed to run reports; empty means everyone. */
  allowedUsers: string[];
  logger: Logger;
}

export const NOT_ALLOWED =
  'You are not on the list of people who may run assignment reports. Ask your Slack admin to add your user id to ALLOWED_USERS.';

export function isAllowed(deps: Pick<CommandDeps, 'allowedUsers'>, userId: string): boolean {
  return deps.allowedUsers.length === 0 || deps.allowedUsers.includes(userId);
}

export const SOMETHING_WENT_WRONG =
  'Something went wrong while building this report. It has been logged; please try again in a minute.';
