import { describe, expect, it } from 'vitest';
import { explainStartupError } from '../../src/slack/explain-startup-error.ts';

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
