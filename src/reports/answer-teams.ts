import { filtersText, hasFilters, NO_FILTERS } from '../domain/filters.ts';
import { parseReportCommand } from '../domain/parse-command.ts';
import { resolveRange } from '../domain/range.ts';
import { teamsText } from '../render/teams-text.ts';
import type { AssignmentStore } from '../store/assignment-store.ts';
import type { TeamOverview } from '../store/team-queries.ts';

export type TeamsAnswer = { kind: 'error'; message: string } | { kind: 'teams'; overview: TeamOverview };

export interface TeamsDeps {
  store: Pick<AssignmentStore, 'agents'>;
}

/** The overview always covers the last 30 days, counted in the requester's zone. */
export const TEAMS_DAYS = 30;

const TEAMS_WORD = /^\s*teams(?:\s|$)/i;

/** True when `/assignments` text asks for the teams overview (its first word is `teams`). */
export function isTeamsCommand(text: string): boolean {
  return TEAMS_WORD.test(text);
}

const USAGE = 'Use `/assignments teams`, or `/assignments teams team:Support` for one team.';

/**
 * Turns `teams [team:…]` into the teams overview for a zone at `now`; shared by Slack and the console.
 * Anything but `team:` is refused with the usage, since the overview has one fixed range.
 */
export async function answerTeams(
  deps: TeamsDeps,
  input: { text: string; zone: string; now: Date },
): Promise<TeamsAnswer> {
  const rest = input.text.replace(TEAMS_WORD, ' ');
  const parsed = parseReportCommand(rest);
  if (!parsed.ok) return { kind: 'error', message: `${parsed.error} ${USAGE}` };
  if (parsed.rangeGiven)
    return {
      kind: 'error',
      message: `The teams overview always covers the last ${TEAMS_DAYS} days. ${USAGE}`,
    };
  const teamsAsked = parsed.filters.teams;
  if (hasFilters({ ...parsed.filters, teams: [] }))
    return { kind: 'error', message: `The teams overview takes only \`team:\`. ${USAGE}` };
  const range = resolveRange({ kind: 'last_days', days: TEAMS_DAYS }, input.now, input.zone);
  const teams = await deps.store.agents.overview({ from: range.from, to: range.to }, teamsAsked);
  return {
    kind: 'teams',
    overview: {
      range,
      teamsAsked,
      teams,
      total: teams.reduce((sum, t) => sum + t.total, 0),
      command: ['/assignments teams', filtersText({ ...NO_FILTERS, teams: teamsAsked })]
        .filter(Boolean)
        .join(' '),
    },
  };
}

/** The teams overview as console text, or `Error: …`; for the local console. */
export async function answerTeamsText(
  deps: TeamsDeps,
  input: { text: string; zone: string; now: Date },
): Promise<string> {
  const answer = await answerTeams(deps, input);
  return answer.kind === 'error' ? `Error: ${answer.message}` : teamsText(answer.overview);
}
