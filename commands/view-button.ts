import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { decodeButtonState } from '../src/domain/button-state.ts';
import { leaderboardMessage } from '../src/render/leaderboard-blocks.ts';
import { logMessage } from '../src/render/log-blocks.ts';
import { errorMessage, type SlackMessage } from '../src/render/report-blocks.ts';
import { severalContactsMessage, timelineMessage } from '../src/render/timeline-blocks.ts';
import { answerView, type ViewAnswer, type ViewDeps } from '../src/reports/answer-view.ts';
import { yieldToPendingIo } from '../src/slack/yield-to-pending-io.ts';
import { type CommandDeps, isAllowed, NOT_ALLOWED, SOMETHING_WENT_WRONG } from './deps.ts';
import { respondOrPost } from './respond-or-post.ts';
import { toMessage } from './to-message.ts';

export type ViewCommandDeps = Omit<CommandDeps, 'store'> & ViewDeps;

function viewMessage(answer: ViewAnswer): SlackMessage {
  switch (answer.kind) {
    case 'error':
      return errorMessage(answer.message);
    case 'report':
      return toMessage(answer.answer, { shareable: true });
    case 'log':
      return logMessage(answer.log);
    case 'leaderboard':
      return leaderboardMessage(answer.leaderboard);
    case 'timeline':
      return timelineMessage(answer);
    case 'several':
      return severalContactsMessage(answer);
  }
}

/**
 * The Report, Log, By agent/team/source/day, Older and Newer buttons: reads the view and page from the button's
 * value, checks again that the user may see the data, re-runs it in their zone and replaces the message the
 * button is on. Errors come as a new message, leaving the old one; a response_url that expired is answered
 * with a fresh ephemeral message (respond-or-post.ts).
 */
export function viewButton(deps: ViewCommandDeps) {
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
    const send = (message: SlackMessage, replaceOriginal: boolean) =>
      respondOrPost({
        respond,
        client,
        channelId: body.channel?.id,
        userId,
        logger: deps.logger,
        message,
        replaceOriginal,
      });
    if (!isAllowed(deps, userId)) {
      // Replaced: someone taken off the list should not keep the numbers on screen either.
      await send(errorMessage(NOT_ALLOWED), true);
      return;
    }
    const decoded = decodeButtonState(action.value);
    if (!decoded.ok) {
      deps.logger.warn(`unreadable button value from ${userId} (${action.action_id}): ${action.value ?? ''}`);
      await send(errorMessage(decoded.error), false);
      return;
    }
    let answer: ViewAnswer;
    try {
      const zone = await deps.userZone(userId, client);
      answer = await answerView(deps, { state: decoded.state, zone, now: deps.now() });
    } catch (error) {
      deps.logger.error(`button ${action.action_id} "${action.value ?? ''}" failed for ${userId}`, error);
      await send(errorMessage(SOMETHING_WENT_WRONG), false);
      return;
    }
    const failed =
      answer.kind === 'error' ||
      answer.kind === 'several' ||
      (answer.kind === 'report' && answer.answer.kind !== 'report');
    await send(viewMessage(answer), !failed);
  };
}
