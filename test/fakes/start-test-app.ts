import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConsoleLogger, LogLevel } from '@slack/logger';
import { registerCommands } from '../../commands/index.ts';
import type { WebhookSettings } from '../../src/config.ts';
import { createSlackApp } from '../../src/slack/create-app.ts';
import { createUserZoneLookup } from '../../src/slack/user-zone.ts';
import { type AssignmentStore, createAssignmentStore } from '../../src/store/assignment-store.ts';
import { createWorkerEngine } from '../../src/store/worker-engine.ts';
import { FakeSlackApi } from './fake-slack-api.ts';
import { ResponseUrlSink } from './response-url-sink.ts';
import { SIGNING_SECRET } from './signed-request.ts';

export const INGEST_TOKEN = 'test-ingest-token-0123456789';

export interface TestApp {
  url: string;
  store: AssignmentStore;
  slack: FakeSlackApi;
  sink: ResponseUrlSink;
  logger: ConsoleLogger;
  stop(): Promise<void>;
}

/**
 * The real Bolt app on its HTTP receiver, composed as src/main.ts composes it, on a free loopback port, with
 * Slack's Web API faked locally and a sink for response_url posts.
 */
export async function startTestApp(
  options: {
    now?: () => Date;
    store?: AssignmentStore;
    allowedUsers?: string[];
    defaultZone?: string;
    /** Platform webhook secrets; by default none, so /webhooks/respondio and /webhooks/intercom answer 503. */
    webhooks?: WebhookSettings;
  } = {},
): Promise<TestApp> {
  const slack = await new FakeSlackApi().start();
  const sink = await new ResponseUrlSink().start();
  // As in Slack mode with MONGODB_URI=memory://: the in-process engine on its worker thread.
  const store = options.store ?? createAssignmentStore(createWorkerEngine());
  await store.init();
  const logger = new ConsoleLogger();
  logger.setLevel(LogLevel.ERROR);
  const now = options.now ?? (() => new Date());
  const app = createSlackApp({
    slack: { botToken: 'xoxb-test', signingSecret: SIGNING_SECRET, apiUrl: slack.url },
    port: 0,
    ingestToken: INGEST_TOKEN,
    ...(options.webhooks ? { webhooks: options.webhooks } : {}),
    now,
    store,
    logger,
    botIdentity: { botId: 'BBOT', botUserId: 'UBOT' },
    retries: 0,
  });
  registerCommands(app, {
    store,
    quickchartUrl: 'https://quickchart.example',
    userZone: createUserZoneLookup({ defaultZone: options.defaultZone ?? 'UTC', now, logger }),
    now,
    allowedUsers: options.allowedUsers ?? [],
    logger,
  });
  await app.init();
  const server = (await app.start(0)) as Server;
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    slack,
    sink,
    logger,
    async stop() {
      await app.stop();
      await Promise.all([slack.stop(), sink.stop(), store.close()]);
    },
  };
}
