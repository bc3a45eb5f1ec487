import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { namesZone } from '../src/domain/parse-command.ts';
import { isRestart } from '../src/lifecycle/work-tracker.ts';
import { errorMessage, type SlackMessage } from '../src/render/report-blocks.ts';
import { withZoneNote } from '../src/render/zone-note.ts';
import { yieldToPendingIo } from '../src/slack/yield-to-pending-io.ts';
import { answerFailure, type CommandDeps, isAllowed, NOT_ALLOWED, RESTARTING, tracked } from './deps.ts';
import { replyToCommand } from './respond-or-post.ts';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/**
 * The shape every `/assignments` subcommand shares: ack at once, let other pending acks go first, check who
 * may ask, then answer privately with what `answer` builds for the requester's zone (saying so when Slack could
 * not tell it and DEFAULT_TIMEZONE was used); a failure is logged and the requester gets a short apology
 * instead of silence. A response_url that fails or does not answer is replaced by chat.postEphemeral.
 */
export function answerPrivately(
  deps: Pick<CommandDeps, 'allowedUsers' | 'userZone' | 'logger' | 'work'>,
  answer: (input: {
    text: string;
    zone: string;
    userId: string;
    client: Args['client'];
  }) => Promise<SlackMessage>,
  options: {
    /**
     * Whether ALLOWED_USERS decides who may ask. Reports, timelines, teams and exports show assignment data, so
     * yes; digests have their own rule (everyone lists, DIGEST_ADMINS manage), so no.
     */
    gate: 'allowed-users' | 'none';
  } = { gate: 'allowed-users' },
) {
  return async ({ command, ack, respond, client }: Args): Promise<void> => {
    await ack();
    await yieldToPendingIo();
    // Through the response_url, or chat.postEphemeral when that fails or does not answer.
    const reply = replyToCommand({ command, respond, client }, deps.logger);
    if (options.gate === 'allowed-users' && !isAllowed(deps, command.user_id)) {
      await reply(errorMessage(NOT_ALLOWED));
      return;
    }
    let message: SlackMessage;
    try {
      message = await tracked(
        deps.work,
        `/assignments "${command.text}" for ${command.user_id}`,
        async () => {
          const { zone, fellBack } = await deps.userZone(command.user_id, client);
          const answered = await answer({ text: command.text, zone, userId: command.user_id, client });
          return fellBack && !namesZone(command.text) ? withZoneNote(answered, zone) : answered;
        },
      );
    } catch (error) {
      if (isRestart(error)) message = errorMessage(RESTARTING);
      else
        message = errorMessage(
          answerFailure(deps.logger, `/assignments "${command.text}" failed for ${command.user_id}`, error),
        );
    }
    await reply(message);
  };
}
