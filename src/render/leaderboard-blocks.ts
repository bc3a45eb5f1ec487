import type { types } from '@slack/bolt';
import type { Grouping, Leaderboard, LeaderboardRow } from '../domain/leaderboard.ts';
import { actions, context, header, linesInSections, section } from './block-parts.ts';
import { changeAgainst, formatCount, rowChange } from './change-wording.ts';
import { escapeMrkdwn, truncate } from './escape.ts';
import { viewControls } from './report-actions.ts';
import { assignments, exportButtons, type SlackMessage } from './report-blocks.ts';
import { COUNTING_RULE, describeFilters } from './wording.ts';
import { describeRangeZone } from './zone-wording.ts';

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

/** "*Mei Tan* — 110 · 55% · +3 (+25%)"; today in By day: "*Thu 26 Nov 2026* so far — 5 · 10% · −2 (−29%)". */
function rowLine(grouping: Grouping, r: LeaderboardRow): string {
  const label = grouping === 'day' ? r.label : escapeMrkdwn(r.label);
  return `*${label}*${r.soFar ? ' _so far_' : ''} — ${formatCount(r.count)} · ${r.percent}% · ${rowChange(r.count, r.previous)}`;
}

/**
 * The same range and filters as the report, grouped: each agent, team, source or day with its count, share
 * and change against what it is compared with, then the other views and Export CSV.
 */
export function leaderboardMessage(board: Leaderboard): SlackMessage {
  const { range } = board;
  const shown = board.rows.slice(0, MAX_LEADERBOARD_ROWS);
  const rest = board.rows.slice(MAX_LEADERBOARD_ROWS);
  const restCount = rest.reduce((sum, r) => sum + r.count, 0);
  const lines = [
    ...shown.map((r) => rowLine(board.grouping, r)),
    ...(rest.length > 0
      ? [`_…and ${formatCount(rest.length)} more ${NOUNS[board.grouping]} with ${assignments(restCount)}_`]
      : []),
  ];
  const filters = describeFilters(board.filters, (v) => escapeMrkdwn(v));
  const against =
    board.grouping === 'day'
      ? 'each day against the same weekday a week earlier'
      : `against ${board.comparisonLabel}`;
  const blocks: KnownBlock[] = [
    header(`${TITLES[board.grouping]} · ${range.shortLabel}`),
    context(`${describeRangeZone(range)}${filters === 'none' ? '' : ` · Filters: ${filters}`}`),
    section(
      `*${assignments(board.total)}* · ${changeAgainst(board.total, board.previousTotal, board.comparisonLabel)}`,
    ),
    ...(board.total === 0 && board.previousTotal === 0
      ? [section('No assignments in this range or in what it is compared with.')]
      : linesInSections(lines)),
    context(`Count · share · change ${against}.`, COUNTING_RULE),
    ...actions([
      ...viewControls(board.command, board.grouping),
      ...(board.total > 0 ? exportButtons(board.command) : []),
    ]),
  ];
  const top = shown
    .filter((r) => r.count > 0)
    .slice(0, 5)
    .map((r) => `${escapeMrkdwn(r.label)} ${formatCount(r.count)} (${r.percent}%)`)
    .join(', ');
  return {
    text: truncate(
      `${TITLES[board.grouping]}, ${range.label}: ${formatCount(board.total)}.${top ? ` ${top}.` : ''}`,
      3000,
    ),
    blocks,
  };
}
