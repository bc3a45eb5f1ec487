import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@slack/bolt';
import type { AssignmentStore } from '../../store/assignment-store.ts';
import type { Mapping, Verdict } from '../connectors/mapping.ts';
import { readBodyOr413 } from '../read-body.ts';
import { sendJson } from '../send-json.ts';

/** One notification per request; the platforms' own payloads stay far below this. */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

export interface WebhookDeps {
  store: Pick<AssignmentStore, 'ingest' | 'ping'>;
  logger: Logger;
  now: () => Date;
  maxBodyBytes?: number;
}

export interface WebhookSteps {
  /** For log lines, e.g. `POST /webhooks/respondio`. */
  route: string;
  /** Runs on the raw bytes, before anything is parsed. */
  verify(raw: Buffer): Verdict;
  map(body: unknown): Mapping;
}

/** A header's value; a repeated header counts by its first value. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The steps every webhook shares: read at most 1 MB (413), verify the raw bytes (401/503), parse JSON (400), map
 * (400 for a payload we cannot read, 200 `{ignored}` for one that is no assignment), then store. A store failure
 * answers 503 so the platform retries; resending is safe, events are idempotent.
 */
export async function receiveWebhook(
  req: IncomingMessage,
  res: ServerResponse,
  deps: WebhookDeps,
  steps: WebhookSteps,
): Promise<void> {
  const limit = deps.maxBodyBytes ?? MAX_WEBHOOK_BODY_BYTES;
  const raw = await readBodyOr413(req, res, limit, 'one notification per request');
  if (!raw) return;
  const verdict = steps.verify(raw);
  if (!verdict.ok) {
    deps.logger.warn(`${steps.route}: answered ${verdict.status}: ${verdict.error}`);
    sendJson(res, verdict.status, { error: verdict.error });
    return;
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    sendJson(res, 400, {
      error: `body is not JSON: ${error instanceof Error ? error.message : 'parse error'}; nothing was stored`,
    });
    return;
  }
  const mapping = steps.map(body);
  if (mapping.kind === 'ignored') {
    deps.logger.debug(`${steps.route}: ignored: ${mapping.reason}`);
    sendJson(res, 200, { ignored: true, reason: mapping.reason });
    return;
  }
  if (mapping.kind === 'invalid') {
    deps.logger.warn(`${steps.route}: a payload we cannot read: ${mapping.problems.join('; ')}`);
    sendJson(res, 400, {
      error: 'the payload is not in the shape this endpoint reads: nothing was stored',
      problems: mapping.problems,
    });
    return;
  }
  try {
    // Ask first, so that an unreachable store stores nothing rather than part of the notification.
    await deps.store.ping();
    const { accepted, duplicates, unchanged } = await deps.store.ingest(mapping.events, {
      origin: 'webhook',
    });
    sendJson(res, 200, { accepted, duplicates, unchanged });
  } catch (error) {
    deps.logger.error(`${steps.route}: the store failed; answered 503 so the platform retries`, error);
    sendJson(res, 503, {
      error:
        'the store failed: nothing or part of this notification is stored; redeliver it (redelivering is exact)',
    });
  }
}
