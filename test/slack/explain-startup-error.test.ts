import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackApp } from '../../src/slack/create-app.ts';
import { explainStartupError } from '../../src/slack/explain-startup-error.ts';
import { createAssignmentStore } from '../../src/store/assignment-store.ts';
import { createMemoryEngine } from '../../src/store/memory-engine.ts';
import { captureLogger } from '../fakes/fake-digest-poster.ts';
import { FakeSlackApi } from '../fakes/fake-slack-api.ts';

/** What src/main.ts prints when the app's init() (auth.test) fails against `apiUrl`. */
async function startUpFailure(apiUrl: string, limits = { webApiMs: 2000, responseUrlMs: 2000 }) {
  const app = createSlackApp({
    slack: { botToken: 'xoxb-1', signingSecret: 'test-signing-secret', apiUrl },
    port: 0,
    ingestToken: undefined,
    store: createAssignmentStore(createMemoryEngine()),
    logger: captureLogger(),
    slackCallLimits: limits,
  });
  try {
    await app.init();
  } catch (error) {
    return explainStartupError(error, { slackApiUrl: apiUrl });
  }
  throw new Error('init() succeeded');
}

describe('explainStartupError', () => {
  it('turns a rejected bot token into "check SLACK_BOT_TOKEN"', () => {
    const error = Object.assign(new Error('An API error occurred: invalid_auth'), {
      data: { ok: false, error: 'invalid_auth' },
    });
    expect(explainStartupError(error)).toBe(
      'Slack rejected the bot token (invalid_auth): check SLACK_BOT_TOKEN.',
    );
  });

  it('names PORT when the port is taken, and passes other messages through', () => {
    expect(explainStartupError(new Error('listen EADDRINUSE: address already in use :::3000'))).toBe(
      'listen EADDRINUSE: address already in use :::3000: check PORT.',
    );
    expect(
      explainStartupError(new Error('MongoDB at mongodb://db did not answer: check MONGODB_URI')),
    ).toContain('check MONGODB_URI');
  });
});

describe('a Slack that cannot be reached at start', () => {
  const slack = new FakeSlackApi();
  let closedUrl = '';
  beforeAll(async () => {
    await slack.start();
    // A port that was just listening and is closed now: connections are refused.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  afterAll(() => slack.stop());

  it('stops at once naming auth.test, SLACK_API_URL and the network error, instead of retrying for 30 minutes', async () => {
    expect(await startUpFailure(closedUrl)).toBe(
      `Slack's Web API could not be reached for auth.test at ${closedUrl} (SLACK_API_URL): connect ECONNREFUSED ${new URL(closedUrl).host}. Check the network (a proxy or firewall) and SLACK_API_URL.`,
    );
  });

  it('gives up on an auth.test that never answers after the call limit', async () => {
    slack.misbehave('auth.test', { hang: true });
    expect(await startUpFailure(slack.url)).toContain(
      `could not be reached for auth.test at ${slack.url} (SLACK_API_URL): no answer in time.`,
    );
  });

  it('names the HTTP status when Slack answers 503', async () => {
    slack.misbehave('auth.test', { status: 503 });
    expect(await startUpFailure(slack.url)).toBe(
      `Slack's Web API answered HTTP 503 to auth.test at ${slack.url} (SLACK_API_URL). Check SLACK_API_URL, or status.slack.com.`,
    );
    // One attempt each, the hanging one and this one: nothing retried.
    expect(slack.callsTo('auth.test')).toHaveLength(2);
  });
});
