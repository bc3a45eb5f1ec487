import { webApi } from '@slack/bolt';
import { z } from 'zod';
import { type SlackCallLimits, slackFailureOf, webClientOptions } from './slack-call-limits.ts';

// The narrow Slack port digest runs post through, so jobs never import the running app. Errors come back as
// values: which are worth a retry is the caller's decision, not an exception's.

export type PostResult = { ok: true; ts: string } | { ok: false; error: string; retryAfterMs?: number };

export interface DigestMessage {
  channel: string;
  text: string;
  blocks: unknown[];
  /** Set for a reply in that message's thread. */
  threadTs?: string;
}

export interface DigestPoster {
  postMessage(message: DigestMessage): Promise<PostResult>;
  /** Opens (or finds) the bot's DM with a user: the channel to post to. */
  openDm(userId: string): Promise<{ ok: true; channel: string } | { ok: false; error: string }>;
}

/**
 * A WebClient as the poster wants it: 429s rejected (the run waits and retries itself), no silent retries, and
 * every call bounded, so a post that never answers fails like a 5xx and is retried on a later tick instead of
 * holding its channel.
 */
export function createDigestClient(options: {
  token: string;
  apiUrl?: string;
  logger?: webApi.Logger;
  limits?: SlackCallLimits;
}): webApi.WebClient {
  return new webApi.WebClient(options.token, {
    ...webClientOptions(options.apiUrl, options.limits),
    ...(options.logger ? { logger: options.logger } : {}),
  });
}

const postedSchema = z.object({ ts: z.string() });
const openedSchema = z.object({ channel: z.object({ id: z.string() }) });

function failure(error: unknown): { ok: false; error: string; retryAfterMs?: number } {
  const failed = slackFailureOf(error);
  if (!failed) throw error;
  if (failed.error === 'no_answer') return { ok: false, error: `request_failed: ${failed.detail}` };
  return {
    ok: false,
    error: failed.error,
    ...(failed.retryAfterMs === undefined ? {} : { retryAfterMs: failed.retryAfterMs }),
  };
}

export function createDigestPoster(client: webApi.WebClient): DigestPoster {
  return {
    async postMessage(message) {
      try {
        const result = await client.apiCall('chat.postMessage', {
          channel: message.channel,
          text: message.text,
          blocks: message.blocks,
          // Links in a digest are reproducing commands and chart images, never previews worth unfurling.
          unfurl_links: false,
          unfurl_media: false,
          ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
        });
        return { ok: true, ts: postedSchema.parse(result).ts };
      } catch (error) {
        return failure(error);
      }
    },
    async openDm(userId) {
      try {
        const result = await client.apiCall('conversations.open', { users: userId });
        return { ok: true, channel: openedSchema.parse(result).channel.id };
      } catch (error) {
        return failure(error);
      }
    },
  };
}
