import type { types } from '@slack/bolt';
import { MAX_BUTTON_VALUE, reportStateCommand } from '../domain/button-state.ts';
import type { Party } from '../domain/event.ts';
import type { LogRow, Report } from '../domain/report.ts';
import { SOURCE_LABELS } from '../domain/sources.ts';
import { formatInZone } from '../domain/time.ts';
import { actions, context, header, imageBlocks, MAX_TEXT, mrkdwn, section } from './block-parts.ts';
import { changeAgainst, formatCount } from './change-wording.ts';
import { type ChartImage, rankedShares } from './chart.ts';
import { escapeEntities, escapeMrkdwn, truncate } from './escape.ts';
import { viewControls } from './report-actions.ts';
import {
  COUNTING_RULE,
  describeFilters,
  HELP_EXAMPLES,
  HELP_FILTERS,
  HELP_NOTES,
  HELP_RANGES,
  HELP_USAGE,
  type HelpLine,
  LOG_ROWS,
  UNASSIGNED_NAME,
} from './wording.ts';
import { describeRangeZone } from './zone-wording.ts';

type KnownBlock = types.KnownBlock;

export interface SlackMessage {
  /** Plain fallback for notifications and clients that cannot show blocks. */
  text: string;
  blocks: KnownBlock[];
}

export interface ReportMessageOptions {
  chart: ChartImage | undefined;
  /** The report has a chart, but it could not be drawn or uploaded (logged): the message says so. */
  chartMissing?: boolean;
  /** Adds the buttons (Log, By agent, the By … menu, Export CSV, Share), for a report only its requester sees. */
  shareable: boolean;
  /** A report shared to a channel says who shared it, at its top. */
  sharedBy?: string;
}

export const SHARE_ACTION_ID = 'report_share';
/** The Export CSV button; its value is the report's reproducing command, as the Share button's. */
export const EXPORT_ACTION_ID = 'report_export';

// The reproducing command is shown for copying; a longer one is cut on screen (the button keeps it whole).
const MAX_SHOWN_COMMAND = 1000;

/**
 * The report as a Slack message, shortest path first: the range in the header, the total and its change,
 * the sources in one line, one chart, the buttons, then the latest log rows and the footer.
 */
export function reportMessage(report: Report, options: ReportMessageOptions): SlackMessage {
  const hasData = report.total > 0;
  const blocks: KnownBlock[] = [
    ...(options.sharedBy ? [context(`Shared by <@${options.sharedBy}>`)] : []),
    header(`Assignments · ${report.range.shortLabel}`),
    ...noticeBlocks(report),
    section(totalText(report)),
    context(scopeLine(report)),
    ...(hasData ? imageBlocks(options.chart) : []),
    ...(hasData && options.chartMissing
      ? [context('The chart could not be drawn here; it has been logged. The numbers above are complete.')]
      : []),
    ...(options.shareable ? actionBlocks(report) : []),
    ...(hasData ? logBlocks(report) : []),
    footer(report),
  ];
  return { text: fallbackText(report), blocks };
}

/** A short ephemeral error; the text is ours but may quote what the user typed. */
export function errorMessage(text: string): SlackMessage {
  const safe = escapeEntities(text);
  return { text: truncate(safe, MAX_TEXT), blocks: [section(`:warning: ${safe}`)] };
}

/** Usage of `/assignments`, with examples. */
export function helpMessage(): SlackMessage {
  const blocks: KnownBlock[] = [
    header('How to use /assignments'),
    section(`\`${HELP_USAGE}\``),
    section(`*Ranges*\n${helpLines(HELP_RANGES)}`),
    section(`*Filters*\n${helpLines(HELP_FILTERS)}`),
    section(HELP_NOTES.join('\n')),
    section(`*Examples*\n${HELP_EXAMPLES.map((e) => `\`${e}\``).join('\n')}`),
  ];
  return { text: `Usage: ${HELP_USAGE}. Try ${HELP_EXAMPLES.slice(1, 3).join(' or ')}.`, blocks };
}

function helpLines(lines: readonly HelpLine[]): string {
  return lines.map((l) => `\`${l.example}\` — ${l.meaning}`).join('\n');
}

/** "Kuala Lumpur time (UTC+8)", and the filters when there are some. */
function scopeLine(report: Report): string {
  const zone = describeRangeZone(report.range);
  const filters = describeFilters(report.filters, (v) => escapeMrkdwn(v));
  return filters === 'none' ? zone : `${zone} · Filters: ${filters}`;
}

function noticeBlocks(report: Report): KnownBlock[] {
  if (report.notices.length === 0) return [];
  // Notices are ours but quote the filters as typed, so only the entities need escaping.
  return [section(report.notices.map((n) => `:warning: ${escapeEntities(n)}`).join('\n'))];
}

/** "*111 assignments* · +14 (+14%) vs Mon 30 Nov (97)" and the sources in one line, most first. */
function totalText(report: Report): string {
  const total = `*${assignments(report.total)}* · ${changeAgainst(report.total, report.previousTotal, report.range.comparison.label)}`;
  const summary = sourceSummary(report);
  return summary ? `${total}\n${summary}` : total;
}

export function assignments(n: number): string {
  return `${formatCount(n)} ${n === 1 ? 'assignment' : 'assignments'}`;
}

/** "Workflow 39 (35%) · Bot 24 (22%) · …": the sources with assignments, most first. */
export function sourceSummary(report: Pick<Report, 'bySource'>): string {
  return rankedShares(report.bySource)
    .map((s) => `${s.label} ${formatCount(s.count)} (${s.percent}%)`)
    .join(' · ');
}

function logBlocks(report: Report): KnownBlock[] {
  const rows = report.latest.slice(0, LOG_ROWS);
  if (rows.length === 0) return [];
  const heading = `*Latest ${rows.length} of ${formatCount(report.total)}*`;
  const dates = logDates(report.range);
  return [
    { type: 'divider' },
    section(heading),
    ...rows.map((row) => section(logRowText(row, report.range.zone, dates))),
  ];
}

/** How much of the date a log row needs: the time alone within one day, the year across years. */
export type LogDates = 'time' | 'day' | 'year';

export function logDates(range: { firstDay: string; lastDay: string }): LogDates {
  if (range.firstDay === range.lastDay) return 'time';
  return range.firstDay.slice(0, 4) === range.lastDay.slice(0, 4) ? 'day' : 'year';
}

const WHEN_FORMATS: Readonly<Record<LogDates, string>> = {
  time: 'HH:mm',
  day: 'D MMM HH:mm',
  year: 'D MMM YYYY HH:mm',
};

/**
 * One log row in two short lines that fit a phone: "*26 Nov 08:15* · conv 88231 · Aisha Rahman" and
 * "John Doe → Mei Tan · Workflow · by Sarah Lee". Nobody is "Unassigned" on either side.
 */
export function logRowText(row: LogRow, zone: string, dates: LogDates): string {
  const first = [
    `*${formatInZone(row.timestamp, zone, WHEN_FORMATS[dates])}*`,
    ...(row.conversationId === null ? [] : [`conv ${escapeMrkdwn(row.conversationId)}`]),
    partyName(row.contact),
  ];
  const second = [
    `${holder(row.previousAssignee)} → ${holder(row.assignee)}`,
    SOURCE_LABELS[row.source],
    ...(row.assignedBy ? [`by ${escapeMrkdwn(row.assignedBy.name)}`] : []),
  ];
  return `${first.join(' · ')}\n${second.join(' · ')}`;
}

/** An assignee, or _Unassigned_ for nobody. */
export function holder(party: Party | null, max?: number): string {
  return party ? escapeMrkdwn(party.name, max) : `_${UNASSIGNED_NAME}_`;
}

/** The contact's name (its id when the sender gave no name): the id lives in the export and the timeline. */
function partyName(party: Party): string {
  return escapeMrkdwn(party.name);
}

function footer(report: Report): KnownBlock {
  const command = truncate(report.command, MAX_SHOWN_COMMAND).replaceAll('`', "'");
  return {
    type: 'context',
    elements: [mrkdwn(COUNTING_RULE), mrkdwn(`Reproduce: \`${escapeEntities(command)}\``)],
  };
}

/**
 * Log and By agent first, the By … menu, Export CSV, and Share last. Every control carries the report's command
 * with its days pinned (button-state.ts), so a press after midnight still shows, shares or exports the days on
 * screen. An empty report offers neither Share nor Export. A button whose value would not fit is left out: a
 * cut command would show a different report.
 */
function actionBlocks(report: Report): KnownBlock[] {
  const pinned = reportStateCommand(report);
  const hasData = report.total > 0;
  return actions([
    ...viewControls(pinned, 'report'),
    ...(hasData ? exportButtons(pinned) : []),
    ...(hasData && pinned.length <= MAX_BUTTON_VALUE
      ? [button('Share to channel', SHARE_ACTION_ID, pinned)]
      : []),
  ]);
}

/** The Export CSV button for `command` (a reproducing command), or none when it would not fit. */
export function exportButtons(command: string): types.Button[] {
  return command.length <= MAX_BUTTON_VALUE ? [button('Export CSV', EXPORT_ACTION_ID, command)] : [];
}

function button(text: string, actionId: string, value: string): types.Button {
  return { type: 'button', action_id: actionId, text: { type: 'plain_text', text }, value };
}

/** The numbers in one plain paragraph, for notifications. */
function fallbackText(report: Report): string {
  const shares = sourceSummary(report);
  const change = changeAgainst(report.total, report.previousTotal, report.range.comparison.label);
  const parts = [
    `Assignments, ${report.range.label}: ${formatCount(report.total)} (${change}).`,
    ...(shares ? [`${shares}.`] : []),
    ...report.notices.map(escapeEntities),
  ];
  return truncate(parts.join(' '), MAX_TEXT);
}
