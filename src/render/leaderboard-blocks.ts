import type { types } from '@slack/bolt';
import { type Grouping, type Leaderboard, rowChange } from '../domain/leaderboard.ts';
import { changeAgainstPrevious } from '../domain/report.ts';
import { formatDate } from '../domain/time.ts';
import { actions, context, header, linesInSections, section } from './block-parts.ts';
import { escapeMrkdwn, truncate } from './escape.ts';
import { viewButtons } from './report-actions.ts';
import { exportButtons, type SlackMessage } from './report-blocks.ts';
import { COUNTING_RULE, describeFilters } from './wording.ts';

type KnownBlock = types.KnownBlock;

/** Rows a leaderboard lists; the rest are summed in one line (a range has at most 400 days, so days all show). */
export const MAX_LEADERBOARD_ROWS = 400;

const TITLES: Readonly<Record<Grouping, string>> = {
  agent: 'Assignments by agent',
  team: 'Assignments by team',
  source: 'Assignments by source',
  day: 'Assignments by day',
};

const NOUNS: Readonly<Record<Grouping, string>> = {
  agent: 'agents',
  team: 'teams',
  source: 'sources',
  day: 'days',
};

/**
 * The same range and filters as the report, grouped: each agent, team, source or day with its count, share
 * and change against the previous period, then the other views and Export CSV.
 */
export function leaderboardMessage(board: Leaderboard): SlackMessage {
  const { range } = board;
  const shown = board.rows.slice(0, MAX_LEADERBOARD_ROWS);
  const rest = board.rows.slice(MAX_LEADERBOARD_ROWS);
  const restCount = rest.reduce((sum, r) => sum + r.count, 0);
  const lines = [
    ...shown.map(
      (r) =>
        `*${board.grouping === 'day' ? r.label : escapeMrkdwn(r.label)}* — ${r.count} · ${r.percent}% · ${rowChange(r.count, r.previous)}`,
    ),
    ...(rest.length > 0
      ? [`_…and ${rest.length} more ${NOUNS[board.grouping]} with ${restCount} assignments_`]
      : []),
  ];
  const previous = `${formatDate(range.previous.firstDay, 'D MMM YYYY')} – ${formatDate(range.previous.lastDay, 'D MMM YYYY')}`;
  const blocks: KnownBlock[] = [
    header(TITLES[board.grouping]),
    section(
      `*${range.label}, ${range.zone}*\nFilters: ${describeFilters(board.filters, (v) => escapeMrkdwn(v))}`,
    ),
    section(
      `*${board.total} ${board.total === 1 ? 'assignment' : 'assignments'}* · ${changeAgainstPrevious(board)}`,
    ),
    ...(board.total === 0 && board.previousTotal === 0
      ? [section('No assignments in this range or the one before.')]
      : linesInSections(lines)),
    context(
      `Count · share · change against the previous ${range.days === 1 ? 'day' : `${range.days} days`} (${previous}).`,
      COUNTING_RULE,
    ),
    ...actions([...viewButtons(board.command, board.grouping), ...exportButtons(board.command)]),
  ];
  const top = shown
    .filter((r) => r.count > 0)
    .slice(0, 5)
    .map((r) => `${escapeMrkdwn(r.label)} ${r.count} (${r.percent}%)`)
    .join(', ');
  return {
    text: truncate(
      `${TITLES[board.grouping]}, ${range.label}, ${range.zone}: ${board.total}.${top ? ` ${top}.` : ''}`,
      3000,
    ),
    blocks,
  };
}
