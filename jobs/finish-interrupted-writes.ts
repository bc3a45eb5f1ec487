import type { Logger } from '@slack/bolt';
import type { AssignmentStore } from '../src/store/assignment-store.ts';

// A decision about a contact is written as an intent, carried out, then cleared (src/store/contact-state.ts).
// The next request touching that contact finishes one left behind by a crash or a failed batch; this job finishes
// those nobody touches, so no stored event waits for its contact's next assignment to be seen.

/** How old an intent must be before the job takes it over: a batch in progress is left alone. */
export const INTERRUPTED_AFTER_MS = 60_000;

export interface InterruptedWritesDeps {
  store: Pick<AssignmentStore, 'finishInterrupted'>;
  logger: Logger;
}

/** Finishes every intent older than a minute at `now`; answers how many. */
export async function finishInterruptedWrites(deps: InterruptedWritesDeps, now: Date): Promise<number> {
  const finished = await deps.store.finishInterrupted(new Date(now.getTime() - INTERRUPTED_AFTER_MS));
  if (finished > 0)
    deps.logger.warn(
      `finished ${finished} interrupted ingest decision${finished === 1 ? '' : 's'} (a crash or a failed batch left ${finished === 1 ? 'it' : 'them'} half written)`,
    );
  return finished;
}
