import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AssignmentStore } from '../store/assignment-store.ts';
import { sendJson } from './send-json.ts';

/** `GET /healthz`: 200 once the store answers, 503 while it does not. */
export function healthEndpoint(store: Pick<AssignmentStore, 'ping'>) {
  return async (_req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      await store.ping();
      sendJson(res, 200, { ok: true });
    } catch (error) {
      sendJson(res, 503, { ok: false, error: error instanceof Error ? error.message : 'store unavailable' });
    }
  };
}
