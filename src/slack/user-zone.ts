import type { Logger } from '@slack/bolt';
import { canonicalZone } from '../domain/canonical-zone.ts';
import { localDateOf } from '../domain/time.ts';

/** The part of Slack's Web API the lookup needs: `users.info`. */
export interface UsersInfoClient {
  users: { info(args: { user: string }): Promise<{ user?: { tz?: string } }> };
}

export type UserZoneLookup = (userId: string, client: UsersInfoClient) => Promise<string>;

/**
 * The requesting user's Slack time zone (`users.info` `tz`), cached for the UTC day, falling back to
 * DEFAULT_TIMEZONE when Slack does not say or cannot be asked.
 */
export function createUserZoneLookup(deps: {
  defaultZone: string;
  now: () => Date;
  logger: Logger;
}): UserZoneLookup {
  const cache = new Map<string, { zone: string; day: string }>();
  return async (userId, client) => {
    const day = localDateOf(deps.now(), 'UTC');
    const hit = cache.get(userId);
    if (hit && hit.day === day) return hit.zone;
    let zone = deps.defaultZone;
    try {
      const tz = (await client.users.info({ user: userId })).user?.tz;
      // Slack's `tz` is an IANA name, sometimes an old one (Asia/Calcutta): kept in its canonical spelling.
      const canonical = tz ? canonicalZone(tz) : undefined;
      if (canonical) zone = canonical;
    } catch (error) {
      deps.logger.warn(
        `users.info failed for ${userId}; using ${deps.defaultZone} (add the users:read scope)`,
        error,
      );
      return zone;
    }
    cache.set(userId, { zone, day });
    return zone;
  };
}
