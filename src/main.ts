import { ConsoleLogger, type LogLevel } from '@slack/logger';
import { registerCommands } from '../commands/index.ts';
import { type Jobs, startJobs } from '../jobs/index.ts';
import { createChartPublisher } from './charts/create-chart-publisher.ts';
import { parseConfig } from './config.ts';
import { createConsoleAnswer } from './console/console-answer.ts';
import { parseConsoleArgs } from './console/console-args.ts';
import { consoleBanner, countEvents } from './console/console-banner.ts';
import { runConsole } from './console/run-console.ts';
import { demoEvents } from './demo/demo-events.ts';
import { describeWebhookSetup } from './ingest/webhooks/describe-webhook-setup.ts';
import { loadDotEnv } from './lifecycle/load-dot-env.ts';
import { logUnhandledRejections } from './lifecycle/log-unhandled-rejections.ts';
import { shutDown } from './lifecycle/shut-down.ts';
import { privateTempRoot, removeLeftovers, removeOwnWorkDirs } from './lifecycle/temp-space.ts';
import { createWorkTracker } from './lifecycle/work-tracker.ts';
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

const dotEnvNote = loadDotEnv();
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
logUnhandledRejections(process, logger);
// The console's stdout is for answers: notes go to stderr there.
if (dotEnvNote) config.mode === 'console' ? console.error(dotEnvNote) : logger.info(dotEnvNote);
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
    // The console's stdout is for answers: its notes go to stderr, and an in-process store's new indexes go unsaid.
    log: (note) =>
      config.mode === 'console'
        ? note.level !== 'info' && console.error(note.message)
        : logger[note.level](note.message),
  });

  if (config.mode === 'console') {
    const banner = config.mongodbUri
      ? consoleBanner(
          { uri: config.mongodbUri, db: config.mongodbDb, events: await countEvents(engine) },
          config.defaultTimezone,
        )
      : consoleBanner(
          { demo: (await store.ingest(demoEvents(now(), config.defaultTimezone))).accepted },
          config.defaultTimezone,
        );
    console.error(banner);
    const charts = createChartPublisher({
      charts: config.charts,
      quickchartUrl: config.quickchartUrl,
      logger,
      ...(consoleArgs.args.chartsDir ? { dir: consoleArgs.args.chartsDir } : {}),
    });
    const run = await runConsole(createConsoleAnswer({ store, charts, zone: config.defaultTimezone, now }), {
      input: process.stdin,
      output: process.stdout,
      interactive: process.stdin.isTTY === true,
    });
    await store.close();
    // A script piping commands learns that one of them was wrong.
    if (run.errors > 0) process.exitCode = 1;
  } else {
    const slack = config.slack ?? { botToken: '' };
    if (inMemory || config.mongodbUri === MEMORY_URI)
      logger.warn(
        'MONGODB_URI=memory:// keeps events in this process only: everything is LOST when it exits.',
      );
    if (!config.ingestToken)
      logger.warn('INGEST_TOKEN is not set: POST /api/events answers 503 until it is.');
    for (const note of describeWebhookSetup(config.webhooks)) logger[note.level](note.message);
    const tempRoot = privateTempRoot();
    const leftovers = await removeLeftovers(tempRoot);
    if (leftovers.length > 0)
      logger.info(`removed ${leftovers.length} temporary director(ies) an earlier run left behind`);
    const work = createWorkTracker();
    const app = createSlackApp({
      slack,
      port: config.port,
      ingestToken: config.ingestToken,
      webhooks: config.webhooks,
      now,
      defaultTimezone: config.defaultTimezone,
      store,
      logger,
      work,
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
      work,
    });
    const graceMs = config.shutdownGraceSeconds * 1000;
    let jobs: Jobs | undefined;
    const stop = async (signal: string) => {
      await shutDown(
        {
          work,
          stopJobs: async () => jobs?.stop(),
          closers: [
            { name: 'Slack', close: () => app.stop() },
            { name: 'the store', close: () => store.close() },
            { name: 'temporary files', close: () => removeOwnWorkDirs(tempRoot) },
          ],
          logger,
          graceMs,
        },
        signal,
      );
      process.exit(0);
    };
    // Caught before the port opens, so a SIGTERM at any moment is a clean stop. A second signal while stopping
    // is not caught: it ends the process at once.
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
    await app.init();
    await app.start(config.port);
    jobs = startJobs(
      { digests, compose, ...digestPosting, now, logger, store },
      { work, stopTimeoutMs: graceMs },
    );
    logger.info(`Handoff is running (${slack.appToken ? 'Socket Mode' : 'HTTP'}) on port ${config.port}.`);
  }
} catch (error) {
  console.error(`Handoff cannot start: ${explainStartupError(error, { slackApiUrl: config.slack?.apiUrl })}`);
  logger.debug('start-up failure', error);
  process.exit(1);
}
