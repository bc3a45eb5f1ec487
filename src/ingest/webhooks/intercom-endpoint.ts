import type { IncomingMessage, ServerResponse } from 'node:http';
import { mapIntercomWebhook, verifyIntercomSignature } from '../connectors/intercom.ts';
import { headerValue, receiveWebhook, type WebhookDeps } from './receive-webhook.ts';

export interface IntercomEndpointDeps extends WebhookDeps {
  /** INTERCOM_CLIENT_SECRET. */
  clientSecret: string | undefined;
}

/** `POST /webhooks/intercom`: conversation.admin.assigned and conversation.admin.open.assigned. */
export function intercomEndpoint(deps: IntercomEndpointDeps) {
  return (req: IncomingMessage, res: ServerResponse): Promise<void> =>
    receiveWebhook(req, res, deps, {
      route: 'POST /webhooks/intercom',
      verify: (raw) =>
        verifyIntercomSignature(raw, headerValue(req.headers, 'x-hub-signature'), deps.clientSecret),
      map: (body) => mapIntercomWebhook(body, deps.now()),
    });
}
