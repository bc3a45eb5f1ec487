import { errorMessage } from '../src/render/report-blocks.ts';
import { teamsMessage } from '../src/render/teams-blocks.ts';
import { answerTeams, type TeamsDeps } from '../src/reports/answer-teams.ts';
import { answerPrivately } from './answer-privately.ts';
import type { CommandDeps } from './deps.ts';

export type TeamsCommandDeps = Omit<CommandDeps, 'store'> & TeamsDeps;

/** `/assignments teams [team:…]`: each team's agents and their last-30-days counts, privately. */
export function teamsCommand(deps: TeamsCommandDeps) {
  return answerPrivately(deps, async ({ text, zone }) => {
    const answer = await answerTeams(deps, { text, zone, now: deps.now() });
    return answer.kind === 'error' ? errorMessage(answer.message) : teamsMessage(answer.overview);
  });
}
