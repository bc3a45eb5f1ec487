import type { IncomingMessage, ServerResponse } from 'node:http';
import { mapRespondioWebhook, verifyRespondioSignature } from '../connectors/respondio.ts';
import { headerValue, receiveWebhook, type WebhookDeps } from './receive-webhook.ts';

export interface RespondioEndpointDeps extends WebhookDeps {
  /** RESPONDIO_WEBHOOK_SECRETS: any of them may sign. */
  secrets: readonly string[];
}

/** `POST /webhooks/respondio`: contact.assignee.updated and conversation.closed. */
export function respondioEndpoint(deps: RespondioEndpointDeps) {
  return (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const receivedAt = deps.now();
    return receiveWebhook(req, res, deps, {
      route: 'POST /webhooks/respondio',
      verify: (raw) =>
        verifyRespondioSignature(raw, headerValue(req.headers, 'x-webhook-signature'), deps.secrets),
      map: (body) => mapRespondioWebhook(body, receivedAt),
    });
  };
}
