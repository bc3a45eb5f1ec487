import type { Party } from '../domain/event.ts';
import type { LogRow, Report } from '../domain/report.ts';
import { SOURCE_LABELS } from '../domain/sources.ts';
import { formatInZone } from '../domain/time.ts';
import { changeAgainst, formatCount } from './change-wording.ts';
import { type ChartImage, rankedShares } from './chart.ts';
import { cleanName, MAX_NAME_LENGTH, truncate } from './escape.ts';
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

/** A log cell wider than this is cut, so one long name cannot stretch the whole table off the screen. */
const MAX_CELL = 32;

const LOG_COLUMNS = [
  'Timestamp',
  'Conversation ID',
  'Contact ID',
  'Contact Name',
  'Previous Assignee',
  'Assigned To',
  'Source',
  'Assigned By',
] as const;

/** The report as plain text for the local console: the same content as the Slack message. */
export function reportText(
  report: Report,
  options: { chart: ChartImage | undefined; chartMissing?: boolean },
): string {
  const hasData = report.total > 0;
  const change = changeAgainst(report.total, report.previousTotal, report.range.comparison.label);
  const sections = [
    [
      `Assignments · ${report.range.label}`,
      `${describeRangeZone(report.range)} · Filters: ${describeFilters(report.filters, (v) => truncate(cleanName(v), MAX_NAME_LENGTH))}`,
    ],
    report.notices.map((n) => `! ${cleanName(n)}`),
    [`Total: ${formatCount(report.total)} · ${change}`],
    hasData ? sourceTable(report) : [],
    hasData && options.chart ? [chartLine(options.chart)] : [],
    hasData && options.chartMissing ? ['! The chart could not be drawn; see the error above.'] : [],
    hasData ? logTable(report) : [],
    [COUNTING_RULE, `Reproduce: ${cleanName(report.command)}`],
  ];
  return `${sections
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join('\n'))
    .join('\n\n')}\n`;
}

/** Usage of `/assignments` for the console, the same grammar as the Slack help. */
export function helpText(): string {
  return [
    `Usage: ${HELP_USAGE}`,
    `Ranges:\n${helpLines(HELP_RANGES)}`,
    `Filters:\n${helpLines(HELP_FILTERS)}`,
    HELP_NOTES.join('\n'),
    `Examples:\n${HELP_EXAMPLES.map((e) => `  ${e}`).join('\n')}`,
  ]
    .join('\n\n')
    .concat('\n');
}

function helpLines(lines: readonly HelpLine[]): string {
  const width = Math.max(...lines.map((l) => l.example.length));
  return lines.map((l) => `  ${l.example.padEnd(width)}  ${l.meaning}`).join('\n');
}

/** "Chart (Assignments by source): https://quickchart.io/chart?…" or the PNG's path. */
function chartLine(chart: ChartImage): string {
  const where =
    chart.source.kind === 'url'
      ? chart.source.url
      : chart.source.kind === 'file'
        ? chart.source.path
        : `Slack file ${chart.source.id}`;
  return `Chart (${chart.title}): ${where}`;
}

/** Sources with assignments, most first, counts and percentages right-aligned, and a total row. */
function sourceTable(report: Report): string[] {
  const rows = rankedShares(report.bySource).map((s) => [s.label, formatCount(s.count), `${s.percent}%`]);
  return alignTable(
    ['Source', 'Count', '%'],
    [...rows, ['Total', formatCount(report.total), '100%']],
    [false, true, true],
  );
}

function logTable(report: Report): string[] {
  const rows = report.latest.slice(0, LOG_ROWS);
  if (rows.length === 0) return [];
  const heading = `Latest ${rows.length} of ${formatCount(report.total)}`;
  const cells = rows.map((row) => logCells(row, report.range.zone));
  return [
    heading,
    ...alignTable(
      [...LOG_COLUMNS],
      cells,
      LOG_COLUMNS.map(() => false),
    ),
  ];
}

/** The seed's eight columns; "-" where the seed leaves a cell empty. */
function logCells(row: LogRow, zone: string): string[] {
  return [
    formatInZone(row.timestamp, zone, 'YYYY-MM-DD HH:mm:ss'),
    row.conversationId === null ? '-' : cell(row.conversationId),
    cell(row.contact.id),
    cell(row.contact.name),
    holderCell(row.previousAssignee),
    holderCell(row.assignee),
    SOURCE_LABELS[row.source],
    nameOrDash(row.assignedBy),
  ];
}

function nameOrDash(party: Party | null): string {
  return party ? cell(party.name) : '-';
}

function holderCell(party: Party | null): string {
  return party ? cell(party.name) : UNASSIGNED_NAME;
}

function cell(text: string): string {
  return truncate(cleanName(text), MAX_CELL);
}

/** Pads columns to their widest cell; `right` marks the numeric columns. */
function alignTable(head: string[], rows: string[][], right: boolean[]): string[] {
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((r) =>
    r
      .map((c, i) => (right[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}
