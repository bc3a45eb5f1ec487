import { describe, expect, it } from 'vitest';
import { createChannelPacer } from '../../src/slack/channel-pacer.ts';

/** A clock that only moves when someone sleeps or a send takes time. */
function fakeTime() {
  let now = 0;
  return {
    clock: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
    take: (ms: number) => {
      now += ms;
    },
  };
}

describe('createChannelPacer', () => {
  it('counts the interval from when the previous message was answered, one send at a time per channel', async () => {
    const time = fakeTime();
    const pacer = createChannelPacer({ intervalMs: 1000, clock: time.clock, sleep: time.sleep });
    const started: number[] = [];
    const answered: number[] = [];
    const post = () =>
      pacer.send('C1', async () => {
        started.push(time.clock());
        time.take(300); // a slow request
        answered.push(time.clock());
      });
    await Promise.all([post(), post(), post()]);
    expect(started).toEqual([0, 1300, 2600]);
    for (let i = 1; i < started.length; i++)
      expect((started[i] ?? 0) - (answered[i - 1] ?? 0)).toBeGreaterThanOrEqual(1000);
  });

  it('does not hold one channel back for another, and keeps pacing after a failed send', async () => {
    const time = fakeTime();
    const pacer = createChannelPacer({ intervalMs: 1000, clock: time.clock, sleep: time.sleep });
    const order: string[] = [];
    await expect(
      pacer.send('C1', async () => {
        throw new Error('network');
      }),
    ).rejects.toThrow('network');
    await pacer.send('C2', async () => {
      order.push(`C2@${time.clock()}`);
    });
    await pacer.send('C1', async () => {
      order.push(`C1@${time.clock()}`);
    });
    expect(order).toEqual(['C2@0', 'C1@1000']);
  });
});
