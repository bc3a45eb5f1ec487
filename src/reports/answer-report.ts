import type { ChartPublisher } from '../charts/chart-publisher.ts';
import { parseReportCommand, zoneWord } from '../domain/parse-command.ts';
import { resolveRange } from '../domain/range.ts';
import type { Report } from '../domain/report.ts';
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
  store: Pick<AssignmentStore, 'report'>;
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
  const stored = await deps.store.report(range, parsed.filters);
  // A zone given in the text is echoed, so the command (and the Share button, which reruns it for whoever
  // clicks, in their own zone) reproduces the same days.
  const report = parsed.zone ? { ...stored, command: `${stored.command} ${zoneWord(parsed.zone)}` } : stored;
  const spec = reportChart(report);
  const chart = spec ? await deps.charts.publish(spec) : undefined;
  return { kind: 'report', report, chart, chartMissing: spec !== undefined && chart === undefined };
}
