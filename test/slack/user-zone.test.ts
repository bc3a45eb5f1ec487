import { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { createUserZoneLookup, type UsersInfoClient } from '../../src/slack/user-zone.ts';
import { captureLogger } from '../fakes/fake-digest-poster.ts';

function fakeClient(zones: Record<string, string | undefined>, fail?: () => Error) {
  const calls: string[] = [];
  const client: UsersInfoClient = {
    users: {
      async info({ user }) {
        calls.push(user);
        if (fail) throw fail();
        return { user: { tz: zones[user] } };
      },
    },
  };
  return { client, calls };
}

describe('the requester’s time zone', () => {
  it('comes from users.info and is cached for the day', async () => {
    let now = new Date('2026-11-26T10:00:00Z');
    const lookup = createUserZoneLookup({ defaultZone: 'UTC', now: () => now, logger: captureLogger() });
    const { client, calls } = fakeClient({ U1: 'America/Santiago' });
    expect(await lookup('U1', client)).toEqual({ zone: 'America/Santiago' });
    expect(await lookup('U1', client)).toEqual({ zone: 'America/Santiago' });
    expect(calls).toEqual(['U1']);
    now = new Date('2026-11-27T00:00:01Z');
    await lookup('U1', client);
    expect(calls).toEqual(['U1', 'U1']);
  });

  it('keeps Slack’s zone by its canonical name', async () => {
    const lookup = createUserZoneLookup({
      defaultZone: 'UTC',
      now: () => new Date(),
      logger: captureLogger(),
    });
    const { client } = fakeClient({ U1: 'Asia/Calcutta', U2: 'Europe/Kiev' });
    expect([await lookup('U1', client), await lookup('U2', client)]).toEqual([
      { zone: 'Asia/Kolkata' },
      { zone: 'Europe/Kyiv' },
    ]);
  });

  it('uses DEFAULT_TIMEZONE quietly when Slack has no zone or an unknown one', async () => {
    const lookup = createUserZoneLookup({
      defaultZone: 'Asia/Kuala_Lumpur',
      now: () => new Date(),
      logger: captureLogger(),
    });
    expect(await lookup('U2', fakeClient({}).client)).toEqual({ zone: 'Asia/Kuala_Lumpur' });
    expect(await lookup('U3', fakeClient({ U3: 'Not/AZone' }).client)).toEqual({ zone: 'Asia/Kuala_Lumpur' });
  });

  it('falls back at once when users.info fails, says so, and rests users.info for a minute', async () => {
    let now = new Date('2026-11-26T10:00:00Z');
    const logger = captureLogger();
    const lookup = createUserZoneLookup({ defaultZone: 'Asia/Kuala_Lumpur', now: () => now, logger });
    const failing = fakeClient({}, () => new webApi.WebAPIRequestError(new Error('connect ECONNREFUSED')));
    expect(await lookup('U4', failing.client)).toEqual({
      zone: 'Asia/Kuala_Lumpur',
      fellBack: { reason: 'users.info: connect ECONNREFUSED' },
    });
    expect(logger.lines).toEqual([
      {
        level: 'warn',
        message: expect.stringMatching(/^users\.info: connect ECONNREFUSED for U4; using Asia\/Kuala_Lumpur/),
      },
    ]);
    // Within the minute nobody waits for a Slack that just failed; after it, users.info is asked again.
    const healthy = fakeClient({ U5: 'Europe/London' });
    expect(await lookup('U5', healthy.client)).toMatchObject({ zone: 'Asia/Kuala_Lumpur', fellBack: {} });
    expect(healthy.calls).toEqual([]);
    now = new Date(now.getTime() + 60_001);
    expect(await lookup('U5', healthy.client)).toEqual({ zone: 'Europe/London' });
  });

  it('does not rest after a refusal that concerns one call (a missing scope), and names the fix', async () => {
    const logger = captureLogger();
    const lookup = createUserZoneLookup({ defaultZone: 'UTC', now: () => new Date(), logger });
    const refused = fakeClient(
      {},
      () => new webApi.WebAPIPlatformError({ ok: false, error: 'missing_scope' }),
    );
    expect(await lookup('U6', refused.client)).toEqual({
      zone: 'UTC',
      fellBack: { reason: 'users.info: missing_scope' },
    });
    expect(logger.lines.at(-1)?.message).toContain('(add the users:read scope)');
    expect(await lookup('U6', refused.client)).toMatchObject({ fellBack: {} });
    expect(refused.calls).toEqual(['U6', 'U6']);
  });
});
