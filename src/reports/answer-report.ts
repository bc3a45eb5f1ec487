import type { ChartPublisher } from '../charts/chart-publisher.ts';
import type { Party } from '../domain/event.ts';
import { NAME_FIELDS, type NameField, namesAsked, unknownNameNotices } from '../domain/name-suggestions.ts';
import { parseReportCommand, zoneWord } from '../domain/parse-command.ts';
import { resolveRange } from '../domain/range.ts';
import { inapplicableFilters, type Report } from '../domain/report.ts';
import { type ChartImage, reportChart } from '../render/chart.ts';
import type { AssignmentStore } from '../store/assignment-store.ts';

export type ReportAnswer =
  | { kind: 'help' }
  | { kind: 'error'; message: string }
  | {
      kind: 'report';
      report: Report;
      chart: ChartImage | undefined;
      /** The report has a chart that could not be drawn or stored (the publisher logged why). */
      chartMissing: boolean;
    };

export interface ReportDeps {
  store: Pick<AssignmentStore, 'report' | 'partiesIn' | 'agents'>;
  /** QuickChart URLs by default; PNGs drawn here with CHARTS=local. */
  charts: ChartPublisher;
}

const HELP_WORDS = new Set(['help', '?', '-h', '--help']);

/**
 * Turns report text (`yesterday source:workflow`) into a report for a zone at `now`; shared by Slack and the
 * console. A `tz:` in the text wins over the requester's zone.
 */
export async function answerReport(
  deps: ReportDeps,
  input: { text: string; zone: string; now: Date },
): Promise<ReportAnswer> {
  if (HELP_WORDS.has(input.text.trim().toLowerCase())) return { kind: 'help' };
  const parsed = parseReportCommand(input.text);
  if (!parsed.ok) return { kind: 'error', message: parsed.error };
  const range = resolveRange(parsed.range, input.now, parsed.zone ?? input.zone);
  const stored = await withNameSuggestions(deps, await deps.store.report(range, parsed.filters));
  // A zone given in the text is echoed, so the command (and the Share button, which reruns it for whoever
  // clicks, in their own zone) reproduces the same days.
  const report = parsed.zone ? { ...stored, command: `${stored.command} ${zoneWord(parsed.zone)}` } : stored;
  const spec = reportChart(report);
  const chart = spec ? await deps.charts.publish(spec) : undefined;
  return { kind: 'report', report, chart, chartMissing: spec !== undefined && chart === undefined };
}

/**
 * An empty report whose filters name someone nobody is: the notice says so and suggests the nearest name
 * (from the range's events and the team directory) instead of a bare "No applicable data".
 */
async function withNameSuggestions(deps: ReportDeps, report: Report): Promise<Report> {
  if (report.total > 0) return report;
  const asked = NAME_FIELDS.filter((field) => namesAsked(report.filters, field).length > 0);
  if (asked.length === 0) return report;
  const window = { from: report.range.from, to: report.range.to };
  const directory = asked.some((f) => f !== 'contacts') ? await deps.store.agents.list() : [];
  const fromDirectory: Partial<Record<NameField, Party[]>> = {
    assignees: directory.map((a) => ({ id: a.id, name: a.name })),
    assignedBy: directory.map((a) => ({ id: a.id, name: a.name })),
    teams: directory.map((a) => a.team),
  };
  const known = Object.fromEntries(
    await Promise.all(
      asked.map(async (field) => [
        field,
        [...(fromDirectory[field] ?? []), ...(await deps.store.partiesIn(window, field))],
      ]),
    ),
  );
  const notices = unknownNameNotices(report.filters, known, 'in this range');
  return notices.length === 0
    ? report
    : { ...report, notices: [...inapplicableFilters(report.filters), ...notices] };
}
