import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { errorMessage } from '../src/render/report-blocks.ts';
import { answerReport } from '../src/reports/answer-report.ts';
import { yieldToPendingIo } from '../src/slack/yield-to-pending-io.ts';
import { type CommandDeps, isAllowed, NOT_ALLOWED, SOMETHING_WENT_WRONG } from './deps.ts';
import { toMessage } from './to-message.ts';

/** `/assignments [range] [filters…]` and `/assignments help`: ack at once, then answer privately. */
export function reportCommand(deps: CommandDeps) {
  return async ({
    command,
    ack,
    respond,
    client,
  }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    await yieldToPendingIo();
    if (!isAllowed(deps, command.user_id)) {
      await respond({ response_type: 'ephemeral', ...errorMessage(NOT_ALLOWED) });
      return;
    }
    try {
      const zone = await deps.userZone(command.user_id, client);
      const answer = await answerReport(deps, { text: command.text, zone, now: deps.now() });
      await respond({ response_type: 'ephemeral', ...toMessage(answer, { shareable: true }) });
    } catch (error) {
      deps.logger.error(`/assignments "${command.text}" failed for ${command.user_id}`, error);
      await respond({ response_type: 'ephemeral', ...errorMessage(SOMETHING_WENT_WRONG) });
    }
  };
}
