import type { ExportPlan } from '../domain/export.ts';
import { formatInZone } from '../domain/time.ts';
import { escapeEntities, escapeMrkdwn, truncate } from './escape.ts';
import type { SlackMessage } from './report-blocks.ts';
import { describeFilters } from './wording.ts';

// What the requester reads about an export: the private "preparing" reply, the progress message in the DM,
// the comment the file arrives with, and what went wrong. Pure: the Slack side only sends these.

/** Why an export did not arrive; each says what to do next. */
export type ExportProblem =
  | { kind: 'too_large'; bytes: number; limit: number }
  /** A Web API call answered `ok: false` (`needed` names a missing scope). */
  | { kind: 'slack'; method: string; error: string; needed?: string | undefined }
  /** The file's bytes were refused at the upload URL. */
  | { kind: 'upload'; status: number }
  /** The process stopped (a deploy, a restart) before the file was sent. */
  | { kind: 'restart' }
  /** The store, the disk or a bug: logged with the detail. */
  | { kind: 'internal' };

const count = (n: number): string => n.toLocaleString('en-US');
const rowsWord = (n: number): string => `${count(n)} ${n === 1 ? 'row' : 'rows'}`;

/** The command, for copying: entities escaped, backticks (which would end the code span) made quotes. */
const commandCode = (plan: ExportPlan): string => `\`${escapeEntities(plan.command.replaceAll('`', "'"))}\``;

const filtersLine = (plan: ExportPlan): string => describeFilters(plan.filters, (v) => escapeMrkdwn(v));

/** "Yesterday, Wed 25 Nov 2026 (2026-11-25 00:00 +08:00 to 2026-11-26 00:00 +08:00, Asia/Kuala_Lumpur)" */
export function exportRangeText(plan: ExportPlan): string {
  const at = (instant: Date) => formatInZone(instant, plan.zone, 'YYYY-MM-DD HH:mm Z');
  return `${plan.range.label} (${at(plan.range.from)} to ${at(plan.range.to)}, ${plan.zone})`;
}

const MAX_SECTION = 3000;

/** A private reply as a message: the text, and one section showing it. */
export function exportReply(text: string): SlackMessage {
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: truncate(text, MAX_SECTION) } }] };
}

/** The private reply at once, before any work. */
export function preparingText(plan: ExportPlan): string {
  return (
    `Preparing your export of the assignments log, ${plan.range.label} (filters: ${filtersLine(plan)})… ` +
    "I'll DM you the file."
  );
}

/** The DM message while rows are written, updated every few seconds. */
export function progressText(plan: ExportPlan, rows: number): string {
  return `:hourglass_flowing_sand: Exporting the assignments log, ${plan.range.label}… ${rowsWord(rows)} written so far.`;
}

/** The progress message once the file is sent. */
export function doneText(plan: ExportPlan, rows: number): string {
  return `:white_check_mark: Export of ${plan.range.label} ready: ${rowsWord(rows)}. The file is below.`;
}

/** Nothing matched: no file is sent, and this says so. */
export function emptyExportText(plan: ExportPlan): string {
  return (
    `No assignments match ${commandCode(plan)} (${exportRangeText(plan)}; filters: ${filtersLine(plan)}), ` +
    'so there is no file to send. Try a longer range or fewer filters.'
  );
}

/** A file size as people say it: 4 KB, 130 MB, 1.2 GB. */
function size(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${Number((bytes / 1024 ** 3).toFixed(1))} GB`;
  if (bytes >= 1024 ** 2) return `${Math.round(bytes / 1024 ** 2)} MB`;
  return `${Math.round(bytes / 1024)} KB`;
}

/** What went wrong, and what to do about it. */
export function exportFailedText(plan: ExportPlan, problem: ExportProblem): string {
  const what = `:warning: Your export ${commandCode(plan)} did not arrive:`;
  switch (problem.kind) {
    case 'too_large':
      return `${what} the file would be ${size(problem.bytes)}, over Slack's ${size(problem.limit)} limit for one file. Export a shorter range or add filters, e.g. one month at a time.`;
    case 'slack':
      if (problem.error === 'missing_scope')
        return `${what} Slack refused \`${problem.method}\` because the app lacks the ${problem.needed ? `\`${problem.needed}\`` : 'needed'} scope. Ask a Slack admin to add it (manifest.yml lists every scope) and reinstall the app, then try again.`;
      if (problem.error === 'no_answer')
        return `${what} Slack did not answer \`${problem.method}\` in time. Try again in a few minutes${problem.method === 'files.completeUploadExternal' ? ' (if the file turns up here after all, it is complete)' : ''}; if it keeps happening, tell whoever runs Handoff (it is logged).`;
      if (problem.error === 'ratelimited')
        return `${what} Slack asked Handoff to slow down (rate limited) at \`${problem.method}\`. Try again in a minute.`;
      if (/^http_\d+$/.test(problem.error))
        return `${what} Slack answered HTTP ${problem.error.slice(5)} to \`${problem.method}\` (a problem on Slack's side). Try again in a few minutes; if it keeps happening, check status.slack.com.`;
      return `${what} Slack answered \`${escapeEntities(problem.error)}\` to \`${problem.method}\`. Try again in a few minutes; if it keeps happening, tell whoever runs Handoff (it is logged).`;
    case 'upload':
      return `${what} Slack did not accept the file's bytes (HTTP ${problem.status}). Try again in a few minutes.`;
    case 'restart':
      return `${what} stopped by a restart: run it again (Handoff is back within a minute).`;
    case 'internal':
      return `${what} something went wrong while writing the file. It has been logged; try again in a few minutes, or export a shorter range.`;
  }
}

/** The comment the file arrives with: what it holds, and how to get it again. */
export function exportComment(plan: ExportPlan, rows: number): string {
  return [
    `*Assignments log export*: ${rowsWord(rows)}, oldest first.`,
    `Range: ${exportRangeText(plan)}`,
    `Filters: ${filtersLine(plan)}`,
    `Timestamps are in ${plan.zone} with their UTC offset. The last column, Event ID, lets \`npm run import\` recognise every row, so importing this file adds nothing already stored.`,
    `Reproduce: ${commandCode(plan)}`,
  ].join('\n');
}

/** `assignments-2026-11-25.csv`, `assignments-2026-11-01-to-2026-11-15.csv` */
export function exportFilename(plan: ExportPlan): string {
  const { firstDay, lastDay } = plan.range;
  return `assignments-${firstDay === lastDay ? firstDay : `${firstDay}-to-${lastDay}`}.csv`;
}

/** The file's title in Slack. */
export function exportTitle(plan: ExportPlan): string {
  return `Assignments log, ${plan.range.label} (${plan.zone})`;
}
