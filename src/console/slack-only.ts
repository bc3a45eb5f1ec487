import { isExportCommand } from '../domain/export.ts';
import { isDigestCommand } from '../domain/parse-digest-command.ts';

/** What the console says to a subcommand that only makes sense in Slack (a file in a DM, a channel digest). */
export function slackOnlyAnswer(text: string): string | undefined {
  if (isExportCommand(text))
    return 'Exports arrive as a file in a Slack DM, so they run in Slack only. Here every report shows its latest log rows.';
  if (isDigestCommand(text))
    return 'Digests are posted to Slack channels, so they are managed in Slack only: `/assignments digest add #channel team:Support at 09:00`.';
  return undefined;
}
