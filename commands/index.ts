import type { App, BlockButtonAction } from '@slack/bolt';
import { SHARE_ACTION_ID } from '../src/render/report-blocks.ts';
import { isTeamsCommand } from '../src/reports/answer-teams.ts';
import type { CommandDeps } from './deps.ts';
import { reportCommand } from './report.ts';
import { shareAction } from './share.ts';
import { type TeamsCommandDeps, teamsCommand } from './teams.ts';

export const SLASH_COMMAND = '/assignments';

/** The one place that registers Slack listeners. */
export function registerCommands(app: App, deps: CommandDeps & TeamsCommandDeps): void {
  const report = reportCommand(deps);
  const teams = teamsCommand(deps);
  // One slash command; its first word picks the subcommand.
  app.command(SLASH_COMMAND, (args) => (isTeamsCommand(args.command.text) ? teams(args) : report(args)));
  app.action<BlockButtonAction>(SHARE_ACTION_ID, shareAction(deps));
}
