import type { App, BlockButtonAction } from '@slack/bolt';
import { SHARE_ACTION_ID } from '../src/render/report-blocks.ts';
import type { CommandDeps } from './deps.ts';
import { reportCommand } from './report.ts';
import { shareAction } from './share.ts';

export const SLASH_COMMAND = '/assignments';

/** The one place that registers Slack listeners. */
export function registerCommands(app: App, deps: CommandDeps): void {
  app.command(SLASH_COMMAND, reportCommand(deps));
  app.action<BlockButtonAction>(SHARE_ACTION_ID, shareAction(deps));
}
