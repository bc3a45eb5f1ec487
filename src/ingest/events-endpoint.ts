import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@slack/bolt';
import { MAX_BATCH, parseEventBatch } from '../domain/event.ts';
import type { AssignmentStore } from '../store/assignment-store.ts';
import { authorizeIngest } from './authorize-ingest.ts';
import { readBodyOr413 } from './read-body.ts';
import { sendJson } from './send-json.ts';

/** 5,000 events of about 1 KB each, with room for long names. */
export const MAX_EVENTS_BODY_BYTES = 8 * 1024 * 1024;

export interface EventsEndpointDeps {
  store: Pick<AssignmentStore, 'ingest' | 'ping'>;
  ingestToken: string | undefined;
  logger: Logger;
  /** The clock timestamps are checked against (at most a day ahead of it). */
  now: () => Date;
  maxBodyBytes?: number;
}

/**
 * `POST /api/events`: one canonical event or an array of up to 5,000. One invalid event and none is stored. A
 * store failure stops the batch at the first failed write and answers 503: some events may be stored, and
 * resending the same batch is exact (stored ones are duplicates; a decision cut short is finished first).
 */
export function eventsEndpoint(deps: EventsEndpointDeps) {
  const limit = deps.maxBodyBytes ?? MAX_EVENTS_BODY_BYTES;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!authorizeIngest(req, res, deps.ingestToken, { name: 'ingest', route: 'POST /api/events' })) return;
    const raw = await readBodyOr413(req, res, limit, `send at most ${MAX_BATCH} events per request`);
    if (!raw) return;
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch (error) {
      sendJson(res, 400, {
        error: `body is not JSON: ${error instanceof Error ? error.message : 'parse error'}`,
      });
      return;
    }
    const batch = parseEventBatch(body, deps.now());
    if (!batch.ok) {
      sendJson(res, 400, { error: 'invalid events: nothing was stored', problems: batch.problems });
      return;
    }
    try {
      // Ask first, so that an unreachable store stores nothing rather than part of the batch.
      await deps.store.ping();
      const { accepted, duplicates, unchanged } = await deps.store.ingest(batch.events, { origin: 'api' });
      sendJson(res, 200, { accepted, duplicates, unchanged });
    } catch (error) {
      deps.logger.error('POST /api/events: the store failed; answered 503', error);
      sendJson(res, 503, {
        error:
          'the store failed: some events of this batch may be stored, the rest are not; resend the same batch later (resending is exact: stored events count as duplicates)',
      });
    }
  };
}
