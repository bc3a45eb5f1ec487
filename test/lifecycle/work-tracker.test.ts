import { describe, expect, it } from 'vitest';
import { createWorkTracker, isRestart, RestartError } from '../../src/lifecycle/work-tracker.ts';

/** Work that ends when told, or when its signal aborts (after `windUp`, if given). */
function controllable(options: { ignoresAbort?: boolean } = {}) {
  let finish: () => void = () => {};
  let aborted: unknown;
  const work = (signal: AbortSignal) =>
    new Promise<string>((resolve, reject) => {
      finish = () => resolve('done');
      if (!options.ignoresAbort)
        signal.addEventListener('abort', () => {
          aborted = signal.reason;
          reject(signal.reason);
        });
    });
  return { work, finish: () => finish(), aborted: () => aborted };
}

describe('the work tracker', () => {
  it('runs work and answers its result', async () => {
    const tracker = createWorkTracker();
    expect(await tracker.run('a', async () => 42)).toBe(42);
    expect(tracker.stopping).toBe(false);
  });

  it('lets running work finish within the grace period, and refuses new work from the start of the drain', async () => {
    const tracker = createWorkTracker();
    const export1 = controllable();
    const running = tracker.run('export', export1.work);
    const draining = tracker.drain({ graceMs: 60_000, cancelMs: 60_000 });
    expect(tracker.stopping).toBe(true);
    await expect(tracker.run('late', async () => 1)).rejects.toSatisfy(
      (e: unknown) => isRestart(e) && e.when === 'refused',
    );
    export1.finish();
    expect(await running).toBe('done');
    expect(await draining).toEqual({ finished: 1, cancelled: [], abandoned: [] });
  });

  it('cancels what is still running after the grace period, with "stopped by a restart"', async () => {
    const tracker = createWorkTracker();
    const slow = controllable();
    const running = tracker.run('export "400d" for U1', slow.work).catch((e: unknown) => e);
    expect(await tracker.drain({ graceMs: 20, cancelMs: 60_000 })).toEqual({
      finished: 0,
      cancelled: ['export "400d" for U1'],
      abandoned: [],
    });
    const reason = await running;
    expect(reason).toBeInstanceOf(RestartError);
    expect(String(reason)).toContain('stopped by a restart: run it again');
  });

  it('does not wait forever for work that ignores its cancellation', async () => {
    const tracker = createWorkTracker();
    const stubborn = controllable({ ignoresAbort: true });
    void tracker.run('stubborn', stubborn.work);
    expect(await tracker.drain({ graceMs: 10, cancelMs: 10 })).toEqual({
      finished: 0,
      cancelled: ['stubborn'],
      abandoned: ['stubborn'],
    });
    stubborn.finish();
  });
});
