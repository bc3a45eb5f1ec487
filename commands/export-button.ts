import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { errorMessage, type SlackMessage } from '../src/render/report-blocks.ts';
import { yieldToPendingIo } from '../src/slack/yield-to-pending-io.ts';
import { isAllowed, NOT_ALLOWED } from './deps.ts';
import { respondOrPost } from './respond-or-post.ts';
import { type ExportCommandDeps, startExport } from './start-export.ts';

/**
 * The Export CSV button on a report or one of its views: exports what it covers, from the reproducing command in
 * the button's value (so the permission is checked again and the rows are current). The message the button is
 * on stays as it was; replies are new private messages, posted with chat.postEphemeral when the press came
 * after its response_url expired.
 */
export function exportButton(deps: ExportCommandDeps) {
  return async ({
    ack,
    body,
    action,
    respond,
    client,
  }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    await yieldToPendingIo();
    const userId = body.user.id;
    const reply = (message: SlackMessage) =>
      respondOrPost({
        respond,
        client,
        channelId: body.channel?.id,
        userId,
        logger: deps.logger,
        message,
        replaceOriginal: false,
      });
    if (!isAllowed(deps, userId)) {
      await reply(errorMessage(NOT_ALLOWED));
      return;
    }
    await startExport(deps, { userId, text: action.value ?? '', client, reply });
  };
}
