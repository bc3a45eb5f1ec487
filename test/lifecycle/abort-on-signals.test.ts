import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { abortOnSignals } from '../../src/lifecycle/abort-on-signals.ts';

describe('abortOnSignals', () => {
  it('aborts on the first SIGTERM or SIGINT, says so, and leaves the second signal uncaught', () => {
    const target = new EventEmitter();
    const written: string[] = [];
    const signal = abortOnSignals(
      target,
      { write: (t: string) => written.push(t) },
      'stopping after the batch',
    );
    expect(signal.aborted).toBe(false);
    target.emit('SIGINT');
    expect(signal.aborted).toBe(true);
    expect(written).toEqual(['\nSIGINT: stopping after the batch\n']);
    expect([target.listenerCount('SIGINT'), target.listenerCount('SIGTERM')]).toEqual([0, 0]);
  });
});
