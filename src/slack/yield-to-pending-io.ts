import { setImmediate } from 'node:timers/promises';

/**
 * Resolves after the event loop has handled the I/O already waiting. A handler calls it after `ack()` so that
 * other slash commands that arrived together are read and acknowledged before this one's report takes the CPU
 * (the in-process engine computes on this thread).
 */
export function yieldToPendingIo(): Promise<void> {
  return setImmediate();
}
