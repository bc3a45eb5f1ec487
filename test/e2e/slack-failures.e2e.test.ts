import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runDueDigests } from '../../jobs/run-digests.ts';
import { makeEvent } from '../builders/event.ts';
import { captureLogger } from '../fakes/fake-digest-poster.ts';
import type { SlackMisbehaviour } from '../fakes/fake-slack-api.ts';
import { sendCommand } from '../fakes/send-command.ts';
import { signedCommand } from '../fakes/signed-request.ts';
import { startTestApp, type TestApp } from '../fakes/start-test-app.ts';

// Slack answering 429, 500, an error code or nothing at all, method by method: every answer still arrives, says
// what happened, and nothing waits for Slack longer than one call's limit (2 s here, 10 s in production).

const ZONE = 'Asia/Kuala_Lumpur';
const LIMITS = { webApiMs: 2000, responseUrlMs: 2000 };

describe('a Slack that misbehaves', () => {
  let app: TestApp;
  let now = new Date('2026-11-26T10:00:00Z');
  const logger = captureLogger();
  let user = 0;

  beforeAll(async () => {
    app = await startTestApp({ now: () => now, defaultZone: ZONE, slackCallLimits: LIMITS, logger });
    await app.store.ingest([
      // Thu 26 Nov in Kuala Lumpur and in New York alike.
      makeEvent({ id: 'today-1', timestamp: new Date('2026-11-26T06:00:00Z') }),
      makeEvent({ id: 'today-2', timestamp: new Date('2026-11-26T07:00:00Z') }),
    ]);
  });
  afterAll(() => app.stop());
  beforeEach(() => {
    app.slack.behave();
    // Past the minute users.info rests after a failure, and a requester whose zone is not cached.
    now = new Date(now.getTime() + 5 * 60_000);
    user++;
  });

  /** Sends `/assignments text` as a fresh user; answers its response_url (and the user's id). */
  async function command(text: string) {
    const userId = `UF${user}`;
    app.slack.zones.set(userId, 'America/New_York');
    const { responseUrl } = await sendCommand(app, text, { userId, channelId: 'C1' });
    return { responseUrl, userId };
  }

  const textOf = (body: Record<string, unknown> | undefined) => JSON.stringify(body ?? {});

  it.each<[string, SlackMisbehaviour]>([
    ['answers 500', { status: 500 }],
    ['answers ratelimited with Retry-After: 30', { status: 429, retryAfter: 30 }],
    ['answers an error code', { error: 'user_not_found' }],
    ['never answers', { hang: true }],
  ])('users.info %s: the report comes in DEFAULT_TIMEZONE at once, and says so', async (_how, how) => {
    app.slack.misbehave('users.info', how);
    const before = app.sink.posts.length;
    const { responseUrl } = await command('today');
    await app.sink.waitFor(before + 1);
    const answer = textOf(app.sink.postsTo(responseUrl)[0]?.body);
    expect(answer).toContain('Assignments · Today, Thu 26 Nov');
    expect(answer).toContain('Kuala Lumpur time (UTC+8)');
    expect(answer).toContain(
      `Days and times here are in ${ZONE} (DEFAULT_TIMEZONE): Slack could not tell your time zone`,
    );
    // One attempt, never retried: the default client would have retried for half an hour.
    expect(app.slack.callsTo('users.info').filter((c) => c.args.user === `UF${user}`)).toHaveLength(1);
  });

  it('says nothing about the zone when the command names its own (tz:)', async () => {
    app.slack.misbehave('users.info', { status: 500 });
    const before = app.sink.posts.length;
    const { responseUrl } = await command('today tz:Europe/London');
    await app.sink.waitFor(before + 1);
    const answer = textOf(app.sink.postsTo(responseUrl)[0]?.body);
    expect(answer).toContain('Europe/London');
    expect(answer).not.toContain('DEFAULT_TIMEZONE');
  });

  it('a response_url that never answers: the answer comes by chat.postEphemeral instead', async () => {
    const url = app.sink.newUrl();
    app.sink.hang(url);
    const req = signedCommand({ text: 'today', userId: `UF${user}`, responseUrl: url, channelId: 'C7' });
    await fetch(`${app.url}/slack/events`, { method: 'POST', body: req.body, headers: req.headers });
    await app.slack.waitForCalls('chat.postEphemeral', 1);
    const [posted] = app.slack.callsTo('chat.postEphemeral');
    expect(posted?.args).toMatchObject({ channel: 'C7', user: `UF${user}` });
    expect(String(posted?.args.text)).toContain('Today, Thu 26 Nov 2026');
    await vi.waitFor(() =>
      expect(logger.lines).toContainEqual({
        level: 'warn',
        message: expect.stringMatching(
          /^response_url failed for UF\d+ \(.*\); answered with chat\.postEphemeral in C7/,
        ),
      }),
    );
  });

  it('conversations.open answers 500: the requester hears what failed and what to do, at once', async () => {
    app.slack.misbehave('conversations.open', { status: 500 });
    const before = app.sink.posts.length;
    const { responseUrl } = await command('export today');
    await app.sink.waitFor(before + 2);
    const [preparing, failed] = app.sink.postsTo(responseUrl).map((p) => textOf(p.body));
    expect(preparing).toContain('Preparing your export');
    expect(failed).toContain(
      "did not arrive: Slack answered HTTP 500 to `conversations.open` (a problem on Slack's side). Try again in a few minutes",
    );
    expect(app.slack.callsTo('conversations.open')).toHaveLength(1);
  });

  it('files.getUploadURLExternal answers 429: the DM says so at once, without waiting out Retry-After', async () => {
    app.slack.misbehave('files.getUploadURLExternal', { status: 429, retryAfter: 120 });
    const before = app.slack.callsTo('chat.postMessage').length;
    await command('export today');
    await app.slack.waitForCalls('chat.postMessage', before + 1);
    expect(String(app.slack.callsTo('chat.postMessage').at(-1)?.args.text)).toContain(
      'did not arrive: Slack asked Handoff to slow down (rate limited) at `files.getUploadURLExternal`. Try again in a minute.',
    );
    expect(app.slack.callsTo('files.getUploadURLExternal')).toHaveLength(1);
  });

  it('files.completeUploadExternal never answers: the DM says so within the call limit', async () => {
    app.slack.misbehave('files.completeUploadExternal', { hang: true });
    const before = app.slack.callsTo('chat.postMessage').length;
    const { userId } = await command('export today');
    await app.slack.waitForCalls('chat.postMessage', before + 1);
    const dm = app.slack.callsTo('chat.postMessage').at(-1);
    expect(dm?.args.channel).toBe(`D${userId}`);
    expect(String(dm?.args.text)).toContain(
      'did not arrive: Slack did not answer `files.completeUploadExternal` in time. Try again in a few minutes (if the file turns up here after all, it is complete)',
    );
  });

  it('a digest post that never answers fails for a retry in a minute and does not hold its channel', async () => {
    now = new Date('2026-11-27T01:00:00Z'); // Fri 09:00 in Kuala Lumpur
    const base = {
      channelId: 'C0HUNG',
      channelName: 'hung',
      team: 'Support',
      at: '09:00',
      zone: ZONE,
      weekdaysOnly: false,
      skipEmpty: false,
      filters: { sources: [], assignees: [], assignedBy: [], contacts: [], conversations: [], teams: [] },
      createdBy: 'UADMIN',
      createdAt: new Date('2026-11-20T00:00:00Z'),
    };
    const first = await app.digests.add(base);
    const second = await app.digests.add({ ...base, team: 'Sales' });
    app.slack.misbehave('chat.postMessage', { hang: true }, 1);
    const summary = await runDueDigests(app.digestJobs, now);
    expect(summary).toMatchObject({ due: 2, posted: 1, retrying: 1 });
    const runs = [...(await app.digests.log(first.id)), ...(await app.digests.log(second.id))];
    const failed = runs.find((r) => r.state === 'failed');
    expect(failed?.reason).toMatch(/^Slack answered request_failed: no answer in time/);
    expect(failed?.retryAt).toEqual(new Date(now.getTime() + 60_000));
    // A minute later the retry posts it.
    now = new Date(now.getTime() + 60_000);
    expect(await runDueDigests(app.digestJobs, now)).toMatchObject({ posted: 1 });
  });
});
