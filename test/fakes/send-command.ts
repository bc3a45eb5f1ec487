import { expect } from 'vitest';
import { signedCommand } from './signed-request.ts';
import type { TestApp } from './start-test-app.ts';

// A signed `/assignments …` into the real app, as Slack sends it: the e2e suites' one way to run a command.

export type Json = Record<string, unknown>;

export interface SentCommand {
  responseUrl: string;
  /** From sending the request to Slack's 200 (the ack). */
  ackMs: number;
}

/** Sends `text` as `userId` (U1 by default) and checks it was acked with 200. */
export async function sendCommand(
  app: TestApp,
  text: string,
  options: { userId?: string; channelId?: string } = {},
): Promise<SentCommand> {
  const responseUrl = app.sink.newUrl();
  const req = signedCommand({ text, responseUrl, ...options });
  const started = performance.now();
  const res = await fetch(`${app.url}/slack/events`, {
    method: 'POST',
    body: req.body,
    headers: req.headers,
  });
  const ackMs = performance.now() - started;
  expect(res.status).toBe(200);
  return { responseUrl, ackMs };
}

/** Sends `text` and answers what the app posted to its response_url first (its private answer). */
export async function commandAnswer(
  app: TestApp,
  text: string,
  options: { userId?: string; channelId?: string } = {},
): Promise<Json> {
  const { responseUrl } = await sendCommand(app, text, options);
  return (await app.sink.firstPostTo(responseUrl)).body;
}
