import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@slack/bolt';
import { ConsoleLogger, LogLevel } from '@slack/logger';
import { registerCommands } from '../../commands/index.ts';
import type { ExportCommandDeps } from '../../commands/start-export.ts';
import type { DigestJobDeps } from '../../jobs/run-digests.ts';
import { createChartPublisher } from '../../src/charts/create-chart-publisher.ts';
import type { WebhookSettings } from '../../src/config.ts';
import type { ComposeDigest } from '../../src/domain/digest.ts';
import type { WorkTracker } from '../../src/lifecycle/work-tracker.ts';
import { createComposeDigest } from '../../src/reports/compose-digest.ts';
import { createChannelPacer, sleep } from '../../src/slack/channel-pacer.ts';
import { createSlackApp } from '../../src/slack/create-app.ts';
import { createDigestClient, createDigestPoster } from '../../src/slack/digest-poster.ts';
import type { SlackCallLimits } from '../../src/slack/slack-call-limits.ts';
import { createUserZoneLookup } from '../../src/slack/user-zone.ts';
import { type AssignmentStore, createAssignmentStore } from '../../src/store/assignment-store.ts';
import type { Engine } from '../../src/store/collection.ts';
import { createDigestData } from '../../src/store/digest-data.ts';
import { createDigestStore, type DigestStore } from '../../src/store/digest-store.ts';
import { openTestEngine } from '../store/engines.ts';
import { FakeSlackApi } from './fake-slack-api.ts';
import { ResponseUrlSink } from './response-url-sink.ts';
import { SIGNING_SECRET } from './signed-request.ts';

export const INGEST_TOKEN = 'test-ingest-token-0123456789';

export interface TestApp {
  url: string;
  store: AssignmentStore;
  /** The digests' engine, which is the store's own unless a store was passed in; for direct reads. */
  engine: Engine;
  /** Digest definitions and runs, on the same engine as the events. */
  digests: DigestStore;
  /** What src/main.ts gives the digest ticker (the real composer, a poster over the fake Slack); for runDueDigests. */
  digestJobs: DigestJobDeps;
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
    /** DIGEST_ADMINS; by default none, so workspace admins and owners (the fake's `admins`/`owners`) manage digests. */
    digestAdmins?: string[];
    /** Replaces the real digest composer. */
    compose?: ComposeDigest;
    defaultZone?: string;
    /** Platform webhook secrets; by default none, so /webhooks/respondio and /webhooks/intercom answer 503. */
    webhooks?: WebhookSettings;
    /** The export's seams: progress timing (tests shorten it), temp dir, upload POST. */
    exportOptions?: ExportCommandDeps['exportOptions'];
    /** The process's running work, as src/main.ts gives it, for shutdown tests. */
    work?: WorkTracker;
    /** How long Slack calls may take; tests of Slack that never answers shorten them. */
    slackCallLimits?: SlackCallLimits;
    /** What the app and its handlers log to (e.g. captureLogger()); by default the console at ERROR. */
    logger?: Logger;
    /** CHARTS: QuickChart URLs, or PNGs drawn here and uploaded to the fake Slack; by default the CHARTS env var. */
    charts?: 'quickchart' | 'local';
  } = {},
): Promise<TestApp> {
  const slack = await new FakeSlackApi().start();
  const sink = await new ResponseUrlSink().start();
  // MongoDB when MONGODB_URI names one; otherwise as in Slack mode with MONGODB_URI=memory://, the in-process
  // engine on its worker thread. A store passed in brings its own engine, which digests cannot reach: they get
  // one of their own then.
  // One machine: the database's clock (digest leases) is the app's.
  const now = options.now ?? (() => new Date());
  const engine: Engine = await openTestEngine('app', {
    onWorker: !options.store,
    clock: () => now().getTime(),
  });
  const store = options.store ?? createAssignmentStore(engine);
  await store.init();
  const digests = createDigestStore(engine);
  await digests.init();
  const logger = new ConsoleLogger();
  logger.setLevel(LogLevel.ERROR);
  const app = createSlackApp({
    slack: { botToken: 'xoxb-test', signingSecret: SIGNING_SECRET, apiUrl: slack.url },
    port: 0,
    ingestToken: INGEST_TOKEN,
    ...(options.webhooks ? { webhooks: options.webhooks } : {}),
    now,
    store,
    logger: options.logger ?? logger,
    botIdentity: { botId: 'BBOT', botUserId: 'UBOT' },
    ...(options.slackCallLimits ? { slackCallLimits: options.slackCallLimits } : {}),
    ...(options.work ? { work: options.work } : {}),
  });
  const client = createDigestClient({
    token: 'xoxb-test',
    apiUrl: slack.url,
    logger,
    ...(options.slackCallLimits ? { limits: options.slackCallLimits } : {}),
  });
  const digestPosting = { poster: createDigestPoster(client), pacer: createChannelPacer(), sleep };
  const charts = createChartPublisher({
    charts: options.charts ?? (process.env.CHARTS === 'local' ? 'local' : 'quickchart'),
    quickchartUrl: 'https://quickchart.example',
    logger: options.logger ?? logger,
    slackClient: client,
  });
  const compose = options.compose ?? createComposeDigest({ data: createDigestData(engine), charts });
  registerCommands(app, {
    digest: { store: digests, compose, admins: options.digestAdmins ?? [], ...digestPosting },
    store,
    charts,
    userZone: createUserZoneLookup({ defaultZone: options.defaultZone ?? 'UTC', now, logger }),
    now,
    allowedUsers: options.allowedUsers ?? [],
    logger: options.logger ?? logger,
    ...(options.exportOptions ? { exportOptions: options.exportOptions } : {}),
    ...(options.work ? { work: options.work } : {}),
  });
  await app.init();
  const server = (await app.start(0)) as Server;
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    engine,
    digests,
    digestJobs: { digests, compose, ...digestPosting, now, logger },
    slack,
    sink,
    logger,
    async stop() {
      await app.stop();
      await Promise.all([
        slack.stop(),
        sink.stop(),
        store.close(),
        ...(options.store ? [engine.close()] : []),
      ]);
    },
  };
}
