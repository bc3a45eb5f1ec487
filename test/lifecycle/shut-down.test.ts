import { describe, expect, it } from 'vitest';
import { shutDown } from '../../src/lifecycle/shut-down.ts';
import { createWorkTracker } from '../../src/lifecycle/work-tracker.ts';
import { captureLogger } from '../fakes/fake-digest-poster.ts';

describe('shutDown', () => {
  it('stops the ticker and drains work first, then closes Slack, the store and temp files in that order', async () => {
    const work = createWorkTracker();
    const steps: string[] = [];
    let finishImport: () => void = () => {};
    const importing = work.run('POST /api/import/csv', async () => {
      await new Promise<void>((resolve) => {
        finishImport = resolve;
      });
      steps.push('import finished');
    });
    const closer = (name: string) => ({
      name,
      close: async () => {
        steps.push(`closed ${name}`);
      },
    });
    const stopping = shutDown(
      {
        work,
        stopJobs: async () => {
          steps.push('ticker stopped');
        },
        closers: [closer('Slack'), closer('the store'), closer('temporary files')],
        logger: captureLogger(),
        graceMs: 60_000,
      },
      'SIGTERM',
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(steps).toEqual(['ticker stopped']);
    finishImport();
    await importing;
    await stopping;
    expect(steps).toEqual([
      'ticker stopped',
      'import finished',
      'closed Slack',
      'closed the store',
      'closed temporary files',
    ]);
  });

  it('goes on when a part does not close, and logs a part that fails', async () => {
    const logger = captureLogger();
    let storeClosed = false;
    await shutDown(
      {
        work: createWorkTracker(),
        stopJobs: async () => {},
        closers: [
          { name: 'Slack', close: () => new Promise(() => {}) },
          {
            name: 'the store',
            close: async () => {
              storeClosed = true;
              throw new Error('already closed');
            },
          },
        ],
        logger,
        graceMs: 0,
        closeMs: 20,
      },
      'SIGINT',
    );
    expect(storeClosed).toBe(true);
    expect(logger.lines.map((l) => `${l.level} ${l.message}`)).toEqual([
      'info SIGINT: taking no new work; running work has 0 s to finish',
      'warn Slack did not close within 0.02 s; going on',
      'error closing the store failed already closed',
      'info SIGINT: stopped',
    ]);
  });
});
