import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NO_FILTERS } from '../../src/domain/filters.ts';
import type { Engine } from '../../src/store/collection.ts';
import {
  createDigestStore,
  DIGEST_RUNS,
  DIGESTS,
  type DigestStore,
  LEASE_MS,
  type NewDigest,
  runKey,
} from '../../src/store/digest-store.ts';
import { mongoTestEngine, testEngines, withMongo } from './engines.ts';

const NOW = new Date('2026-11-27T01:00:00Z');
const later = (ms: number) => new Date(NOW.getTime() + ms);

/** The database's clock: leases are stamped and compared on it alone. Tests move it with `dbAt`. */
let dbTime = NOW.getTime();
const dbAt = (ms: number) => {
  dbTime = NOW.getTime() + ms;
};
const ENGINES = testEngines('digests', { clock: () => dbTime });

const newDigest = (overrides: Partial<NewDigest> = {}): NewDigest => ({
  channelId: 'C0123',
  channelName: 'support',
  team: 'Support',
  at: '09:00',
  zone: 'Asia/Kuala_Lumpur',
  weekdaysOnly: false,
  skipEmpty: false,
  filters: { ...NO_FILTERS, sources: ['workflow'] },
  createdBy: 'U1',
  createdAt: NOW,
  ...overrides,
});

const candidate = (digestId: string, localDate = '2026-11-27') => ({ digestId, localDate, scheduledAt: NOW });

describe.each(ENGINES)('digest store: %s', (_name, openEngine) => {
  let engine: Engine;
  let store: DigestStore;

  beforeEach(async () => {
    dbTime = NOW.getTime();
    engine = await openEngine();
    store = createDigestStore(engine);
    await store.init();
  });
  afterEach(() => engine.close());

  it('adds, lists, pauses, resumes and removes digests, with short unique ids', async () => {
    const a = await store.add(newDigest());
    const b = await store.add(newDigest({ team: 'Sales', createdAt: later(1000) }));
    expect(a.id).toMatch(/^[a-z2-9]{4}$/);
    expect(b.id).not.toBe(a.id);
    expect(await store.get(a.id)).toEqual({ ...newDigest(), id: a.id, paused: false, resumedAt: null });
    expect((await store.list()).map((d) => d.id)).toEqual([a.id, b.id]);

    expect((await store.setPaused(a.id, true, later(5000)))?.paused).toBe(true);
    expect((await store.active()).map((d) => d.id)).toEqual([b.id]);
    const resumed = await store.setPaused(a.id, false, later(9000));
    expect(resumed).toMatchObject({ paused: false, resumedAt: later(9000) });
    // Resuming one that runs already does not move its resume time (it would skip today's run).
    expect((await store.setPaused(a.id, false, later(20_000)))?.resumedAt).toEqual(later(9000));
    expect(await store.setPaused('nope', true, NOW)).toBeNull();

    await store.claim(candidate(a.id));
    expect(await store.remove(a.id)).toBe(true);
    expect(await store.remove(a.id)).toBe(false);
    expect(await store.get(a.id)).toBeNull();
    expect(await store.log(a.id)).toEqual([]);
  });

  it('shows a digest stored with an older zone name by its canonical name', async () => {
    const added = await store.add(newDigest());
    await engine.collection(DIGESTS).updateOne({ _id: added.id }, { $set: { zone: 'Asia/Calcutta' } });
    expect((await store.get(added.id))?.zone).toBe('Asia/Kolkata');
  });

  it('picks another id when one is taken', async () => {
    const ids = ['abcd', 'abcd', 'abcd', 'wxyz'];
    const picky = createDigestStore(engine, { newId: () => ids.shift() ?? 'none' });
    expect((await picky.add(newDigest())).id).toBe('abcd');
    expect((await picky.add(newDigest())).id).toBe('wxyz');
  });

  it('a day is claimed once, even by concurrent claimers', async () => {
    const { id } = await store.add(newDigest());
    expect(await store.now()).toEqual(NOW);
    const claims = await Promise.all(Array.from({ length: 8 }, () => store.claim(candidate(id))));
    expect(claims.filter(Boolean)).toHaveLength(1);
    const [winner] = claims.filter((c) => c !== null);
    expect(winner?.run).toMatchObject({
      id: runKey(id, '2026-11-27'),
      state: 'claimed',
      attempts: 1,
      claimedAt: NOW,
      leaseUntil: later(LEASE_MS),
    });
    expect(await store.claim(candidate(id, '2026-11-28'))).not.toBeNull();
  });

  it('an expired claim is taken over by exactly one of several, and only the owner may finish', async () => {
    const { id } = await store.add(newDigest());
    const first = await store.claim(candidate(id));
    if (!first) throw new Error('no claim');
    dbAt(LEASE_MS);
    expect(await store.takeOver(first.run)).toBeNull();
    const stale = (await store.runs([first.run.id])).get(first.run.id);
    if (!stale) throw new Error('no run');
    dbAt(LEASE_MS + 1);
    const takers = await Promise.all(Array.from({ length: 5 }, () => store.takeOver(stale)));
    const winners = takers.filter((t) => t !== null);
    expect(winners).toHaveLength(1);
    expect(winners[0]?.run).toMatchObject({
      attempts: 2,
      claimedAt: later(LEASE_MS + 1),
      leaseUntil: later(2 * LEASE_MS + 1),
    });
    // The dead owner comes back: it no longer holds the run, and cannot renew it.
    expect(await store.renew(first)).toBe(false);
    expect(await store.finish(first, { state: 'posted', finishedAt: later(LEASE_MS + 2) })).toBe(false);
    const winner = winners[0];
    if (!winner) throw new Error('no winner');
    // Renewing gives a whole lease from the database's now.
    dbAt(LEASE_MS + 5000);
    expect(await store.renew(winner)).toBe(true);
    expect(winner.run.leaseUntil).toEqual(later(2 * LEASE_MS + 5000));
    expect((await store.runs([first.run.id])).get(first.run.id)?.leaseUntil).toEqual(
      later(2 * LEASE_MS + 5000),
    );
    expect(await store.recordPosted(winner, '1.2')).toBe(true);
    expect(
      await store.finish(winner, { state: 'posted', finishedAt: later(LEASE_MS + 2), threadTs: '1.3' }),
    ).toBe(true);
    expect((await store.runs([first.run.id])).get(first.run.id)).toMatchObject({
      state: 'posted',
      ts: '1.2',
      threadTs: '1.3',
      leaseUntil: null,
    });
  });

  it('a failure with a retry time is taken over once the time has come; a final one never', async () => {
    const { id } = await store.add(newDigest());
    const claim = await store.claim(candidate(id));
    if (!claim) throw new Error('no claim');
    dbAt(1000);
    // The caller's own clock (`finishedAt`) may be anywhere: the retry time is the database's.
    await store.finish(claim, {
      state: 'failed',
      finishedAt: later(-3_600_000),
      reason: 'http_500',
      retryAfterMs: 60_000,
    });
    const failed = (await store.runs([claim.run.id])).get(claim.run.id);
    if (!failed) throw new Error('no run');
    expect(failed.retryAt).toEqual(later(61_000));
    dbAt(60_999);
    expect(await store.takeOver(failed)).toBeNull();
    dbAt(61_000);
    const retry = await store.takeOver(failed);
    expect(retry?.run.attempts).toBe(2);
    if (!retry) throw new Error('no retry');
    await store.finish(retry, { state: 'failed', finishedAt: NOW, reason: 'not_in_channel' });
    const final = (await store.runs([claim.run.id])).get(claim.run.id);
    if (!final) throw new Error('no run');
    expect(final.retryAt).toBeNull();
    dbAt(LEASE_MS * 100);
    expect(await store.takeOver(final)).toBeNull();
  });

  it('records missed days and test runs; the log is the latest 14, newest first', async () => {
    const { id } = await store.add(newDigest());
    const first = { digestId: id, localDate: '2026-11-01', scheduledAt: new Date('2026-11-01T01:00:00Z') };
    expect(await store.recordMissed(first, NOW, 13 * 3_600_000)).toBe(true);
    expect(await store.recordMissed(first, NOW, 13 * 3_600_000)).toBe(false);
    expect((await store.runs([runKey(id, '2026-11-01')])).get(runKey(id, '2026-11-01'))).toMatchObject({
      state: 'missed',
      delayedByMs: 13 * 3_600_000,
    });
    for (let day = 2; day <= 20; day++) {
      const localDate = `2026-11-${String(day).padStart(2, '0')}`;
      const claim = await store.claim({
        digestId: id,
        localDate,
        scheduledAt: new Date(`${localDate}T01:00:00Z`),
      });
      if (claim) await store.finish(claim, { state: 'posted', finishedAt: NOW });
    }
    await store.recordTest(
      { digestId: id, localDate: '2026-11-21', scheduledAt: new Date('2026-11-21T05:00:00Z') },
      { state: 'posted', at: new Date('2026-11-21T05:00:00Z'), reason: null, ts: '9.9' },
    );
    const log = await store.log(id);
    expect(log).toHaveLength(14);
    expect(log[0]).toMatchObject({ test: true, state: 'posted', localDate: '2026-11-21' });
    expect(log.slice(1).map((r) => r.localDate)).toEqual(
      Array.from({ length: 13 }, (_, i) => `2026-11-${String(20 - i).padStart(2, '0')}`),
    );
    // A test run is not the day's delivery: the day's key is still free.
    expect(await store.claim(candidate(id, '2026-11-21'))).not.toBeNull();
  });

  it('refuses a stored document that is not a digest', async () => {
    await engine.collection(DIGESTS).updateOne({ _id: 'bad1' }, { $set: { team: 42 } }, { upsert: true });
    await expect(store.get('bad1')).rejects.toThrow();
    await engine
      .collection(DIGEST_RUNS)
      .updateOne({ _id: 'x:2026-11-27' }, { $set: { state: 'odd' } }, { upsert: true });
    await expect(store.runs(['x:2026-11-27'])).rejects.toThrow();
  });
});

// Above, the test's clock stands in for the server's (it cannot be moved); here the server's own is read.
it.runIf(withMongo)('on MongoDB, the database’s clock is the server’s', async () => {
  const engine = await mongoTestEngine('clock');
  try {
    // The server in CI runs on this machine's clock; an hour apart would mean it was not read at all.
    expect(Math.abs((await engine.now()).getTime() - Date.now())).toBeLessThan(3_600_000);
  } finally {
    await engine.close();
  }
});
