import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { errorMessage } from '../src/render/report-blocks.ts';
import { answerReport } from '../src/reports/answer-report.ts';
import { yieldToPendingIo } from '../src/slack/yield-to-pending-io.ts';
import { type CommandDeps, isAllowed, NOT_ALLOWED, SOMETHING_WENT_WRONG } from './deps.ts';
import { toMessage } from './to-message.ts';

const COMMAND_PREFIX = /^\/assignments\s*/;

/**
 * The "Share to channel" button: runs the report again from the command in the button's value (so the
 * numbers are current and the permission is checked again) and posts it visibly; the original stays private.
 */
export function shareAction(deps: CommandDeps) {
  return async ({
    ack,
    body,
    action,
    respond,
    client,
  }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs) => {
    await ack();
    await yieldToPendingIo();
    const userId = body.user.id;
    if (!isAllowed(deps, userId)) {
      await respond({ response_type: 'ephemeral', replace_original: false, ...errorMessage(NOT_ALLOWED) });
      return;
    }
    try {
      const zone = await deps.userZone(userId, client);
      const text = (action.value ?? '').replace(COMMAND_PREFIX, '');
      const answer = await answerReport(deps, { text, zone, now: deps.now() });
      const message = toMessage(answer, { shareable: false });
      await respond({
        response_type: 'in_channel',
        replace_original: false,
        text: message.text,
        blocks: [
          ...message.blocks,
          { type: 'context', elements: [{ type: 'mrkdwn', text: `Shared by <@${userId}>` }] },
        ],
      });
    } catch (error) {
      deps.logger.error(`sharing "${action.value ?? ''}" failed for ${userId}`, error);
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        ...errorMessage(SOMETHING_WENT_WRONG),
      });
    }
  };
}
