import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { errorMessage, type SlackMessage } from '../src/render/report-blocks.ts';
import { answerReport, type ReportAnswer } from '../src/reports/answer-report.ts';
import { yieldToPendingIo } from '../src/slack/yield-to-pending-io.ts';
import { type CommandDeps, isAllowed, NOT_ALLOWED, SOMETHING_WENT_WRONG } from './deps.ts';
import { respondOrPost } from './respond-or-post.ts';
import { toMessage } from './to-message.ts';

const COMMAND_PREFIX = /^\/assignments\s*/;

/**
 * The "Share to channel" button: runs the report again from the command in the button's value (so the
 * numbers are current and the permission is checked again) and posts it visibly; the original stays private.
 * A press after the response_url expired is posted to the channel directly (respond-or-post.ts).
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
    const send = (message: SlackMessage, visibility: 'ephemeral' | 'in_channel') =>
      respondOrPost({
        respond,
        client,
        channelId: body.channel?.id,
        userId,
        logger: deps.logger,
        message,
        replaceOriginal: false,
        visibility,
      });
    if (!isAllowed(deps, userId)) {
      await send(errorMessage(NOT_ALLOWED), 'ephemeral');
      return;
    }
    let answer: ReportAnswer;
    try {
      const zone = await deps.userZone(userId, client);
      const text = (action.value ?? '').replace(COMMAND_PREFIX, '');
      answer = await answerReport(deps, { text, zone, now: deps.now() });
    } catch (error) {
      deps.logger.error(`sharing "${action.value ?? ''}" failed for ${userId}`, error);
      await send(errorMessage(SOMETHING_WENT_WRONG), 'ephemeral');
      return;
    }
    const message = toMessage(answer, { shareable: false });
    // Only a report is shared; a command that no longer reads (an error) is told to the one who pressed.
    if (answer.kind !== 'report') {
      await send(message, 'ephemeral');
      return;
    }
    await send(
      {
        text: message.text,
        blocks: [
          ...message.blocks,
          { type: 'context', elements: [{ type: 'mrkdwn', text: `Shared by <@${userId}>` }] },
        ],
      },
      'in_channel',
    );
  };
}
