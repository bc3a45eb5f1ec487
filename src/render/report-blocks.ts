import type { types } from '@slack/bolt';
import { MAX_BUTTON_VALUE, reportStateCommand } from '../domain/button-state.ts';
import type { Party } from '../domain/event.ts';
import { changeAgainstPrevious, type LogRow, type Report } from '../domain/report.ts';
import { SOURCE_LABELS } from '../domain/sources.ts';
import { formatInZone } from '../domain/time.ts';
import { header, imageBlock, MAX_TEXT, mrkdwn, section } from './block-parts.ts';
import type { SourceCharts } from './chart.ts';
import { escapeEntities, escapeMrkdwn, truncate } from './escape.ts';
import { viewButtons } from './report-actions.ts';
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
} from './wording.ts';

type KnownBlock = types.KnownBlock;

export interface SlackMessage {
  /** Plain fallback for notifications and clients that cannot show blocks. */
  text: string;
  blocks: KnownBlock[];
}

export interface ReportMessageOptions {
  charts: SourceCharts | undefined;
  /** Adds the buttons (Share to channel, Log, By …, Export CSV), for a report only its requester can see. */
  shareable: boolean;
}

export const SHARE_ACTION_ID = 'report_share';
/** The Export CSV button; its value is the report's reproducing command, as the Share button's. */
export const EXPORT_ACTION_ID = 'report_export';

// Block Kit limits.
// The reproducing command is shown for copying; a longer one is cut on screen (the button keeps it whole).
const MAX_SHOWN_COMMAND = 1000;

/** The report as a Slack message: range, filters, totals per source, charts, latest log rows, footer. */
export function reportMessage(report: Report, options: ReportMessageOptions): SlackMessage {
  const hasData = report.total > 0;
  const blocks: KnownBlock[] = [
    header('Assignments'),
    section(`*${rangeLine(report)}*\nFilters: ${describeFilters(report.filters, (v) => escapeMrkdwn(v))}`),
    ...noticeBlocks(report),
    totalsBlock(report),
    ...(hasData && options.charts ? chartBlocks(options.charts) : []),
    ...(hasData ? logBlocks(report) : []),
    footer(report),
    ...(options.shareable ? actionBlocks(report) : []),
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

/** "Yesterday, Wed 25 Nov 2026, Asia/Kuala_Lumpur": the resolved range, never just the words typed. */
function rangeLine(report: Report): string {
  return `${report.range.label}, ${report.range.zone}`;
}

function noticeBlocks(report: Report): KnownBlock[] {
  if (report.notices.length === 0) return [];
  // Notices are ours but quote the filters as typed, so only the entities need escaping.
  return [section(report.notices.map((n) => `:warning: ${escapeEntities(n)}`).join('\n'))];
}

function totalsBlock(report: Report): KnownBlock {
  const text = `*${report.total} ${report.total === 1 ? 'assignment' : 'assignments'}* · ${changeAgainstPrevious(report)}`;
  const fields = report.bySource
    .filter((s) => s.count > 0)
    .map((s) => mrkdwn(`*${s.label}*\n${s.count} · ${s.percent}%`));
  return fields.length > 0 ? { type: 'section', text: mrkdwn(text), fields } : section(text);
}

function chartBlocks(charts: SourceCharts): KnownBlock[] {
  return [imageBlock(charts.bar), imageBlock(charts.pie)];
}

function logBlocks(report: Report): KnownBlock[] {
  const rows = report.latest.slice(0, LOG_ROWS);
  if (rows.length === 0) return [];
  const heading = `*Latest ${rows.length} of ${report.total}* · times in ${report.range.zone}`;
  const withYear = report.range.firstDay.slice(0, 4) !== report.range.lastDay.slice(0, 4);
  return [
    { type: 'divider' },
    section(heading),
    ...rows.map((row) => section(logRowText(row, report.range.zone, withYear))),
  ];
}

/**
 * One log row in two short lines, readable on a phone:
 * "*26 Nov 08:15* · conv 88231 · Aisha Rahman (1234567)" and "John Doe → Mei Tan · Workflow · by Sarah Lee".
 */
export function logRowText(row: LogRow, zone: string, withYear: boolean): string {
  const when = formatInZone(row.timestamp, zone, withYear ? 'D MMM YYYY HH:mm' : 'D MMM HH:mm');
  const first = [
    `*${when}*`,
    ...(row.conversationId === null ? [] : [`conv ${escapeMrkdwn(row.conversationId)}`]),
    partyWithId(row.contact),
  ];
  const assignee = row.assignee ? escapeMrkdwn(row.assignee.name) : '_Unassigned_';
  const previous = row.previousAssignee ? escapeMrkdwn(row.previousAssignee.name) : '-';
  const second = [
    `${previous} → ${assignee}`,
    SOURCE_LABELS[row.source],
    ...(row.assignedBy ? [`by ${escapeMrkdwn(row.assignedBy.name)}`] : []),
  ];
  return `${first.join(' · ')}\n${second.join(' · ')}`;
}

/** "Aisha Rahman (1234567)", or just the id when the sender gave no name. */
function partyWithId(party: Party): string {
  const id = escapeMrkdwn(party.id);
  return party.name === party.id ? id : `${escapeMrkdwn(party.name)} (${id})`;
}

function footer(report: Report): KnownBlock {
  const command = truncate(report.command, MAX_SHOWN_COMMAND).replaceAll('`', "'");
  return {
    type: 'context',
    elements: [mrkdwn(COUNTING_RULE), mrkdwn(`Reproduce: \`${escapeEntities(command)}\``)],
  };
}

/**
 * Share, Log, By agent, By team, By source, By day and Export CSV. Every button carries the report's command
 * with its days pinned (button-state.ts), so a press after midnight still shares or exports the days on screen.
 * A button whose value would not fit is left out: a cut command would show a different report.
 */
function actionBlocks(report: Report): KnownBlock[] {
  const pinned = reportStateCommand(report);
  const elements: types.Button[] = [
    ...(pinned.length <= MAX_BUTTON_VALUE ? [button('Share to channel', SHARE_ACTION_ID, pinned)] : []),
    ...viewButtons(pinned, 'report'),
    ...exportButtons(pinned),
  ];
  return elements.length > 0 ? [{ type: 'actions', elements }] : [];
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
  const shares = report.bySource
    .filter((s) => s.count > 0)
    .map((s) => `${s.label} ${s.count} (${s.percent}%)`)
    .join(', ');
  const parts = [
    `Assignments, ${rangeLine(report)}: ${report.total} (${changeAgainstPrevious(report)}).`,
    ...(shares ? [`${shares}.`] : []),
    ...report.notices.map(escapeEntities),
  ];
  return truncate(parts.join(' '), MAX_TEXT);
}
