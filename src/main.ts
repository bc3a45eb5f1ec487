import { ConsoleLogger, type LogLevel } from '@slack/logger';
import { registerCommands } from '../commands/index.ts';
import { startJobs } from '../jobs/index.ts';
import { createChartPublisher } from './charts/create-chart-publisher.ts';
import { parseConfig } from './config.ts';
import { parseConsoleArgs } from './console/console-args.ts';
import { answerText, runConsole } from './console/run-console.ts';
import { slackOnlyAnswer } from './console/slack-only.ts';
import { demoEvents } from './demo/demo-events.ts';
import { describeWebhookSetup } from './ingest/webhooks/describe-webhook-setup.ts';
import { answerReport } from './reports/answer-report.ts';
import { answerTeamsText, isTeamsCommand } from './reports/answer-teams.ts';
import { answerTimelineText, isTimelineCommand } from './reports/answer-timeline.ts';
import { createComposeDigest } from './reports/compose-digest.ts';
import { createChannelPacer, sleep } from './slack/channel-pacer.ts';
import { createSlackApp } from './slack/create-app.ts';
import { createDigestClient, createDigestPoster } from './slack/digest-poster.ts';
import { explainStartupError } from './slack/explain-startup-error.ts';
import { createUserZoneLookup } from './slack/user-zone.ts';
import { ASSIGNMENT_INDEXES, createAssignmentStore } from './store/assignment-store.ts';
import { createDigestData } from './store/digest-data.ts';
import { createDigestStore } from './store/digest-store.ts';
import { checkIndexesAtStart } from './store/ensure-indexes.ts';
import { MEMORY_URI, openEngine } from './store/open-engine.ts';
import { STORE_INDEXES } from './store/store-indexes.ts';

// Composition root: configuration, store, then Slack or the local console. No logic of its own.

const parsed = parseConfig();
if (!parsed.ok) {
  console.error(
    `Handoff cannot start. Fix these settings:\n${parsed.problems.map((p) => `  - ${p}`).join('\n')}`,
  );
  process.exit(1);
}
const config = parsed.config;
const consoleArgs = parseConsoleArgs(process.argv.slice(2));
if (!consoleArgs.ok) {
  console.error(consoleArgs.error);
  process.exit(2);
}
const logger = new ConsoleLogger();
logger.setLevel(config.logLevel as LogLevel);
const now = () => new Date();

try {
  const engine = await openEngine(config.mongodbUri, config.mongodbDb, {
    onWorker: config.mode === 'slack',
    limits: config.storeLimits,
  });
  const store = createAssignmentStore(engine, now);
  const inMemory = engine.kind === 'memory';
  // Missing indexes are created unless MONGODB_CREATE_INDEXES=false; the console never creates any on a real
  // database (it may run as a read-only user). Problems are warnings: start-up goes on.
  await checkIndexesAtStart(engine, config.mode === 'slack' ? STORE_INDEXES : ASSIGNMENT_INDEXES, {
    create: inMemory || (config.mode === 'slack' && config.createIndexes),
    notCreatingBecause:
      config.mode === 'console' ? 'the local console creates no indexes' : 'MONGODB_CREATE_INDEXES=false',
    dbName: config.mongodbDb,
    log: (note) => logger[note.level](note.message),
  });

  if (config.mode === 'console') {
    if (!config.mongodbUri) {
      const summary = await store.ingest(demoEvents(now()));
      console.error(
        `Local console on demo data (${summary.accepted} assignments, zone ${config.defaultTimezone}).`,
      );
      console.error(
        'Type a command such as `yesterday source:workflow`, or `help`. Set SLACK_BOT_TOKEN to run in Slack.',
      );
    }
    const charts = createChartPublisher({
      charts: config.charts,
      quickchartUrl: config.quickchartUrl,
      logger,
      ...(consoleArgs.args.chartsDir ? { dir: consoleArgs.args.chartsDir } : {}),
    });
    const answer = async (text: string) => {
      const input = { text, zone: config.defaultTimezone, now: now() };
      const slackOnly = slackOnlyAnswer(text);
      if (slackOnly) return slackOnly;
      if (isTeamsCommand(text)) return answerTeamsText({ store }, input);
      if (isTimelineCommand(text)) return answerTimelineText({ store }, input);
      return answerText(await answerReport({ store, charts }, input));
    };
    await runConsole(answer, {
      input: process.stdin,
      output: process.stdout,
      interactive: process.stdin.isTTY === true,
    });
    await store.close();
  } else {
    const slack = config.slack ?? { botToken: '' };
    if (inMemory || config.mongodbUri === MEMORY_URI)
      logger.warn(
        'MONGODB_URI=memory:// keeps events in this process only: everything is LOST when it exits.',
      );
    if (!config.ingestToken)
      logger.warn('INGEST_TOKEN is not set: POST /api/events answers 503 until it is.');
    for (const note of describeWebhookSetup(config.webhooks)) logger[note.level](note.message);
    const app = createSlackApp({
      slack,
      port: config.port,
      ingestToken: config.ingestToken,
      webhooks: config.webhooks,
      now,
      defaultTimezone: config.defaultTimezone,
      store,
      logger,
    });
    const digests = createDigestStore(engine);
    // Digests post through their own client: 429s come back to the run (it waits and retries), never retried
    // silently for half an hour.
    const client = createDigestClient({ token: slack.botToken, apiUrl: slack.apiUrl, logger });
    const digestPosting = { poster: createDigestPoster(client), pacer: createChannelPacer(), sleep };
    const charts = createChartPublisher({
      charts: config.charts,
      quickchartUrl: config.quickchartUrl,
      logger,
      slackClient: client,
    });
    const compose = createComposeDigest({ data: createDigestData(engine), charts });
    registerCommands(app, {
      digest: { store: digests, compose, admins: config.digestAdmins, ...digestPosting },
      store,
      charts,
      userZone: createUserZoneLookup({ defaultZone: config.defaultTimezone, now, logger }),
      now,
      allowedUsers: config.allowedUsers,
      logger,
    });
    await app.init();
    await app.start(config.port);
    logger.info(`Handoff is running (${slack.appToken ? 'Socket Mode' : 'HTTP'}) on port ${config.port}.`);
    const jobs = startJobs({ digests, compose, ...digestPosting, now, logger, store });
    const shutdown = async (signal: string) => {
      logger.info(`${signal}: stopping`);
      // The ticker first, and a digest being posted is let finish, before Slack and the store go away.
      await jobs.stop();
      await app.stop().catch((error: unknown) => logger.error('stopping Slack failed', error));
      await store.close();
      process.exit(0);
    };
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    process.once('SIGINT', () => void shutdown('SIGINT'));
  }
} catch (error) {
  console.error(`Handoff cannot start: ${explainStartupError(error)}`);
  logger.debug('start-up failure', error);
  process.exit(1);
}
