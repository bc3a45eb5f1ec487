import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { isRestart } from '../src/lifecycle/work-tracker.ts';
import { errorMessage } from '../src/render/report-blocks.ts';
import { yieldToPendingIo } from '../src/slack/yield-to-pending-io.ts';
import { isAllowed, NOT_ALLOWED, RESTARTING, tracked } from './deps.ts';
import { replyToCommand } from './respond-or-post.ts';
import { type ExportCommandDeps, startExport } from './start-export.ts';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** `/assignments export [range] [filters]`: the whole matching log as a CSV file, in a DM with the bot. */
export function exportCommand(deps: ExportCommandDeps) {
  return async ({ command, ack, respond, client }: Args): Promise<void> => {
    await ack();
    await yieldToPendingIo();
    const reply = replyToCommand({ command, respond, client }, deps.logger);
    if (!isAllowed(deps, command.user_id)) {
      await reply(errorMessage(NOT_ALLOWED));
      return;
    }
    try {
      await tracked(deps.work, `export "${command.text}" for ${command.user_id}`, (signal) =>
        startExport(deps, { userId: command.user_id, text: command.text, client, reply, signal }),
      );
    } catch (error) {
      if (!isRestart(error)) throw error;
      await reply(errorMessage(RESTARTING));
    }
  };
}
