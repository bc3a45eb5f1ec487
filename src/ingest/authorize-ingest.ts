import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkBearer } from './check-bearer.ts';
import { sendJson } from './send-json.ts';

/**
 * The gate of every endpoint that writes with INGEST_TOKEN: 503 while the server has no token (nothing can be
 * authorised), 401 on a missing or wrong one. Answers and drains the request when it refuses; true otherwise.
 */
export function authorizeIngest(
  req: IncomingMessage,
  res: ServerResponse,
  token: string | undefined,
  what: { name: string; route: string },
): boolean {
  if (!token) {
    req.resume();
    sendJson(res, 503, {
      error: `${what.name} is disabled: set INGEST_TOKEN on the server to enable ${what.route}`,
    });
    return false;
  }
  if (!checkBearer(req.headers.authorization, token)) {
    req.resume();
    sendJson(res, 401, { error: 'missing or wrong token: send Authorization: Bearer <INGEST_TOKEN>' });
    return false;
  }
  return true;
}
