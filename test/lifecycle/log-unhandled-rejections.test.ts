import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { logUnhandledRejections } from '../../src/lifecycle/log-unhandled-rejections.ts';
import { captureLogger } from '../fakes/fake-digest-poster.ts';

describe('logUnhandledRejections', () => {
  it('logs the rejection at error, with its error, and nothing else happens', () => {
    const target = new EventEmitter();
    const logger = captureLogger();
    logUnhandledRejections(target, logger);
    target.emit('unhandledRejection', new TypeError("Cannot read properties of null (reading 'ssl_check')"));
    expect(logger.lines).toEqual([
      {
        level: 'error',
        message: expect.stringMatching(
          /^A promise was rejected and nothing handled it; the process keeps serving\..* Cannot read properties of null \(reading 'ssl_check'\)$/,
        ),
      },
    ]);
  });
});
