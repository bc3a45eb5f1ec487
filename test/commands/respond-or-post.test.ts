import { describe, expect, it } from 'vitest';
import { type EphemeralClient, respondOrPost } from '../../commands/respond-or-post.ts';
import { captureLogger } from '../fakes/fake-digest-poster.ts';

const MESSAGE = { text: 'Rows 1–20 of 45', blocks: [] };

function client(fail = false): EphemeralClient & { posted: unknown[]; inChannel: unknown[] } {
  const posted: unknown[] = [];
  const inChannel: unknown[] = [];
  return {
    posted,
    inChannel,
    chat: {
      async postEphemeral(args) {
        if (fail) throw new Error('An API error occurred: channel_not_found');
        posted.push(args);
        return { ok: true };
      },
      async postMessage(args) {
        if (fail) throw new Error('An API error occurred: not_in_channel');
        inChannel.push(args);
        return { ok: true };
      },
    },
  };
}

function run(respond: () => Promise<unknown>, options: { channelId?: string; failPost?: boolean } = {}) {
  const logger = captureLogger();
  const slack = client(options.failPost);
  const delivery = respondOrPost({
    respond,
    client: slack,
    channelId: 'channelId' in options ? options.channelId : 'C1',
    userId: 'U1',
    logger,
    message: MESSAGE,
    replaceOriginal: true,
  });
  return { delivery, logger, slack };
}

describe('respondOrPost', () => {
  it('answers through the response_url, replacing the message, when it works', async () => {
    const sent: unknown[] = [];
    const { delivery, logger, slack } = run(async () => {
      sent.push('x');
      return new Response('{"ok":true}', { status: 200 });
    });
    expect(await delivery).toBe('responded');
    expect(sent).toHaveLength(1);
    expect(slack.posted).toEqual([]);
    expect(logger.lines).toEqual([]);
  });

  it('passes the message with replace_original and response_type ephemeral', async () => {
    let args: unknown;
    const logger = captureLogger();
    await respondOrPost({
      respond: async (message) => {
        args = message;
      },
      client: client(),
      channelId: 'C1',
      userId: 'U1',
      logger,
      message: MESSAGE,
      replaceOriginal: false,
    });
    expect(args).toEqual({
      response_type: 'ephemeral',
      replace_original: false,
      text: MESSAGE.text,
      blocks: [],
    });
  });

  it.each([
    [
      'a 404 (Bolt throws)',
      async () => Promise.reject(new Error('Failed to respond to the response_url: 404 Not Found')),
    ],
    ['ok: false in a 200', async () => new Response('{"ok":false,"error":"used_url"}', { status: 200 })],
  ])('posts a fresh ephemeral message after %s, and warns once', async (_, respond) => {
    const { delivery, logger, slack } = run(respond);
    expect(await delivery).toBe('posted');
    expect(slack.posted).toEqual([{ channel: 'C1', user: 'U1', text: MESSAGE.text, blocks: [] }]);
    expect(logger.lines.map((l) => l.level)).toEqual(['warn']);
    expect(logger.lines[0]?.message).toMatch(/404|used_url/);
  });

  it('posts a message meant for the channel as a channel message when its response_url expired', async () => {
    const logger = captureLogger();
    const slack = client();
    const delivery = await respondOrPost({
      respond: async () => Promise.reject(new Error('404')),
      client: slack,
      channelId: 'C1',
      userId: 'U1',
      logger,
      message: MESSAGE,
      replaceOriginal: false,
      visibility: 'in_channel',
    });
    expect(delivery).toBe('posted');
    expect(slack.inChannel).toEqual([{ channel: 'C1', text: MESSAGE.text, blocks: [] }]);
    expect(slack.posted).toEqual([]);
    expect(logger.lines[0]?.message).toContain('chat.postMessage');
  });

  it('logs at error when neither way works, or there is no channel to post in', async () => {
    const failing = async () => Promise.reject(new Error('404'));
    const both = run(failing, { failPost: true });
    expect(await both.delivery).toBe('failed');
    expect(both.logger.lines.map((l) => l.level)).toEqual(['error']);
    const nowhere = run(failing, { channelId: undefined });
    expect(await nowhere.delivery).toBe('failed');
    expect(nowhere.slack.posted).toEqual([]);
    expect(nowhere.logger.lines.map((l) => l.level)).toEqual(['error']);
  });
});
