import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DigestJobDeps, MAX_ATTEMPTS, runDueDigests } from '../../jobs/run-digests.ts';
import type { ComposeDigest } from '../../src/domain/digest.ts';
import { NO_FILTERS } from '../../src/domain/filters.ts';
import { createChannelPacer } from '../../src/slack/channel-pacer.ts';
import type { Engine } from '../../src/store/collection.ts';
import {
  createDigestStore,
  type DigestStore,
  LEASE_MS,
  type NewDigest,
  runKey,
  type StoredDigest,
} from '../../src/store/digest-store.ts';
import { captureLogger, FakePoster, fakeCompose } from '../fakes/fake-digest-poster.ts';
import { openTestEngine, TEST_ENGINE_NAME, withMongo } from '../store/engines.ts';
import { aroundEngine } from '../store/wrap-engine.ts';

const MINUTE = 60_000;
const utc = (iso: string) => new Date(iso);

/** A test clock: `now()` for deps, `set`/`advance` between ticks. */
function clock(start: string) {
  let t = utc(start).getTime();
  return {
    now: () => new Date(t),
    set: (iso: string) => {
      t = utc(iso).getTime();
    },
    advance: (ms: number) => {
      t += ms;
    },
  };
}

interface Harness {
  engine: Engine;
  digests: DigestStore;
  poster: FakePoster;
  composed: ReturnType<typeof fakeCompose>;
  logger: ReturnType<typeof captureLogger>;
  sleeps: number[];
  time: ReturnType<typeof clock>;
  deps: DigestJobDeps;
  add(overrides?: Partial<NewDigest>): Promise<StoredDigest>;
  tick(): ReturnType<typeof runDueDigests>;
}

async function harness(
  start: string,
  options: {
    /** Opens the store's engine on the test clock (the database's); the in-process engine by default. */
    openEngine?: (clock: () => number) => Promise<Engine>;
    compose?: ComposeDigest;
    empty?: (day: string) => boolean;
  } = {},
): Promise<Harness> {
  const time = clock(start);
  // The database's clock is the test's: leases expire as the test moves time. Each process's own clock is its
  // deps' `now`, the same one unless a test skews it.
  const dbClock = () => time.now().getTime();
  const engine = await (options.openEngine ?? ((c) => openTestEngine('digestjobs', { clock: c })))(dbClock);
  const digests = createDigestStore(engine);
  await digests.init();
  const poster = new FakePoster();
  const composed = fakeCompose(options.empty ? { empty: options.empty } : {});
  const logger = captureLogger();
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
  };
  const deps: DigestJobDeps = {
    digests,
    compose: options.compose ?? composed.compose,
    poster,
    // Pacing is real (1 s per channel) but waits resolve at once: the intervals land in `sleeps`.
    pacer: createChannelPacer({ sleep, clock: () => time.now().getTime() }),
    sleep,
    now: time.now,
    logger,
  };
  return {
    engine,
    digests,
    poster,
    composed,
    logger,
    sleeps,
    time,
    deps,
    add: (overrides = {}) =>
      digests.add({
        channelId: 'C0SUPPORT',
        channelName: 'support',
        team: 'Support',
        at: '09:00',
        zone: 'Asia/Kuala_Lumpur',
        weekdaysOnly: false,
        skipEmpty: false,
        filters: NO_FILTERS,
        createdBy: 'UCREATOR',
        // Added when the test starts: earlier days are not owed (see the catch-up tests for those).
        createdAt: utc(start),
        ...overrides,
      }),
    tick: () => runDueDigests(deps, time.now()),
  };
}

/** Ticks once a minute from `from` (inclusive) to `to` (exclusive). */
async function tickEveryMinute(h: Harness, from: string, to: string): Promise<void> {
  h.time.set(from);
  while (h.time.now() < utc(to)) {
    await h.tick();
    h.time.advance(MINUTE);
  }
}

/** When each main post went out, by the test clock: recorded per post as the fake is called. */
function recordTimes(h: Harness): string[] {
  const times: string[] = [];
  const post = h.poster.postMessage.bind(h.poster);
  h.poster.postMessage = async (message) => {
    if (!message.threadTs) times.push(`${message.channel} ${h.time.now().toISOString()}`);
    return post(message);
  };
  return times;
}

describe('a digest round', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness('2026-11-27T00:59:00Z');
  });
  afterEach(() => h.engine.close());

  it('posts once at the scheduled minute, yesterday’s numbers, the log in the thread; then nothing that day', async () => {
    const def = await h.add();
    expect(await h.tick()).toMatchObject({ due: 0, posted: 0 });
    h.time.advance(MINUTE); // 01:00 UTC = 09:00 Kuala Lumpur
    expect(await h.tick()).toMatchObject({ due: 1, posted: 1, delayed: 0 });
    expect(h.composed.calls).toEqual([
      { digestId: def.id, day: '2026-11-26', marks: { test: false, delayedBy: null } },
    ]);
    const [main, reply] = h.poster.posts;
    expect(main).toMatchObject({ channel: 'C0SUPPORT', text: 'Digest Support 2026-11-26' });
    expect(reply).toMatchObject({ channel: 'C0SUPPORT', text: 'Log Support 2026-11-26', threadTs: main?.ts });
    // The reply is paced behind the main message in the same channel.
    expect(h.sleeps).toEqual([1000]);
    for (let i = 0; i < 30; i++) {
      h.time.advance(MINUTE);
      await h.tick();
    }
    expect(h.poster.mainPosts()).toHaveLength(1);
    expect(await h.digests.log(def.id)).toMatchObject([
      { localDate: '2026-11-27', state: 'posted', ts: main?.ts },
    ]);
    h.time.set('2026-11-28T01:00:00Z');
    await h.tick();
    expect(h.poster.mainPosts()).toHaveLength(2);
    expect(h.composed.calls.at(-1)?.day).toBe('2026-11-27');
  });

  it('cancelled by a restart: claims no further digest, so the next process posts them', async () => {
    const first = await h.add();
    const second = await h.add({ team: 'Sales' });
    h.time.advance(MINUTE);
    const restart = new AbortController();
    // The grace period ends while the first digest is composed: it still posts, the second is left unclaimed.
    const compose = h.deps.compose;
    h.deps.compose = async (...args) => {
      restart.abort();
      return compose(...args);
    };
    expect(await runDueDigests({ ...h.deps, signal: restart.signal }, h.time.now())).toMatchObject({
      due: 2,
      posted: 1,
    });
    const logs = [...(await h.digests.log(first.id)), ...(await h.digests.log(second.id))];
    expect(logs).toMatchObject([{ state: 'posted' }]);
    // The next process's tick, a minute later, posts the one left.
    h.time.advance(MINUTE);
    h.deps.compose = compose;
    expect(await h.tick()).toMatchObject({ due: 1, posted: 1 });
  });

  it('posts each zone’s digest at its own local 09:00 (Kathmandu +05:45, Kuala Lumpur, New York), once each', async () => {
    const times = recordTimes(h);
    await h.add({ channelId: 'CKTM1', zone: 'Asia/Kathmandu' });
    await h.add({ channelId: 'CKUL1', zone: 'Asia/Kuala_Lumpur' });
    await h.add({ channelId: 'CNYC1', zone: 'America/New_York' });
    await tickEveryMinute(h, '2026-11-27T00:00:00Z', '2026-11-28T00:00:00Z');
    expect(times).toEqual([
      'CKUL1 2026-11-27T01:00:00.000Z',
      'CKTM1 2026-11-27T03:15:00.000Z',
      'CNYC1 2026-11-27T14:00:00.000Z',
    ]);
  });

  it('DST start: a 02:30 New York digest runs at 03:00 local on 8 Mar 2026, once', async () => {
    const times = recordTimes(h);
    await h.add({
      channelId: 'CNYC1',
      zone: 'America/New_York',
      at: '02:30',
      createdAt: utc('2026-01-01T00:00:00Z'),
    });
    await tickEveryMinute(h, '2026-03-08T04:00:00Z', '2026-03-08T12:00:00Z');
    expect(times).toEqual(['CNYC1 2026-03-08T07:00:00.000Z']);
    expect(h.composed.calls.map((c) => c.marks.delayedBy)).toEqual([null]);
  });

  it('DST end: 01:30 happens twice in New York on 1 Nov 2026; the digest posts once, at the first', async () => {
    const times = recordTimes(h);
    await h.add({
      channelId: 'CNYC1',
      zone: 'America/New_York',
      at: '01:30',
      createdAt: utc('2026-01-01T00:00:00Z'),
    });
    await tickEveryMinute(h, '2026-11-01T04:00:00Z', '2026-11-01T09:00:00Z');
    expect(times).toEqual(['CNYC1 2026-11-01T05:30:00.000Z']);
  });

  it('catch-up: a bot started 2 h 5 min after the minute posts that day once, marked delayed', async () => {
    const def = await h.add();
    h.time.set('2026-11-27T03:05:00Z');
    expect(await h.tick()).toMatchObject({ posted: 1, delayed: 1 });
    expect(h.composed.calls[0]?.marks).toEqual({ test: false, delayedBy: '2 h 5 min' });
    h.time.advance(MINUTE);
    await h.tick();
    expect(h.poster.mainPosts()).toHaveLength(1);
    expect(await h.digests.log(def.id)).toMatchObject([
      { state: 'posted-delayed', delayedByMs: 125 * MINUTE },
    ]);
  });

  it('a bot that was down all of yesterday records yesterday as missed, then posts today on time', async () => {
    const def = await h.add({ createdAt: utc('2026-11-20T00:00:00Z') });
    expect(await h.tick()).toMatchObject({ due: 1, missed: 1, posted: 0 });
    h.time.advance(MINUTE);
    expect(await h.tick()).toMatchObject({ due: 1, posted: 1, delayed: 0 });
    expect((await h.digests.log(def.id)).map((r) => [r.localDate, r.state])).toEqual([
      ['2026-11-27', 'posted'],
      ['2026-11-26', 'missed'],
    ]);
  });

  it('more than 12 h late: recorded as missed, nothing posted, and the next day is on time', async () => {
    const def = await h.add();
    h.time.set('2026-11-27T13:01:00Z');
    expect(await h.tick()).toMatchObject({ missed: 1, posted: 0 });
    await h.tick();
    expect(h.poster.posts).toEqual([]);
    expect(h.composed.calls).toEqual([]);
    expect(await h.digests.log(def.id)).toMatchObject([{ localDate: '2026-11-27', state: 'missed' }]);
    expect(h.logger.lines.filter((l) => l.level === 'warn' && l.message.includes('missed'))).toHaveLength(1);
    h.time.set('2026-11-28T01:00:00Z');
    expect(await h.tick()).toMatchObject({ posted: 1, delayed: 0 });
  });

  it('weekdays: Monday to Friday only', async () => {
    const times = recordTimes(h);
    await h.add({ weekdaysOnly: true, zone: 'UTC', createdAt: utc('2026-01-01T00:00:00Z') });
    for (let day = 23; day <= 29; day++) {
      h.time.set(`2026-11-${day}T09:00:00Z`);
      await h.tick();
    }
    expect(times.map((t) => t.slice(10, 20))).toEqual([
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
      '2026-11-27',
    ]);
    // Monday's digest covers Sunday: "yesterday" is the calendar day before, weekend or not.
    expect(h.composed.calls[0]?.day).toBe('2026-11-22');
  });

  it('pause and resume: nothing while paused, nothing for the day it was resumed after its time, then daily', async () => {
    const def = await h.add({ zone: 'UTC' });
    await h.digests.setPaused(def.id, true, utc('2026-11-26T12:00:00Z'));
    h.time.set('2026-11-27T09:00:00Z');
    await h.tick();
    expect(h.poster.posts).toEqual([]);
    await h.digests.setPaused(def.id, false, utc('2026-11-27T10:00:00Z'));
    h.time.set('2026-11-27T10:01:00Z');
    await h.tick();
    expect(h.poster.posts).toEqual([]);
    h.time.set('2026-11-28T09:00:00Z');
    await h.tick();
    expect(h.poster.mainPosts()).toHaveLength(1);
  });

  it('skip-empty: an empty day posts nothing and is logged; without it, the quiet line is posted', async () => {
    const empty = await harness('2026-11-27T01:00:00Z', { empty: () => true });
    const quiet = await empty.add({ channelId: 'CQUIET' });
    const skipping = await empty.add({ channelId: 'CSKIP', skipEmpty: true });
    expect(await empty.tick()).toMatchObject({ posted: 1, skipped: 1 });
    expect(empty.poster.posts.map((p) => [p.channel, p.text])).toEqual([
      ['CQUIET', 'No assignments for Support 2026-11-26'],
    ]);
    expect(await empty.digests.log(skipping.id)).toMatchObject([
      { state: 'skipped-empty', reason: 'no assignments for Support on Thu 26 Nov (skip-empty)' },
    ]);
    expect(await empty.digests.log(quiet.id)).toMatchObject([{ state: 'posted' }]);
    await empty.engine.close();
  });
});

describe('Slack failures', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness('2026-11-27T01:00:00Z');
  });
  afterEach(() => h.engine.close());

  it('429 then ok: waits Retry-After and posts once', async () => {
    await h.add();
    h.poster.script('C0SUPPORT', { ok: false, error: 'ratelimited', retryAfterMs: 3000 });
    expect(await h.tick()).toMatchObject({ posted: 1, failed: 0 });
    expect(h.sleeps).toContain(3000);
    expect(h.poster.attempts.filter((a) => !a.threadTs)).toHaveLength(2);
    expect(h.poster.mainPosts()).toHaveLength(1);
  });

  it('429s that do not stop: released for a later tick, not hammered', async () => {
    const def = await h.add();
    const limited = { ok: false as const, error: 'ratelimited', retryAfterMs: 1000 };
    h.poster.script('C0SUPPORT', limited, limited, limited, limited);
    expect(await h.tick()).toMatchObject({ posted: 0, retrying: 1 });
    expect(h.poster.attempts).toHaveLength(4); // the first try and 3 waits
    expect(await h.digests.log(def.id)).toMatchObject([
      { state: 'failed', retryAt: utc('2026-11-27T01:01:00Z') },
    ]);
    h.time.advance(MINUTE);
    expect(await h.tick()).toMatchObject({ posted: 1 });
  });

  it.each([
    ['not_in_channel', 'Handoff is not a member of #support: invite it there with /invite @Handoff'],
    ['channel_not_found', '#support no longer exists, or it is private and Handoff is not in it'],
    ['is_archived', '#support is archived'],
  ])(
    '%s: the run fails with a clear reason, the creator gets one DM, no retry next tick',
    async (error, reason) => {
      const def = await h.add();
      h.poster.script('C0SUPPORT', { ok: false, error });
      expect(await h.tick()).toMatchObject({ failed: 1, posted: 0 });
      expect(h.poster.dms).toEqual(['UCREATOR']);
      const dm = h.poster.posts.find((p) => p.channel === 'DUCREATOR');
      expect(dm?.text).toContain(`Your assignments digest \`${def.id}\``);
      expect(dm?.text).toContain(reason);
      for (let i = 0; i < 20; i++) {
        h.time.advance(MINUTE);
        await h.tick();
      }
      expect(h.poster.attempts.filter((a) => a.channel === 'C0SUPPORT')).toHaveLength(1);
      expect(h.poster.dms).toHaveLength(1);
      expect(await h.digests.log(def.id)).toMatchObject([
        { state: 'failed', retryAt: null, creatorNotified: true, reason: expect.stringContaining(reason) },
      ]);
    },
  );

  it('other errors: retried with backoff (1, 2, 4, 8 min), then failed for good with one DM', async () => {
    const def = await h.add();
    const down = { ok: false as const, error: 'internal_error' };
    h.poster.script('C0SUPPORT', down, down, down, down, down, down);
    const attemptsAt: string[] = [];
    for (let i = 0; i < 30; i++) {
      const before = h.poster.attempts.length;
      await h.tick();
      if (h.poster.attempts.length > before) attemptsAt.push(h.time.now().toISOString().slice(11, 16));
      h.time.advance(MINUTE);
    }
    expect(attemptsAt).toEqual(['01:00', '01:01', '01:03', '01:07', '01:15']);
    expect(attemptsAt).toHaveLength(MAX_ATTEMPTS);
    expect(h.poster.dms).toEqual(['UCREATOR']);
    expect(await h.digests.log(def.id)).toMatchObject([
      {
        state: 'failed',
        retryAt: null,
        attempts: 5,
        reason: 'Slack answered internal_error (gave up after 5 attempts)',
      },
    ]);
  });

  it('a composer that throws: logged, released for retry, posted when it recovers', async () => {
    let fail = true;
    const { compose } = fakeCompose();
    const flaky = await harness('2026-11-27T01:00:00Z', {
      compose: async (...args) => {
        if (fail) throw new Error('store unreachable');
        return compose(...args);
      },
    });
    const def = await flaky.add();
    expect(await flaky.tick()).toMatchObject({ retrying: 1 });
    expect(flaky.logger.lines.filter((l) => l.level === 'error')).toHaveLength(1);
    expect(await flaky.digests.log(def.id)).toMatchObject([
      { state: 'failed', reason: 'building the digest failed: store unreachable' },
    ]);
    fail = false;
    flaky.time.advance(MINUTE);
    expect(await flaky.tick()).toMatchObject({ posted: 1 });
    await flaky.engine.close();
  });
});

/** An engine whose every call waits a little (seeded), so concurrent rounds interleave between store calls. */
function jittery(engine: Engine, seed: number): Engine {
  let state = seed;
  const pause = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return new Promise((resolve) => setTimeout(resolve, state % 3));
  };
  return aroundEngine(engine, (_call, proceed) => pause().then(proceed));
}

describe('several schedulers on one store', () => {
  const engines: [string, (clock: () => number) => Promise<Engine>][] = [
    [`${TEST_ENGINE_NAME}, calls interleaved`, (clock) => openTestEngine('digestrace', { clock })],
    // On MongoDB the worker thread has nothing to add.
    ...(withMongo
      ? []
      : [
          [
            'the worker-thread engine',
            (clock: () => number) => openTestEngine('digestrace', { onWorker: true, clock }),
          ] as [string, (clock: () => number) => Promise<Engine>],
        ]),
  ];
  it.each(engines)(
    '%s: exactly one post per digest per day',
    async (_name, open) => {
      const h = await harness('2026-11-27T00:58:00Z', { openEngine: open });
      const engine = h.engine;
      const poster = h.poster;
      // Three bot processes: each its own store client, pacer and claims; one Slack, one database.
      const schedulers = [1, 2, 3].map((seed) => ({
        ...h.deps,
        digests: createDigestStore(jittery(engine, seed)),
        pacer: createChannelPacer({ sleep: h.deps.sleep, clock: () => h.time.now().getTime() }),
      }));
      const defs = [];
      for (let i = 0; i < 12; i++)
        defs.push(
          await h.add({
            channelId: `C0CH${i % 4}`,
            zone: ['Asia/Kuala_Lumpur', 'Asia/Kathmandu', 'UTC'][i % 3] ?? 'UTC',
          }),
        );
      // The three schedulers tick at the same instants: every minute around each zone's 09:00 on two days
      // (Kuala Lumpur 01:00, Kathmandu 03:15, UTC 09:00), and every half hour in between.
      const ticks = new Set<number>();
      for (const day of ['2026-11-27', '2026-11-28']) {
        for (let m = 0; m < 24 * 60; m += 30) ticks.add(utc(`${day}T00:00:00Z`).getTime() + m * MINUTE);
        for (const [from, minutes] of [
          ['00:58', 6],
          ['03:13', 6],
          ['08:58', 6],
        ] as const)
          for (let m = 0; m < minutes; m++) ticks.add(utc(`${day}T${from}:00Z`).getTime() + m * MINUTE);
      }
      for (const t of [...ticks].sort((x, y) => x - y)) {
        h.time.set(new Date(t).toISOString());
        await Promise.all(schedulers.map((deps) => runDueDigests(deps, new Date(t))));
      }
      const mains = poster.mainPosts();
      expect(mains).toHaveLength(defs.length * 2);
      const perDigestDay = new Map<string, number>();
      for (const call of h.composed.calls) {
        const key = `${call.digestId} ${call.day}`;
        perDigestDay.set(key, (perDigestDay.get(key) ?? 0) + 1);
      }
      expect([...perDigestDay.values()].every((n) => n === 1)).toBe(true);
      expect(perDigestDay.size).toBe(defs.length * 2);
      // Every main message got its one thread reply.
      expect(poster.posts.filter((p) => p.threadTs)).toHaveLength(defs.length * 2);
      await engine.close();
    },
    60_000,
  );
});

describe('a crash between claim and post', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness('2026-11-27T01:00:00Z');
  });
  afterEach(() => h.engine.close());

  it('the claim holds for its lease; then exactly one scheduler takes it over and posts, marked delayed', async () => {
    const def = await h.add();
    // A process claimed the day at 09:00 and died before posting.
    const dead = await h.digests.claim({
      digestId: def.id,
      localDate: '2026-11-27',
      scheduledAt: utc('2026-11-27T01:00:00Z'),
    });
    expect(dead).not.toBeNull();
    for (let i = 0; i < 10; i++) {
      h.time.advance(MINUTE);
      await h.tick();
    }
    expect(h.poster.posts).toEqual([]);
    h.time.advance(MINUTE + 1); // past the 10-minute lease
    const other = { ...h.deps, digests: createDigestStore(h.engine) };
    const rounds = await Promise.all([h.tick(), runDueDigests(other, h.time.now()), h.tick()]);
    expect(rounds.reduce((n, r) => n + r.posted, 0)).toBe(1);
    expect(h.poster.mainPosts()).toHaveLength(1);
    expect(h.composed.calls[0]?.marks.delayedBy).toBe('11 min');
    expect(await h.digests.log(def.id)).toMatchObject([{ state: 'posted-delayed', attempts: 2 }]);
    // The dead process's late finish changes nothing.
    if (dead) expect(await h.digests.finish(dead, { state: 'failed', finishedAt: h.time.now() })).toBe(false);
    expect(await h.digests.log(def.id)).toMatchObject([{ state: 'posted-delayed' }]);
  });

  it('a crash after the main message: the taker posts only the missing thread reply', async () => {
    const def = await h.add();
    const dead = await h.digests.claim({
      digestId: def.id,
      localDate: '2026-11-27',
      scheduledAt: utc('2026-11-27T01:00:00Z'),
    });
    if (!dead) throw new Error('no claim');
    await h.digests.recordPosted(dead, '1699999999.000001');
    h.time.advance(LEASE_MS + MINUTE);
    await h.tick();
    expect(h.poster.posts).toHaveLength(1);
    expect(h.poster.posts[0]).toMatchObject({
      threadTs: '1699999999.000001',
      text: 'Log Support 2026-11-26 (delayed 11 min)',
    });
    expect(
      (await h.digests.runs([runKey(def.id, '2026-11-27')])).get(runKey(def.id, '2026-11-27')),
    ).toMatchObject({
      state: 'posted-delayed',
      ts: '1699999999.000001',
    });
  });
});

describe('bot processes whose clocks disagree: leases run on the database’s clock', () => {
  // The test clock (`h.time`) is the database's; each process's own clock is it plus a skew of more than a
  // whole lease. Which digests are due follows each process's clock; who holds a run follows the database's.
  const SKEW = 15 * MINUTE;
  const at = (hhmm: string) => utc(`2026-11-27T${hhmm}:00Z`);

  /** Another bot process on the store: its own store client, pacer, and clock `skewMs` off the database's. */
  function otherProcess(h: Harness, skewMs: number): DigestJobDeps {
    const now = () => new Date(h.time.now().getTime() + skewMs);
    return {
      ...h.deps,
      digests: createDigestStore(h.engine),
      now,
      pacer: createChannelPacer({ sleep: h.deps.sleep, clock: () => now().getTime() }),
    };
  }

  /**
   * The first digest composed, by whichever process, stalls until `release()`: that process is frozen (a long
   * pause, a suspended VM) with the claim in hand, and ticks no more until then. `tick` answers once a round
   * has ended or has stalled; `settle` waits for every round.
   */
  function stallFirstCompose(compose: ComposeDigest) {
    let stalled = false;
    let frozen: DigestJobDeps | undefined;
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const rounds: Promise<unknown>[] = [];
    return {
      release() {
        frozen = undefined;
        release();
      },
      async tick(deps: DigestJobDeps): Promise<void> {
        if (deps === frozen) return;
        let stalls = () => {};
        const stalledHere = new Promise<void>((resolve) => {
          stalls = resolve;
        });
        const round = runDueDigests(
          {
            ...deps,
            compose: async (...args) => {
              if (!stalled) {
                stalled = true;
                frozen = deps;
                stalls();
                await gate;
              }
              return compose(...args);
            },
          },
          deps.now(),
        );
        rounds.push(round);
        await Promise.race([round, stalledHere]);
      },
      settle: () => Promise.all(rounds),
    };
  }

  it.each([
    // [what happens, the second process's skew, when it starts, when the stalled one resumes, the one post]
    ['one 15 min ahead starts while a claim is held for 3 min', SKEW, '01:01', '01:03', '01:03'],
    [
      'one 15 min ahead, the holder stalled past its lease: taken over at 01:11',
      SKEW,
      '01:01',
      '01:30',
      '01:11',
    ],
    ['one 15 min behind while a claim is held for 3 min', -SKEW, '00:40', '01:03', '01:03'],
    [
      'one 15 min behind, the holder stalled past its lease: taken over when due (its 09:00)',
      -SKEW,
      '00:40',
      '01:30',
      '01:15',
    ],
    [
      'one 15 min ahead claims first and stalls 8 min (renewed, then posted)',
      SKEW,
      '00:40',
      '00:53',
      '00:53',
    ],
    ['one 15 min ahead claims first and stalls 20 min: taken over at 01:00', SKEW, '00:40', '01:05', '01:00'],
  ])('%s: posted once', async (_what, skewMs, startsAt, resumesAt, postedAt) => {
    const h = await harness('2026-11-27T00:40:00Z');
    try {
      const times = recordTimes(h);
      await h.add({ createdAt: utc('2026-11-26T12:00:00Z') }); // 09:00 Kuala Lumpur = 01:00 UTC
      const stall = stallFirstCompose(h.deps.compose);
      const other = otherProcess(h, skewMs);
      for (let t = at('00:40'); t <= at('01:40'); t = new Date(t.getTime() + MINUTE)) {
        h.time.set(t.toISOString());
        if (t.getTime() === at(resumesAt).getTime()) {
          stall.release();
          await stall.settle();
        }
        await stall.tick(h.deps);
        if (t >= at(startsAt)) await stall.tick(other);
      }
      await stall.settle();
      expect(times).toEqual([`C0SUPPORT ${at(postedAt).toISOString()}`]);
      expect(h.poster.posts.filter((p) => p.threadTs)).toHaveLength(1);
    } finally {
      await h.engine.close();
    }
  });

  it.each([
    // [the survivor's clock, its skew, when it posts (the database's time), how late it thinks that is]
    ['15 min ahead of the database', SKEW, '01:11', 'posted-delayed'],
    ['15 min behind the database', -SKEW, '01:15', 'posted'],
    ['on the database’s time', 0, '01:11', 'posted-delayed'],
  ])(
    'a claim whose owner died is taken over once its lease expires by the database’s clock, by a process %s',
    async (_what, skewMs, postedAt, state) => {
      const h = await harness('2026-11-27T01:00:00Z');
      try {
        const times = recordTimes(h);
        const def = await h.add({ createdAt: utc('2026-11-26T12:00:00Z') });
        // A process claimed the day at 01:00 by the database's clock, and died.
        expect(
          await createDigestStore(h.engine).claim({
            digestId: def.id,
            localDate: '2026-11-27',
            scheduledAt: at('01:00'),
          }),
        ).not.toBeNull();
        const survivor = otherProcess(h, skewMs);
        for (let t = at('01:00'); t <= at('01:40'); t = new Date(t.getTime() + MINUTE)) {
          h.time.set(t.toISOString());
          await runDueDigests(survivor, survivor.now());
        }
        // The lease ends at 01:10; the survivor's first tick past it at which the digest is due (its 09:00 in
        // Kuala Lumpur) takes it over: 01:11, or 01:15 for the process whose clock says 09:00 only then.
        expect(times).toEqual([`C0SUPPORT ${at(postedAt).toISOString()}`]);
        expect(await h.digests.log(def.id)).toMatchObject([{ state, attempts: 2 }]);
      } finally {
        await h.engine.close();
      }
    },
  );
});
