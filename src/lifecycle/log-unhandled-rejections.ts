import type { Logger } from '@slack/bolt';

/**
 * Node ends the process on a promise rejection nobody handles; for a server holding requests, digests and
 * (with memory://) all its data, one stray rejection must not do that. It is logged at error with its stack,
 * and the process keeps serving.
 */
export function logUnhandledRejections(
  target: { on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown },
  logger: Pick<Logger, 'error'>,
): void {
  target.on('unhandledRejection', (reason) => {
    logger.error(
      'A promise was rejected and nothing handled it; the process keeps serving. This is a bug: please report it with this log.',
      reason,
    );
  });
}
