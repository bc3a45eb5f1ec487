import type { ComposedDigest } from '../domain/digest.ts';
import type { ChannelPacer } from './channel-pacer.ts';
import type { DigestMessage, DigestPoster, PostResult } from './digest-poster.ts';

/** What posting a digest needs: the Slack port, the process's channel pacer and a way to wait. */
export interface DigestPosting {
  poster: DigestPoster;
  pacer: ChannelPacer;
  sleep: (ms: number) => Promise<void>;
}

/** How many times one message waits out a 429 before the run gives up for now. */
export const RATE_LIMIT_RETRIES = 3;
/** A Retry-After longer than this is not waited out inside a run: the run is retried on a later tick. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** Errors that no retry will fix until someone acts: the run fails for the day and its creator is told. */
export const PERMANENT_ERRORS = new Set(['not_in_channel', 'channel_not_found', 'is_archived']);

export type DigestPostResult =
  | { ok: true; ts: string; threadTs: string | null; threadError: string | null }
  | { ok: false; error: string; permanent: boolean };

/** Posts one message, paced per channel, waiting out 429s (bounded). */
export async function sendPaced(deps: DigestPosting, message: DigestMessage): Promise<PostResult> {
  for (let retry = 0; ; retry++) {
    const result = await deps.pacer.send(message.channel, () => deps.poster.postMessage(message));
    if (result.ok || result.error !== 'ratelimited') return result;
    const wait = result.retryAfterMs ?? 1000;
    if (retry >= RATE_LIMIT_RETRIES || wait > MAX_RETRY_AFTER_MS) return result;
    await deps.sleep(wait);
  }
}

/**
 * Posts a composed digest: one message, and its log excerpt as a reply in that message's thread. `already`
 * holds what an earlier attempt of the same run posted (taken over after a crash), so it is not posted twice;
 * `onMain` records the main message as soon as Slack accepts it.
 */
export async function postDigest(
  deps: DigestPosting,
  channel: string,
  composed: ComposedDigest,
  already: { ts: string | null; threadTs: string | null } = { ts: null, threadTs: null },
  onMain: (ts: string) => Promise<unknown> = async () => {},
): Promise<DigestPostResult> {
  let ts = already.ts;
  if (ts === null) {
    const main = await sendPaced(deps, { channel, ...composed.main });
    if (!main.ok) return { ok: false, error: main.error, permanent: PERMANENT_ERRORS.has(main.error) };
    ts = main.ts;
    await onMain(ts);
  }
  if (!composed.thread || already.threadTs !== null)
    return { ok: true, ts, threadTs: already.threadTs, threadError: null };
  const reply = await sendPaced(deps, { channel, ...composed.thread, threadTs: ts });
  // The main message is out: a failed reply is noted, never a reason to post the digest again.
  return reply.ok
    ? { ok: true, ts, threadTs: reply.ts, threadError: null }
    : { ok: true, ts, threadTs: null, threadError: reply.error };
}

/** A Slack error as a reason people can act on. */
export function explainPostError(error: string, channel: { id: string; name: string | null }): string {
  const shown = channel.name ? `#${channel.name}` : channel.id;
  switch (error) {
    case 'not_in_channel':
      return `Handoff is not a member of ${shown}: invite it there with /invite @Handoff`;
    case 'channel_not_found':
      return `${shown} no longer exists, or it is private and Handoff is not in it`;
    case 'is_archived':
      return `${shown} is archived: unarchive it, or remove this digest and add it for another channel`;
    case 'ratelimited':
      return 'Slack kept answering "rate limited" (429)';
    default:
      return `Slack answered ${error}`;
  }
}
