import { type ButtonState, commandWords, pinnedCommand } from '../domain/button-state.ts';
import { buildLeaderboard, type Leaderboard } from '../domain/leaderboard.ts';
import type { LogView } from '../domain/log-page.ts';
import { parseReportCommand } from '../domain/parse-command.ts';
import { resolveRange, weekEarlier } from '../domain/range.ts';
import type { AssignmentStore } from '../store/assignment-store.ts';
import { answerReport, type ReportAnswer, type ReportDeps } from './answer-report.ts';
import { answerTimeline, type TimelineAnswer } from './answer-timeline.ts';

export interface ViewDeps extends Omit<ReportDeps, 'store'> {
  store: Pick<AssignmentStore, 'report' | 'partiesIn' | 'agents' | 'timeline' | 'logPage' | 'groupCounts'>;
}

export type ViewAnswer =
  | { kind: 'error'; message: string }
  | { kind: 'report'; answer: ReportAnswer }
  | { kind: 'log'; log: LogView }
  | { kind: 'leaderboard'; leaderboard: Leaderboard }
  | Exclude<TimelineAnswer, { kind: 'error' }>;

/**
 * What a report's button shows, from the state its value carried: the report again, a page of its log, its
 * counts regrouped, or a page of a timeline; the range and filters are re-read from the pinned command in the
 * pressing user's zone (a `tz:` in the command wins), so the data is current and the days are the same.
 */
export async function answerView(
  deps: ViewDeps,
  input: { state: ButtonState; zone: string; now: Date },
): Promise<ViewAnswer> {
  const { state, now } = input;
  if (state.view === 'timeline')
    return answerTimeline(deps, { text: state.command, zone: input.zone, now, page: state.page });
  const words = commandWords(state.command);
  if (state.view === 'report')
    return { kind: 'report', answer: await answerReport(deps, { text: words, zone: input.zone, now }) };
  const parsed = parseReportCommand(words);
  if (!parsed.ok) return { kind: 'error', message: parsed.error };
  const zone = parsed.zone ?? input.zone;
  const range = resolveRange(parsed.range, now, zone);
  const { filters } = parsed;
  const stateCommand = pinnedCommand(range, filters, parsed.zone);
  if (state.view === 'log') {
    const { page, rows } = await deps.store.logPage({ from: range.from, to: range.to }, filters, state.page);
    return { kind: 'log', log: { range, filters, page, rows, stateCommand } };
  }
  const grouping = state.view;
  // Days are compared with the same weekday a week earlier; everything else with the report's comparison.
  const compared = grouping === 'day' ? weekEarlier(range) : range.comparison;
  const [current, previous] = await Promise.all([
    deps.store.groupCounts({ from: range.from, to: range.to }, filters, grouping, zone),
    deps.store.groupCounts(compared, filters, grouping, zone),
  ]);
  return {
    kind: 'leaderboard',
    leaderboard: buildLeaderboard({ grouping, range, filters, current, previous, command: stateCommand }),
  };
}
