import { errorMessage } from '../src/render/report-blocks.ts';
import { severalContactsMessage, timelineMessage } from '../src/render/timeline-blocks.ts';
import { answerTimeline, type TimelineDeps } from '../src/reports/answer-timeline.ts';
import { answerPrivately } from './answer-privately.ts';
import type { CommandDeps } from './deps.ts';

export type TimelineCommandDeps = Omit<CommandDeps, 'store'> & TimelineDeps;

/** `/assignments conversation:88231` or `contact:1234567` alone: that timeline's first page, privately. */
export function timelineCommand(deps: TimelineCommandDeps) {
  return answerPrivately(deps, async ({ text, zone }) => {
    const answer = await answerTimeline(deps, { text, zone, now: deps.now() });
    if (answer.kind === 'error') return errorMessage(answer.message);
    return answer.kind === 'several' ? severalContactsMessage(answer) : timelineMessage(answer);
  });
}
