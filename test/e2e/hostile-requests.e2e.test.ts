import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogger } from '../fakes/fake-digest-poster.ts';
import { signed, signedButton, signedCommand } from '../fakes/signed-request.ts';
import { startTestApp, type TestApp } from '../fakes/start-test-app.ts';

// Requests Slack would never send, signed with the app's secret: none of them may stop the process, and each is
// answered 400 and logged. The app answers a normal command afterwards.

const FORM = 'application/x-www-form-urlencoded';

describe('requests nobody should be able to crash the bot with', () => {
  let app: TestApp;
  const logger = captureLogger();
  beforeAll(async () => {
    app = await startTestApp({ logger });
  });
  afterAll(async () => {
    await app.stop();
  });

  const send = async (request: { body: string; headers: Record<string, string> }) => {
    const res = await fetch(`${app.url}/slack/events`, { method: 'POST', ...request });
    return { status: res.status, text: await res.text() };
  };

  /** The app still answers: a help command gets its usage through the response_url. */
  async function stillServes(): Promise<void> {
    const url = app.sink.newUrl();
    expect((await send(signedCommand({ text: 'help', responseUrl: url }))).status).toBe(200);
    await app.sink.waitFor(app.sink.posts.length + 1);
    expect(JSON.stringify(app.sink.postsTo(url)[0]?.body)).toContain('Usage');
  }

  it.each([
    ['payload=null', 'payload=null', FORM],
    ['payload=42', 'payload=42', FORM],
    ['payload=[]', 'payload=%5B%5D', FORM],
    ['a JSON null body', 'null', 'application/json'],
    ['a payload that is not JSON', 'payload=%7Bnope', FORM],
  ])('answers 400 to %s, signed, and keeps serving', async (_name, body, type) => {
    expect((await send(signed(body, type, {}))).status).toBe(400);
    await stillServes();
  });

  it('answers 401 to the same body unsigned, as to any unsigned request', async () => {
    const request = signed('payload=null', FORM, {});
    expect(
      (await send({ ...request, headers: { ...request.headers, 'x-slack-signature': 'v0=00' } })).status,
    ).toBe(401);
  });

  it('answers 400 to a command without text and a button press without a user, and logs why', async () => {
    const command = new URLSearchParams(signedCommand({ responseUrl: app.sink.newUrl() }).body);
    command.delete('text');
    expect((await send(signed(command.toString(), FORM, {}))).status).toBe(400);
    const button = signedButton({ actionId: 'share', value: 'yesterday', responseUrl: app.sink.newUrl() });
    const payload = JSON.parse(new URLSearchParams(button.body).get('payload') ?? '{}');
    delete payload.user;
    expect(
      (await send(signed(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM, {})))
        .status,
    ).toBe(400);
    const warnings = logger.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warnings).toContainEqual(expect.stringContaining('a signed request Slack would not send (text:'));
    expect(warnings).toContainEqual(expect.stringContaining('(user:'));
    await stillServes();
  });

  it('refuses command text over 4,000 characters unread, after acknowledging it', async () => {
    const url = app.sink.newUrl();
    const text = `yesterday ${'"'.repeat(2)}${'team:x '.repeat(44_000)}`;
    const before = app.sink.posts.length;
    const res = await send(signedCommand({ text, responseUrl: url }));
    expect(res).toEqual({ status: 200, text: '' });
    await app.sink.waitFor(before + 1);
    expect(app.sink.postsTo(url)[0]?.body.text).toBe(
      'That command is 308,012 characters long; `/assignments` reads at most 4,000. Try `/assignments help` for the short forms.',
    );
  });
});
