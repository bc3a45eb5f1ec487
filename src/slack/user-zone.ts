import type { Logger } from '@slack/bolt';
import { canonicalZone } from '../domain/canonical-zone.ts';
import { localDateOf } from '../domain/time.ts';
import { slackFailureOf } from './slack-call-limits.ts';

/** The part of Slack's Web API the lookup needs: `users.info`. */
export interface UsersInfoClient {
  users: { info(args: { user: string }): Promise<{ user?: { tz?: string } }> };
}

/** The zone a requester's answer is counted in. */
export interface RequesterZone {
  zone: string;
  /** Set when Slack could not be asked (users.info failed or did not answer): DEFAULT_TIMEZONE was used. */
  fellBack?: { reason: string };
}

export type UserZoneLookup = (userId: string, client: UsersInfoClient) => Promise<RequesterZone>;

/** After users.info fails for a reason that may pass, it is not asked again for this long: answers come at once. */
export const PAUSE_AFTER_FAILURE_MS = 60_000;

/**
 * The requesting user's Slack time zone (`users.info` `tz`), cached for the UTC day, falling back to
 * DEFAULT_TIMEZONE when Slack does not say. When Slack cannot be asked (an error, a 5xx, no answer within the
 * call's limit) the default is used at once and the answer says so; after a failure that may pass, users.info
 * rests for a minute, so a Slack that hangs costs one request its wait, not every request.
 */
export function createUserZoneLookup(deps: {
  defaultZone: string;
  now: () => Date;
  logger: Logger;
}): UserZoneLookup {
  const cache = new Map<string, { zone: string; day: string }>();
  let restingUntil = 0;
  return async (userId, client) => {
    const now = deps.now();
    const day = localDateOf(now, 'UTC');
    const hit = cache.get(userId);
    if (hit && hit.day === day) return { zone: hit.zone };
    if (now.getTime() < restingUntil)
      return { zone: deps.defaultZone, fellBack: { reason: 'users.info failed a moment ago' } };
    let zone = deps.defaultZone;
    try {
      const tz = (await client.users.info({ user: userId })).user?.tz;
      // Slack's `tz` is an IANA name, sometimes an old one (Asia/Calcutta): kept in its canonical spelling.
      const canonical = tz ? canonicalZone(tz) : undefined;
      if (canonical) zone = canonical;
    } catch (error) {
      const failed = slackFailureOf(error);
      const reason = failed ? `users.info: ${failed.detail ?? failed.error}` : 'users.info failed';
      if (!failed || failed.transient) restingUntil = now.getTime() + PAUSE_AFTER_FAILURE_MS;
      const hint = failed?.error === 'missing_scope' ? ' (add the users:read scope)' : '';
      deps.logger.warn(`${reason} for ${userId}; using ${deps.defaultZone}${hint}`, error);
      return { zone: deps.defaultZone, fellBack: { reason } };
    }
    cache.set(userId, { zone, day });
    return { zone };
  };
}
