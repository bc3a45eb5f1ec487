import type { IncomingMessage, ServerResponse } from 'node:http';
import { mapChatwootWebhook, verifyChatwootSignature } from '../connectors/chatwoot.ts';
import { sendJson } from '../send-json.ts';
import { headerValue, receiveWebhook, type WebhookDeps } from './receive-webhook.ts';

export interface ChatwootEndpointDeps extends WebhookDeps {
  /** CHATWOOT_WEBHOOK_SECRETS by account id: an account listed here must sign. */
  secrets: ReadonlyMap<string, readonly string[]>;
  /** CHATWOOT_API_USERS by account id. */
  apiUsers: ReadonlyMap<string, readonly string[]>;
  /** CHATWOOT_UNSIGNED_ACCOUNTS: accepted without a signature. */
  unsignedAccounts?: ReadonlySet<string>;
}

/** Bolt's receivers put a custom route's `:params` on the request (express's shape: wildcards are arrays). */
export type RequestWithParams = IncomingMessage & { params?: Record<string, string | string[] | undefined> };

const ACCOUNT_ID = /^\d{1,20}$/;

/** `POST /webhooks/chatwoot/:accountId`: conversation_updated with an assignee change. */
export function chatwootEndpoint(deps: ChatwootEndpointDeps) {
  return async (req: RequestWithParams, res: ServerResponse): Promise<void> => {
    const receivedAt = deps.now();
    const param = req.params?.accountId;
    const accountId = typeof param === 'string' ? param : '';
    if (!ACCOUNT_ID.test(accountId)) {
      sendJson(res, 404, {
        error: 'use /webhooks/chatwoot/<account id>, with the number Chatwoot shows in /app/accounts/<id>/',
      });
      req.resume();
      return;
    }
    await receiveWebhook(req, res, deps, {
      route: `POST /webhooks/chatwoot/${accountId}`,
      verify: (raw) =>
        verifyChatwootSignature(
          raw,
          {
            signature: headerValue(req.headers, 'x-chatwoot-signature'),
            timestamp: headerValue(req.headers, 'x-chatwoot-timestamp'),
          },
          deps.secrets.get(accountId),
          receivedAt,
          accountId,
          deps.unsignedAccounts,
        ),
      map: (body) =>
        mapChatwootWebhook(body, {
          accountId,
          apiUserIds: deps.apiUsers.get(accountId) ?? [],
          now: receivedAt,
        }),
    });
  };
}
