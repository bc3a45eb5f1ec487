import { webApi } from '@slack/bolt';
import { z } from 'zod';

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

/** A WebClient as the poster wants it: 429s rejected (the run waits and retries itself), no silent retries. */
export function createDigestClient(options: {
  token: string;
  apiUrl?: string;
  logger?: webApi.Logger;
}): webApi.WebClient {
  const url = options.apiUrl;
  return new webApi.WebClient(options.token, {
    ...(url ? { slackApiUrl: url.endsWith('/') ? url : `${url}/` } : {}),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    ...(options.logger ? { logger: options.logger } : {}),
  });
}

const postedSchema = z.object({ ts: z.string() });
const openedSchema = z.object({ channel: z.object({ id: z.string() }) });

function failure(error: unknown): { ok: false; error: string; retryAfterMs?: number } {
  if (error instanceof webApi.WebAPIRateLimitedError)
    return { ok: false, error: 'ratelimited', retryAfterMs: error.retryAfter * 1000 };
  if (error instanceof webApi.WebAPIPlatformError) return { ok: false, error: error.data.error };
  if (error instanceof webApi.WebAPIHTTPError) return { ok: false, error: `http_${error.statusCode}` };
  if (error instanceof webApi.WebAPIRequestError)
    return { ok: false, error: `request_failed: ${error.original.message}` };
  throw error;
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
