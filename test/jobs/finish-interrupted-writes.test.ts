import { describe, expect, it } from 'vitest';
import { finishInterruptedWrites, INTERRUPTED_AFTER_MS } from '../../jobs/finish-interrupted-writes.ts';
import { captureLogger } from '../ingest/webhook-harness.ts';

describe('finishInterruptedWrites', () => {
  it('finishes decisions older than a minute at now, and warns only when there were some', async () => {
    const asked: Date[] = [];
    let left = 3;
    const store = {
      async finishInterrupted(before: Date) {
        asked.push(before);
        const n = left;
        left = 0;
        return n;
      },
    };
    const logger = captureLogger();
    const now = new Date('2026-11-30T12:00:00Z');
    expect(await finishInterruptedWrites({ store, logger }, now)).toBe(3);
    expect(await finishInterruptedWrites({ store, logger }, now)).toBe(0);
    expect(asked.map((d) => now.getTime() - d.getTime())).toEqual([
      INTERRUPTED_AFTER_MS,
      INTERRUPTED_AFTER_MS,
    ]);
    expect(logger.lines).toEqual([
      { level: 'warn', text: expect.stringContaining('finished 3 interrupted ingest decisions') },
    ]);
  });
});
