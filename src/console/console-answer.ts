import type { ChartPublisher } from '../charts/chart-publisher.ts';
import { answerReport } from '../reports/answer-report.ts';
import { answerTeamsText, isTeamsCommand } from '../reports/answer-teams.ts';
import { answerTimelineText, isTimelineCommand } from '../reports/answer-timeline.ts';
import type { AssignmentStore } from '../store/assignment-store.ts';
import { answerText } from './run-console.ts';
import { slackOnlyAnswer } from './slack-only.ts';

/**
 * The console's answer to one line, routed as the slash command routes it: a Slack-only subcommand is
 * explained, `teams` and a timeline get theirs, anything else is a report. Errors start with `Error: `.
 */
export function createConsoleAnswer(deps: {
  store: AssignmentStore;
  charts: ChartPublisher;
  zone: string;
  now: () => Date;
}): (text: string) => Promise<string> {
  return async (text) => {
    const input = { text, zone: deps.zone, now: deps.now() };
    const slackOnly = slackOnlyAnswer(text);
    if (slackOnly) return slackOnly;
    if (isTeamsCommand(text)) return answerTeamsText({ store: deps.store }, input);
    if (isTimelineCommand(text)) return answerTimelineText({ store: deps.store }, input);
    return answerText(await answerReport({ store: deps.store, charts: deps.charts }, input));
  };
}
