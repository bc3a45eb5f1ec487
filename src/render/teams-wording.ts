// Words that the teams message and its console text share, so the two never drift apart.
import type { TeamOverview } from '../store/team-queries.ts';

export const NO_TEAM = 'No team';
export const UNASSIGNMENTS = 'Unassignments';

export const TEAM_RULE =
  "An assignment counts for the assignee's team when it arrived (an unassignment for the previous assignee's); moving an agent later does not change past counts.";

export const NO_TEAM_MEANING = 'assignees who were not in the directory when these arrived';

export const NO_DIRECTORY =
  'No teams yet. Import the directory with `npm run import:agents -- agents.csv` or `POST /api/agents` (Agent ID, Agent Name, Team).';

/** "1 assignment", "12 assignments". */
export function assignments(count: number): string {
  return `${count} ${count === 1 ? 'assignment' : 'assignments'}`;
}

/** "in 3 teams": the directory's and the events' teams, not counting "No team". */
export function teamCount(overview: TeamOverview): string {
  const n = overview.teams.filter((t) => t.team !== null).length;
  return `in ${n} ${n === 1 ? 'team' : 'teams'}`;
}

/** Why the overview is empty, or nothing when it is not; `show` makes each typed team name safe. */
export function emptyNotice(overview: TeamOverview, show: (value: string) => string): string | undefined {
  if (overview.teams.length > 0) return undefined;
  if (overview.teamsAsked.length === 0) return NO_DIRECTORY;
  return `No team matches ${overview.teamsAsked.map(show).join(', ')} (by id or name). \`/assignments teams\` lists them all.`;
}
