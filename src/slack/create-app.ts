import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, HTTPReceiver, type Logger, type ReceiverProcessEventErrorHandlerArgs } from '@slack/bolt';
import type { Config, WebhookSettings } from '../config.ts';
import { agentsEndpoint } from '../ingest/agents/agents-endpoint.ts';
import { csvImportEndpoint } from '../ingest/csv/csv-import-endpoint.ts';
import { eventsEndpoint } from '../ingest/events-endpoint.ts';
import { healthEndpoint } from '../ingest/health-endpoint.ts';
import { sendJson } from '../ingest/send-json.ts';
import { chatwootEndpoint } from '../ingest/webhooks/chatwoot-endpoint.ts';
import { intercomEndpoint } from '../ingest/webhooks/intercom-endpoint.ts';
import { respondioEndpoint } from '../ingest/webhooks/respondio-endpoint.ts';
import { isRestart, type WorkTracker } from '../lifecycle/work-tracker.ts';
import type { AssignmentStore } from '../store/assignment-store.ts';
import { guardSlackRequests } from './guard-slack-requests.ts';
import { type SlackCallLimits, webClientOptions } from './slack-call-limits.ts';

export interface SlackAppOptions {
  slack: NonNullable<Config['slack']>;
  port: number;
  ingestToken: string | undefined;
  store: AssignmentStore;
  logger: Logger;
  /** Known bot identity: Bolt then skips `auth.test` (tests and the bench set these). */
  botIdentity?: { botId: string; botUserId: string };
  /** How long one Web API call and one response_url post may take (tests shorten them). */
  slackCallLimits?: SlackCallLimits;
  /** Platform webhook secrets; without them respond.io and Intercom answer 503 and Chatwoot is unverified. */
  webhooks?: WebhookSettings;
  now?: () => Date;
  /** Zone for CSV timestamps without an offset when the import names none (DEFAULT_TIMEZONE). */
  defaultTimezone?: string;
  /** The process's running work: HTTP requests are tracked, and refused once a shutdown began. */
  work?: WorkTracker;
}

const NO_WEBHOOKS: WebhookSettings = {
  respondioSecrets: [],
  chatwootSecrets: new Map(),
  chatwootApiUsers: new Map(),
};

/**
 * Custom routes are called without awaiting; a failure becomes a logged 500 instead of an unhandled rejection.
 * Each request is tracked work, so a shutdown lets it finish (a CSV import stops between batches when `signal`
 * aborts); once the process is stopping, new requests are answered 503 with Retry-After.
 */
function guarded<R extends IncomingMessage>(
  handler: (req: R, res: ServerResponse, signal: AbortSignal) => Promise<void>,
  logger: Logger,
  work: WorkTracker | undefined,
) {
  return (req: R, res: ServerResponse): void => {
    const label = `${req.method} ${(req.url ?? '').split('?')[0]}`;
    const run = (signal: AbortSignal) => handler(req, res, signal);
    (work ? work.run(label, run) : run(new AbortController().signal)).catch((error: unknown) => {
      if (isRestart(error)) {
        req.resume();
        if (!res.headersSent) {
          res.setHeader('retry-after', '30');
          sendJson(res, 503, { error: 'Handoff is restarting; retry in a minute (resending is safe)' });
        }
        return;
      }
      logger.error(`${req.method} ${req.url} failed`, error);
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error; it has been logged' });
    });
  };
}

/**
 * An error thrown while Bolt handled one request, before it was acknowledged: that request was the trouble (its
 * shape, or what it asked), so it is answered 400 and logged with what it was; the process keeps serving. After
 * the ack there is nothing left to answer: it is logged.
 */
function answerRequestError(logger: Logger) {
  return async ({ error, request, response }: ReceiverProcessEventErrorHandlerArgs): Promise<boolean> => {
    const what = `${request.method} ${request.url} (${request.headers['content-type'] ?? 'no content type'})`;
    if (response.headersSent) {
      logger.error(`${what} failed after it was acknowledged`, error);
      return false;
    }
    logger.error(`${what} failed before it was acknowledged; answered 400`, error);
    response.writeHead(400);
    response.end();
    return false;
  };
}

/**
 * The Bolt app: HTTP mode (`/slack/events`, signed requests) or Socket Mode when an app token is set, and in
 * both the same port serves `POST /api/events`, the platform webhooks `POST /webhooks/…` and `GET /healthz`.
 * Listeners are registered by commands/index.ts.
 */
export function createSlackApp(options: SlackAppOptions): App {
  const { slack, logger } = options;
  const webhooks = options.webhooks ?? NO_WEBHOOKS;
  const webhookDeps = { store: options.store, logger, now: options.now ?? (() => new Date()) };
  const customRoutes = [
    {
      path: '/api/events',
      method: ['POST'],
      handler: guarded(
        eventsEndpoint({ ...webhookDeps, ingestToken: options.ingestToken }),
        logger,
        options.work,
      ),
    },
    {
      path: '/webhooks/respondio',
      method: ['POST'],
      handler: guarded(
        respondioEndpoint({ ...webhookDeps, secrets: webhooks.respondioSecrets }),
        logger,
        options.work,
      ),
    },
    {
      path: '/webhooks/chatwoot/:accountId',
      method: ['POST'],
      handler: guarded(
        chatwootEndpoint({
          ...webhookDeps,
          secrets: webhooks.chatwootSecrets,
          apiUsers: webhooks.chatwootApiUsers,
          ...(webhooks.chatwootUnsignedAccounts
            ? { unsignedAccounts: webhooks.chatwootUnsignedAccounts }
            : {}),
        }),
        logger,
        options.work,
      ),
    },
    {
      path: '/webhooks/intercom',
      method: ['POST'],
      handler: guarded(
        intercomEndpoint({ ...webhookDeps, clientSecret: webhooks.intercomClientSecret }),
        logger,
        options.work,
      ),
    },
    {
      path: '/api/import/csv',
      method: ['POST'],
      handler: guarded(
        csvImportEndpoint({
          store: options.store,
          now: webhookDeps.now,
          ingestToken: options.ingestToken,
          logger,
          defaultTimezone: options.defaultTimezone ?? 'UTC',
        }),
        logger,
        options.work,
      ),
    },
    {
      path: '/api/agents',
      method: ['POST'],
      handler: guarded(
        agentsEndpoint({ store: options.store, ingestToken: options.ingestToken, logger }),
        logger,
        options.work,
      ),
    },
    {
      path: '/healthz',
      method: ['GET'],
      handler: guarded(healthEndpoint(options.store, logger), logger, options.work),
    },
  ];
  const clientOptions = webClientOptions(slack.apiUrl, options.slackCallLimits);
  const common = {
    // The caller awaits app.init(), so a rejected token is an error it can explain, not an unhandled rejection.
    deferInitialization: true,
    token: slack.botToken,
    logger,
    // Bolt sets the logger it is given to its own logLevel (INFO unless told): keep LOG_LEVEL's.
    logLevel: logger.getLevel(),
    clientOptions,
    ...(options.botIdentity ? { ...options.botIdentity, tokenVerificationEnabled: false } : {}),
  };
  if (slack.appToken) {
    return new App({
      ...common,
      appToken: slack.appToken,
      socketMode: true,
      customRoutes,
      // The Socket Mode client's apps.connections.open: each attempt bounded, but its own retries kept, since it
      // reconnects through them (an unreachable Slack at start is already reported by auth.test in init()).
      installerOptions: {
        port: options.port,
        clientOptions: {
          ...(clientOptions.slackApiUrl ? { slackApiUrl: clientOptions.slackApiUrl } : {}),
          ...(clientOptions.timeout ? { timeout: clientOptions.timeout } : {}),
        },
      },
    });
  }
  const signingSecret = slack.signingSecret ?? '';
  const receiver = new HTTPReceiver({
    signingSecret,
    port: options.port,
    customRoutes,
    logger,
    processEventErrorHandler: answerRequestError(logger),
  });
  receiver.requestListener = guardSlackRequests(receiver.requestListener, { signingSecret, logger });
  return new App({ ...common, receiver });
}
