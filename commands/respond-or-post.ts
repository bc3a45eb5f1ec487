import type { Logger, RespondArguments } from '@slack/bolt';
import { z } from 'zod';
import type { SlackMessage } from '../src/render/report-blocks.ts';

/** The part of Slack's Web API the fallback needs. */
export interface EphemeralClient {
  chat: {
    postEphemeral(args: {
      channel: string;
      user: string;
      text: string;
      blocks?: SlackMessage['blocks'];
    }): Promise<unknown>;
    /** For a message meant for the whole channel (Share). */
    postMessage(args: { channel: string; text: string; blocks?: SlackMessage['blocks'] }): Promise<unknown>;
  };
}

export type Delivery = 'responded' | 'posted' | 'failed';

// A response_url that has expired (30 minutes) or been used 5 times answers 404 (`expired_url`, `used_url`);
// some failures come back as `{"ok": false, "error": …}` with a 2xx status.
const refusalSchema = z.object({ ok: z.literal(false), error: z.string().optional() });

async function refusalOf(response: unknown): Promise<string | undefined> {
  if (!(response instanceof Response)) return undefined;
  const text = await response.text().catch(() => '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const refused = refusalSchema.safeParse(json);
  return refused.success ? (refused.data.error ?? 'ok: false') : undefined;
}

/**
 * Answers a button press through its response_url, and when that fails (the URL expired after 30 minutes or
 * 5 uses, or Slack refused it) posts the same message as a fresh ephemeral message to the user in the channel
 * (or, for a message meant for the channel, as a channel message), so a late press is answered instead of
 * failing silently. The fallback is logged at warn; a failure of both at error.
 */
export async function respondOrPost(input: {
  respond: (message: RespondArguments) => Promise<unknown>;
  client: EphemeralClient;
  /** Where the button was pressed; without one there is nowhere to post. */
  channelId: string | undefined;
  userId: string;
  logger: Pick<Logger, 'warn' | 'error'>;
  message: SlackMessage;
  /** Replace the message the button is on (a view), or add a new one (an error, leaving the report as it was). */
  replaceOriginal: boolean;
  /** `in_channel`: everyone in the channel sees it (Share). Ephemeral by default. */
  visibility?: 'ephemeral' | 'in_channel';
}): Promise<Delivery> {
  const { message } = input;
  const visibility = input.visibility ?? 'ephemeral';
  let why: string;
  try {
    const response = await input.respond({
      response_type: visibility,
      replace_original: input.replaceOriginal,
      text: message.text,
      blocks: message.blocks,
    });
    const refused = await refusalOf(response);
    if (refused === undefined) return 'responded';
    why = refused;
  } catch (error) {
    why = error instanceof Error ? error.message : String(error);
  }
  if (!input.channelId) {
    input.logger.error(
      `response_url failed for ${input.userId} (${why}) and the press names no channel to post in`,
    );
    return 'failed';
  }
  const method = visibility === 'in_channel' ? 'chat.postMessage' : 'chat.postEphemeral';
  try {
    const content = { channel: input.channelId, text: message.text, blocks: message.blocks };
    if (visibility === 'in_channel') await input.client.chat.postMessage(content);
    else await input.client.chat.postEphemeral({ ...content, user: input.userId });
    input.logger.warn(
      `response_url failed for ${input.userId} (${why}); answered with ${method} in ${input.channelId} instead`,
    );
    return 'posted';
  } catch (error) {
    input.logger.error(
      `response_url failed for ${input.userId} (${why}), and ${method} in ${input.channelId} failed too`,
      error,
    );
    return 'failed';
  }
}

/**
 * A private reply to a slash command: through its response_url, or chat.postEphemeral in the channel it was
 * typed in when that fails or does not answer.
 */
export function replyToCommand(
  args: {
    command: { channel_id: string; user_id: string };
    respond: (message: RespondArguments) => Promise<unknown>;
    client: EphemeralClient;
  },
  logger: Pick<Logger, 'warn' | 'error'>,
): (message: SlackMessage) => Promise<Delivery> {
  return (message) =>
    respondOrPost({
      respond: args.respond,
      client: args.client,
      channelId: args.command.channel_id,
      userId: args.command.user_id,
      logger,
      message,
      replaceOriginal: false,
    });
}
