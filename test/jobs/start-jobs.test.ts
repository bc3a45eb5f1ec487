import { describe, expect, it } from 'vitest';
import { startJobs, TICK, TICK_ZONE } from '../../jobs/index.ts';
import type { DigestJobDeps } from '../../jobs/run-digests.ts';
import type { ComposedDigest } from '../../src/domain/digest.ts';
import { NO_FILTERS } from '../../src/domain/filters.ts';
import { createWorkTracker } from '../../src/lifecycle/work-tracker.ts';
import { createChannelPacer } from '../../src/slack/channel-pacer.ts';
import { createDigestStore } from '../../src/store/digest-store.ts';
import { captureLogger, FakePoster } from '../fakes/fake-digest-poster.ts';
import { openTestEngine } from '../store/engines.ts';

const NOW = new Date('2026-11-27T09:00:00Z');

/** The ticker with node-cron replaced by a hand-cranked one; the digest's composer finishes when told. */
async function setup() {
  const engine = await openTestEngine('startjobs');
  const digests = createDigestStore(engine);
  await digests.init();
  await digests.add({
    channelId: 'C0SUPPORT',
    channelName: 'support',
    team: 'Support',
    at: '09:00',
    zone: 'UTC',
    weekdaysOnly: false,
    skipEmpty: false,
    filters: NO_FILTERS,
    createdBy: 'U1',
    createdAt: new Date('2026-11-27T08:00:00Z'),
  });
  let release: (value: ComposedDigest) => void = () => {};
  let composing = false;
  const poster = new FakePoster();
  const logger = captureLogger();
  const deps: DigestJobDeps = {
    digests,
    poster,
    compose: () => {
      composing = true;
      return new Promise((resolve) => {
        release = resolve;
      });
    },
    pacer: createChannelPacer({ sleep: async () => {} }),
    sleep: async () => {},
    now: () => NOW,
    logger,
  };
  const scheduled: {
    expression: string;
    options: { timezone: string };
    stopped: boolean;
    tick: () => Promise<void>;
  }[] = [];
  const schedule = (
    expression: string,
    tick: () => Promise<void>,
    options: { timezone: string; name: string },
  ) => {
    const task = { expression, options, stopped: false, tick };
    scheduled.push(task);
    return {
      stop() {
        task.stopped = true;
      },
    };
  };
  const composed: ComposedDigest = { empty: false, main: { text: 'digest', blocks: [] }, thread: null };
  return {
    deps,
    poster,
    logger,
    scheduled,
    schedule,
    finishCompose: () => release(composed),
    isComposing: () => composing,
    close: () => engine.close(),
  };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('the ticker', () => {
  it('is one task, every minute, in UTC', async () => {
    const s = await setup();
    const jobs = startJobs(s.deps, { schedule: s.schedule });
    expect(s.scheduled.map((t) => [t.expression, t.options.timezone])).toEqual([['* * * * *', 'UTC']]);
    expect([TICK, TICK_ZONE]).toEqual(['* * * * *', 'UTC']);
    await jobs.stop();
    expect(s.scheduled[0]?.stopped).toBe(true);
    await s.close();
  });

  it('stop() stops the ticker first, then lets the running round finish and post', async () => {
    const s = await setup();
    const jobs = startJobs(s.deps, { schedule: s.schedule });
    const task = s.scheduled[0];
    if (!task) throw new Error('nothing scheduled');
    const tick = task.tick();
    await flush();
    expect(s.isComposing()).toBe(true);
    let stopped = false;
    const stopping = jobs.stop().then(() => {
      stopped = true;
    });
    await flush();
    expect(task.stopped).toBe(true);
    expect(stopped).toBe(false);
    s.finishCompose();
    await stopping;
    await tick;
    expect(s.poster.mainPosts()).toHaveLength(1);
    // A tick that fires after stop() does nothing.
    await task.tick();
    expect(s.poster.mainPosts()).toHaveLength(1);
    await s.close();
  });

  it('stop() waits a bounded time for a round that does not finish, and says so', async () => {
    const s = await setup();
    const jobs = startJobs(s.deps, { schedule: s.schedule, stopTimeoutMs: 50 });
    void s.scheduled[0]?.tick();
    await flush();
    await jobs.stop();
    // stop() came back while the round was still composing: it did not wait for it.
    expect(s.poster.mainPosts()).toHaveLength(0);
    expect(s.logger.lines.filter((l) => l.level === 'warn')).toHaveLength(1);
    s.finishCompose();
    await flush();
    await s.close();
  });

  it('runs each round as tracked work: a shutdown waits for it, and a tick after it starts nothing', async () => {
    const s = await setup();
    const work = createWorkTracker();
    startJobs(s.deps, { schedule: s.schedule, work });
    const task = s.scheduled[0];
    if (!task) throw new Error('nothing scheduled');
    const tick = task.tick();
    await flush();
    const draining = work.drain({ graceMs: 60_000, cancelMs: 0 });
    s.finishCompose();
    expect(await draining).toEqual({ finished: 1, cancelled: [], abandoned: [] });
    await tick;
    expect(s.poster.mainPosts()).toHaveLength(1);
    await task.tick();
    expect(s.poster.mainPosts()).toHaveLength(1);
    expect(s.logger.lines.filter((l) => l.level === 'error')).toEqual([]);
    await s.close();
  });
});
