import type { AllMiddlewareArgs, App, BlockButtonAction, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { SHARE_ACTION_ID } from '../src/render/report-blocks.ts';
import { isTeamsCommand } from '../src/reports/answer-teams.ts';
import type { CommandDeps } from './deps.ts';
import { reportCommand } from './report.ts';
import { shareAction } from './share.ts';
import { type TeamsCommandDeps, teamsCommand } from './teams.ts';

export const SLASH_COMMAND = '/assignments';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
type Route = { matches: (text: string) => boolean; handle: (args: CommandArgs) => Promise<void> };

/** The one place that registers Slack listeners. */
export function registerCommands(app: App, deps: CommandDeps & TeamsCommandDeps): void {
  // One slash command; its first words pick the subcommand, and anything else is a report.
  const routes: Route[] = [{ matches: isTeamsCommand, handle: teamsCommand(deps) }];
  const report = reportCommand(deps);
  app.command(SLASH_COMMAND, (args) =>
    (routes.find((r) => r.matches(args.command.text))?.handle ?? report)(args),
  );
  app.action<BlockButtonAction>(SHARE_ACTION_ID, shareAction(deps));
}
