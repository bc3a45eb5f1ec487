import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { errorMessage } from '../src/render/report-blocks.ts';
import { teamsMessage } from '../src/render/teams-blocks.ts';
import { answerTeams, type TeamsDeps } from '../src/reports/answer-teams.ts';
import { yieldToPendingIo } from '../src/slack/yield-to-pending-io.ts';
import { type CommandDeps, isAllowed, NOT_ALLOWED, SOMETHING_WENT_WRONG } from './deps.ts';

export type TeamsCommandDeps = Omit<CommandDeps, 'store'> & TeamsDeps;

/** `/assignments teams [team:…]`: ack at once, then answer privately with each team's agents and counts. */
export function teamsCommand(deps: TeamsCommandDeps) {
  return async ({
    command,
    ack,
    respond,
    client,
  }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    await yieldToPendingIo();
    if (!isAllowed(deps, command.user_id)) {
      await respond({ response_type: 'ephemeral', ...errorMessage(NOT_ALLOWED) });
      return;
    }
    try {
      const zone = await deps.userZone(command.user_id, client);
      const answer = await answerTeams(deps, { text: command.text, zone, now: deps.now() });
      const message = answer.kind === 'error' ? errorMessage(answer.message) : teamsMessage(answer.overview);
      await respond({ response_type: 'ephemeral', ...message });
    } catch (error) {
      deps.logger.error(`/assignments "${command.text}" failed for ${command.user_id}`, error);
      await respond({ response_type: 'ephemeral', ...errorMessage(SOMETHING_WENT_WRONG) });
    }
  };
}
