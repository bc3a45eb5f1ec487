import { ConsoleLogger, LogLevel } from '@slack/logger';
import { describe, expect, it } from 'vitest';
import { createUserZoneLookup, type UsersInfoClient } from '../../src/slack/user-zone.ts';

function fakeClient(zones: Record<string, string | undefined>, fail = false) {
  const calls: string[] = [];
  const client: UsersInfoClient = {
    users: {
      async info({ user }) {
        calls.push(user);
        if (fail) throw new Error('missing_scope');
        return { user: { tz: zones[user] } };
      },
    },
  };
  return { client, calls };
}

const logger = new ConsoleLogger();
logger.setLevel(LogLevel.ERROR);

describe('the requester’s time zone', () => {
  it('comes from users.info and is cached for the day', async () => {
    let now = new Date('2026-11-26T10:00:00Z');
    const lookup = createUserZoneLookup({ defaultZone: 'UTC', now: () => now, logger });
    const { client, calls } = fakeClient({ U1: 'America/Santiago' });
    expect(await lookup('U1', client)).toBe('America/Santiago');
    expect(await lookup('U1', client)).toBe('America/Santiago');
    expect(calls).toEqual(['U1']);
    now = new Date('2026-11-27T00:00:01Z');
    await lookup('U1', client);
    expect(calls).toEqual(['U1', 'U1']);
  });

  it('keeps Slack’s zone by its canonical name', async () => {
    const lookup = createUserZoneLookup({ defaultZone: 'UTC', now: () => new Date(), logger });
    const { client } = fakeClient({ U1: 'Asia/Calcutta', U2: 'Europe/Kiev' });
    expect([await lookup('U1', client), await lookup('U2', client)]).toEqual(['Asia/Kolkata', 'Europe/Kyiv']);
  });

  it('falls back to DEFAULT_TIMEZONE when Slack has none, an unknown one, or cannot be asked', async () => {
    const lookup = createUserZoneLookup({ defaultZone: 'Asia/Kuala_Lumpur', now: () => new Date(), logger });
    expect(await lookup('U2', fakeClient({}).client)).toBe('Asia/Kuala_Lumpur');
    expect(await lookup('U3', fakeClient({ U3: 'Not/AZone' }).client)).toBe('Asia/Kuala_Lumpur');
    expect(await lookup('U4', fakeClient({}, true).client)).toBe('Asia/Kuala_Lumpur');
  });
});
