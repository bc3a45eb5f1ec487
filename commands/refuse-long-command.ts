import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { errorMessage } from '../src/render/report-blocks.ts';
import type { CommandDeps } from './deps.ts';
import { replyToCommand } from './respond-or-post.ts';

/** The longest `/assignments` text read; anything longer is refused unread. */
export const MAX_COMMAND_TEXT = 4000;

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** `/assignments` with more than MAX_COMMAND_TEXT characters: acked, logged, and refused without parsing it. */
export function refuseLongCommand(deps: Pick<CommandDeps, 'logger'>) {
  return async ({ command, ack, respond, client }: Args): Promise<void> => {
    await ack();
    const length = command.text.length.toLocaleString('en-US');
    deps.logger.warn(`/assignments from ${command.user_id}: ${length} characters of text, refused unread`);
    await replyToCommand(
      { command, respond, client },
      deps.logger,
    )(
      errorMessage(
        `That command is ${length} characters long; \`/assignments\` reads at most ${MAX_COMMAND_TEXT.toLocaleString('en-US')}. Try \`/assignments help\` for the short forms.`,
      ),
    );
  };
}
