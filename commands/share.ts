import { errorMessage } from '../src/render/report-blocks.ts';
import { answerReport, type ReportAnswer } from '../src/reports/answer-report.ts';
import { answerButton } from './answer-button.ts';
import { answerFailure, type CommandDeps } from './deps.ts';
import { toMessage } from './to-message.ts';

const COMMAND_PREFIX = /^\/assignments\s*/;

/**
 * The "Share to channel" button: runs the report again from the command in the button's value (so the
 * numbers are current and the permission is checked again) and posts it visibly; the original stays private.
 * A press after the response_url expired is posted to the channel directly (respond-or-post.ts).
 */
export function shareAction(deps: CommandDeps) {
  return answerButton(deps, { replaceWhenNotAllowed: false }, async ({ userId, value, client, send }) => {
    let answer: ReportAnswer;
    try {
      // Shared for the whole channel: the report's heading names its zone; a note about "your" zone would not fit.
      const { zone } = await deps.userZone(userId, client);
      answer = await answerReport(deps, { text: value.replace(COMMAND_PREFIX, ''), zone, now: deps.now() });
    } catch (error) {
      await send(errorMessage(answerFailure(deps.logger, `sharing "${value}" failed for ${userId}`, error)));
      return;
    }
    // Only a report is shared, saying at its top who shared it; a command that no longer reads (an error) is
    // told to the one who pressed.
    if (answer.kind !== 'report') {
      await send(toMessage(answer, { shareable: false }));
      return;
    }
    await send(toMessage(answer, { shareable: false, sharedBy: userId }), { visibility: 'in_channel' });
  });
}
