import type { AllMiddlewareArgs, App, BlockButtonAction, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { isExportCommand } from '../src/domain/export.ts';
import { isDigestCommand } from '../src/domain/parse-digest-command.ts';
import { GROUP_MENU_ACTION_ID, VIEW_ACTION_IDS } from '../src/render/report-actions.ts';
import { EXPORT_ACTION_ID, SHARE_ACTION_ID } from '../src/render/report-blocks.ts';
import { isTeamsCommand } from '../src/reports/answer-teams.ts';
import { isTimelineCommand } from '../src/reports/answer-timeline.ts';
import type { ButtonOrMenuAction } from './answer-button.ts';
import type { CommandDeps } from './deps.ts';
import { type DigestRouteDeps, digestCommand } from './digest.ts';
import { exportCommand } from './export.ts';
import { exportButton } from './export-button.ts';
import { MAX_COMMAND_TEXT, refuseLongCommand } from './refuse-long-command.ts';
import { reportCommand } from './report.ts';
import { shareAction } from './share.ts';
import type { ExportCommandDeps } from './start-export.ts';
import { type TeamsCommandDeps, teamsCommand } from './teams.ts';
import { type TimelineCommandDeps, timelineCommand } from './timeline.ts';
import { type ViewCommandDeps, viewButton } from './view-button.ts';

export const SLASH_COMMAND = '/assignments';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
type Route = { matches: (text: string) => boolean; handle: (args: CommandArgs) => Promise<void> };

/** The one place that registers Slack listeners. */
export function registerCommands(
  app: App,
  deps: CommandDeps &
    TeamsCommandDeps &
    DigestRouteDeps &
    ExportCommandDeps &
    TimelineCommandDeps &
    ViewCommandDeps,
): void {
  // One slash command; its first words pick the subcommand, and anything else is a report.
  const routes: Route[] = [
    { matches: isTeamsCommand, handle: teamsCommand(deps) },
    { matches: isDigestCommand, handle: digestCommand(deps) },
    { matches: isExportCommand, handle: exportCommand(deps) },
    { matches: isTimelineCommand, handle: timelineCommand(deps) },
  ];
  const report = reportCommand(deps);
  const tooLong = refuseLongCommand(deps);
  app.command(SLASH_COMMAND, (args) =>
    // The length first: parsing 309 KB of text held the ack for 12.9 s; 4,000 characters cost microseconds.
    args.command.text.length > MAX_COMMAND_TEXT
      ? tooLong(args)
      : (routes.find((r) => r.matches(args.command.text))?.handle ?? report)(args),
  );
  app.action<BlockButtonAction>(SHARE_ACTION_ID, shareAction(deps));
  app.action<BlockButtonAction>(EXPORT_ACTION_ID, exportButton(deps));
  // Report, Log, By agent/team/source/day, Older, Newer and the By … menu: the view travels in the value.
  for (const id of [...VIEW_ACTION_IDS, GROUP_MENU_ACTION_ID])
    app.action<ButtonOrMenuAction>(id, viewButton(deps));
}
