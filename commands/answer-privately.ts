import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { errorMessage, type SlackMessage } from '../src/render/report-blocks.ts';
import { yieldToPendingIo } from '../src/slack/yield-to-pending-io.ts';
import { answerFailure, type CommandDeps, isAllowed, NOT_ALLOWED } from './deps.ts';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/**
 * The shape every `/assignments` subcommand shares: ack at once, let other pending acks go first, check who
 * may ask, then answer privately with what `answer` builds for the requester's zone; a failure is logged and
 * the requester gets a short apology instead of silence.
 */
export function answerPrivately(
  deps: Pick<CommandDeps, 'allowedUsers' | 'userZone' | 'logger'>,
  answer: (input: {
    text: string;
    zone: string;
    userId: string;
    client: Args['client'];
  }) => Promise<SlackMessage>,
) {
  return async ({ command, ack, respond, client }: Args): Promise<void> => {
    await ack();
    await yieldToPendingIo();
    if (!isAllowed(deps, command.user_id)) {
      await respond({ response_type: 'ephemeral', ...errorMessage(NOT_ALLOWED) });
      return;
    }
    try {
      const zone = await deps.userZone(command.user_id, client);
      await respond({
        response_type: 'ephemeral',
        ...(await answer({ text: command.text, zone, userId: command.user_id, client })),
      });
    } catch (error) {
      const context = `/assignments "${command.text}" failed for ${command.user_id}`;
      await respond({
        response_type: 'ephemeral',
        ...errorMessage(answerFailure(deps.logger, context, error)),
      });
    }
  };
}
