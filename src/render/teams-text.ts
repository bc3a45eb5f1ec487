import type { TeamOverview, TeamSummary } from '../store/team-queries.ts';
import { cleanName, MAX_NAME_LENGTH, truncate } from './escape.ts';
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

/** The teams overview as plain text for the local console: the same content as the Slack message. */
export function teamsText(overview: TeamOverview): string {
  const notice = emptyNotice(overview, name);
  const rows = overview.teams.flatMap((t) => t.agents.map((a) => name(a.agent.name)));
  const width = Math.max(UNASSIGNMENTS.length, ...rows.map((r) => r.length));
  const countWidth = Math.max(1, ...overview.teams.map((t) => String(t.total).length));
  const sections = [
    [
      `Teams — ${overview.range.label}, ${overview.range.zone}`,
      ...(overview.teamsAsked.length ? [`Teams asked for: ${overview.teamsAsked.map(name).join(', ')}`] : []),
      `Total: ${assignments(overview.total)} ${teamCount(overview)}`,
    ],
    notice ? [`! ${notice}`] : [],
    ...overview.teams.map((t) => teamLines(t, width, countWidth)),
    [COUNTING_RULE, TEAM_RULE, `Reproduce: ${cleanName(overview.command)}`],
  ];
  return `${sections
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join('\n'))
    .join('\n\n')}\n`;
}

/** "Support · 12 assignments", then each agent and the unassignments in aligned columns. */
function teamLines(team: TeamSummary, width: number, countWidth: number): string[] {
  const row = (label: string, count: number, note = '') =>
    `  ${label.padEnd(width)}  ${String(count).padStart(countWidth)}${note}`.trimEnd();
  return [
    team.team
      ? `${name(team.team.name)} · ${assignments(team.total)}`
      : `${NO_TEAM} · ${assignments(team.total)}`,
    ...(team.team ? [] : [`  (${NO_TEAM_MEANING})`]),
    ...team.agents.map((a) =>
      row(name(a.agent.name), a.count, a.nowIn ? `  (now in ${name(a.nowIn.name)})` : ''),
    ),
    ...(team.unassigned > 0 ? [row(UNASSIGNMENTS, team.unassigned)] : []),
  ];
}

function name(text: string): string {
  return truncate(cleanName(text), MAX_NAME_LENGTH);
}
