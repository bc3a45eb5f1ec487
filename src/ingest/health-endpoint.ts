import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@slack/bolt';
import type { AssignmentStore } from '../store/assignment-store.ts';
import { sendJson } from './send-json.ts';

/**
 * `GET /healthz`: 200 once the store answers, 503 `store unreachable` while it does not. The endpoint needs no
 * token, so its body says nothing about the store (hosts, ports and options are for the log): the reason is
 * logged when the store stops answering, and again when it answers once more, not on every probe.
 */
export function healthEndpoint(store: Pick<AssignmentStore, 'ping'>, logger: Pick<Logger, 'warn' | 'info'>) {
  let down = false;
  return async (_req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      await store.ping();
      if (down) logger.info('GET /healthz: the store answers again');
      down = false;
      sendJson(res, 200, { ok: true });
    } catch (error) {
      if (!down) logger.warn('GET /healthz: the store does not answer (503 until it does)', error);
      down = true;
      sendJson(res, 503, { ok: false, error: 'store unreachable' });
    }
  };
}
