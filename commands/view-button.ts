import { decodeButtonState } from '../src/domain/button-state.ts';
import { namesZone } from '../src/domain/parse-command.ts';
import { leaderboardMessage } from '../src/render/leaderboard-blocks.ts';
import { logMessage } from '../src/render/log-blocks.ts';
import { errorMessage, type SlackMessage } from '../src/render/report-blocks.ts';
import { severalContactsMessage, timelineMessage } from '../src/render/timeline-blocks.ts';
import { withZoneNote } from '../src/render/zone-note.ts';
import { answerView, type ViewAnswer, type ViewDeps } from '../src/reports/answer-view.ts';
import { answerButton } from './answer-button.ts';
import { answerFailure, type CommandDeps } from './deps.ts';
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
  return answerButton(
    deps,
    { replaceWhenNotAllowed: true },
    async ({ userId, actionId, value, client, send }) => {
      const decoded = decodeButtonState(value);
      if (!decoded.ok) {
        deps.logger.warn(`unreadable button value from ${userId} (${actionId}): ${value}`);
        await send(errorMessage(decoded.error));
        return;
      }
      let answer: ViewAnswer;
      let fellBackTo: string | undefined;
      try {
        const { zone, fellBack } = await deps.userZone(userId, client);
        if (fellBack && !namesZone(decoded.state.command)) fellBackTo = zone;
        answer = await answerView(deps, { state: decoded.state, zone, now: deps.now() });
      } catch (error) {
        const context = `button ${actionId} "${value}" failed for ${userId}`;
        await send(errorMessage(answerFailure(deps.logger, context, error)));
        return;
      }
      const failed =
        answer.kind === 'error' ||
        answer.kind === 'several' ||
        (answer.kind === 'report' && answer.answer.kind !== 'report');
      const message = viewMessage(answer);
      await send(fellBackTo === undefined ? message : withZoneNote(message, fellBackTo), {
        replaceOriginal: !failed,
      });
    },
  );
}
