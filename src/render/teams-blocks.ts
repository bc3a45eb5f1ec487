import type { types } from '@slack/bolt';
import type { AgentCount, TeamOverview, TeamSummary } from '../store/team-queries.ts';
import { escapeEntities, escapeMrkdwn, truncate } from './escape.ts';
import type { SlackMessage } from './report-blocks.ts';
import {
  assignments,
  emptyNotice,
  NO_TEAM,
  NO_TEAM_MEANING,
  TEAM_RULE,
  teamCount,
  UNASSIGNMENTS,
} from './teams-wording.ts';
import { COUNTING_RULE } from './wording.ts';

type KnownBlock = types.KnownBlock;

// Block Kit limits.
export const MAX_BLOCKS = 50;
export const MAX_TEXT = 3000;
const MAX_SHOWN_COMMAND = 1000;
/** Header, range, notice and footer; the rest of the 50 blocks is for teams. */
const FIXED_BLOCKS = 4;
/** Past this many teams, each team is one compact paragraph and several share a section. */
export const MAX_TEAM_SECTIONS = MAX_BLOCKS - FIXED_BLOCKS;
/** A compact team paragraph is cut here, so one large team cannot crowd out the others. */
const MAX_COMPACT_TEAM = 600;

/** The teams overview as a Slack message: each team with its agents and their counts, then "No team". */
export function teamsMessage(overview: TeamOverview): SlackMessage {
  const notice = emptyNotice(overview, (v) => escapeMrkdwn(v));
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Teams' } },
    section(summaryText(overview)),
    ...(notice ? [section(`:information_source: ${notice}`)] : []),
    ...teamBlocks(overview.teams),
    footer(overview),
  ];
  return { text: fallbackText(overview), blocks };
}

function summaryText(overview: TeamOverview): string {
  const asked = overview.teamsAsked.length
    ? `\nTeams asked for: ${overview.teamsAsked.map((t) => escapeMrkdwn(t)).join(', ')}`
    : '';
  return `*${overview.range.label}, ${overview.range.zone}*${asked}\n*${assignments(overview.total)}* ${teamCount(overview)}`;
}

/** One section per team while they fit in the block budget; beyond it, compact paragraphs packed together. */
function teamBlocks(teams: readonly TeamSummary[]): KnownBlock[] {
  if (teams.length <= MAX_TEAM_SECTIONS) return teams.map((t) => section(teamText(t)));
  const paragraphs = teams.map(compactTeamText);
  // One block is kept for the "and N more" line.
  const packed = pack(paragraphs, MAX_TEAM_SECTIONS - 1, MAX_TEXT);
  const rest = teams.length - packed.used;
  return [
    ...packed.sections.map(section),
    ...(rest > 0
      ? [section(`…and ${rest} more ${rest === 1 ? 'team' : 'teams'}: add \`team:\` to see one.`)]
      : []),
  ];
}

function teamName(team: TeamSummary): string {
  return team.team ? `*${escapeMrkdwn(team.team.name)}*` : `*${NO_TEAM}*`;
}

/**
 * "*Support* · 12 assignments" and one line per agent, "Mei Tan · 7", then unassignments; agents past the
 * 3,000-character limit are summed up as "…and N more agents".
 */
function teamText(team: TeamSummary): string {
  const head = [
    `${teamName(team)} · ${assignments(team.total)}`,
    ...(team.team ? [] : [`_${NO_TEAM_MEANING}_`]),
  ].join('\n');
  const lines = team.agents.map((a) => `${agentName(a)} · ${a.count}${movedNote(a)}`);
  const tail = team.unassigned > 0 ? [`_${UNASSIGNMENTS}_ · ${team.unassigned}`] : [];
  return fitLines({ head, headSeparator: '\n', lines, tail }, '\n', MAX_TEXT, (n) =>
    n === 1 ? '…and 1 more agent' : `…and ${n} more agents`,
  );
}

/** "*Support* · 12 — Mei Tan 7, John Doe 5, _Unassignments_ 1", cut with "and N more". */
function compactTeamText(team: TeamSummary): string {
  const head = `${teamName(team)} · ${team.total}`;
  const lines = team.agents.map((a) => `${agentName(a)} ${a.count}`);
  const tail = team.unassigned > 0 ? [`_${UNASSIGNMENTS}_ ${team.unassigned}`] : [];
  return fitLines(
    { head, headSeparator: ' — ', lines, tail },
    ', ',
    MAX_COMPACT_TEAM,
    (n) => `and ${n} more`,
  );
}

function agentName(a: AgentCount): string {
  return escapeMrkdwn(a.agent.name);
}

function movedNote(a: AgentCount): string {
  return a.nowIn ? ` _(now in ${escapeMrkdwn(a.nowIn.name)})_` : '';
}

/**
 * `head`, then as many `lines` as fit in `max` characters, then "and N more" for the rest, then `tail`
 * (short lines that are always kept).
 */
function fitLines(
  text: { head: string; headSeparator: string; lines: readonly string[]; tail: readonly string[] },
  separator: string,
  max: number,
  more: (n: number) => string,
): string {
  const { head, headSeparator, lines, tail } = text;
  const joined = (kept: readonly string[], cut: number): string => {
    const body = [...kept, ...(cut > 0 ? [more(cut)] : []), ...tail];
    return body.length ? `${head}${headSeparator}${body.join(separator)}` : head;
  };
  const whole = joined(lines, 0);
  if (whole.length <= max) return whole;
  // Reserving the longest "and N more" (every line cut) keeps any shorter one within the limit too.
  const fixed = [head, headSeparator, more(lines.length), ...tail.map((l) => separator + l)].join('').length;
  let room = max - fixed;
  let kept = 0;
  for (const line of lines) {
    room -= line.length + separator.length;
    if (room < 0) break;
    kept++;
  }
  return truncate(joined(lines.slice(0, kept), lines.length - kept), max);
}

/** Paragraphs packed into at most `maxSections` texts of at most `max` characters, in order. */
function pack(
  paragraphs: readonly string[],
  maxSections: number,
  max: number,
): { sections: string[]; used: number } {
  const sections: string[] = [];
  let used = 0;
  for (const p of paragraphs) {
    const last = sections.length - 1;
    const current = sections[last];
    if (current !== undefined && current.length + 1 + p.length <= max) sections[last] = `${current}\n${p}`;
    else if (sections.length < maxSections) sections.push(truncate(p, max));
    else break;
    used++;
  }
  return { sections, used };
}

function footer(overview: TeamOverview): KnownBlock {
  const command = truncate(overview.command, MAX_SHOWN_COMMAND).replaceAll('`', "'");
  return {
    type: 'context',
    elements: [mrkdwn(`${COUNTING_RULE} ${TEAM_RULE}`), mrkdwn(`Reproduce: \`${escapeEntities(command)}\``)],
  };
}

/** The numbers in one plain line, for notifications; no outside names. */
function fallbackText(overview: TeamOverview): string {
  return truncate(
    `Teams, ${overview.range.label}, ${overview.range.zone}: ${assignments(overview.total)} ${teamCount(overview)}.`,
    MAX_TEXT,
  );
}

function section(text: string): KnownBlock {
  return { type: 'section', text: mrkdwn(text) };
}

function mrkdwn(text: string): { type: 'mrkdwn'; text: string } {
  return { type: 'mrkdwn', text: truncate(text, MAX_TEXT) };
}
