import { parseReportCommand } from '../domain/parse-command.ts';
import { resolveRange } from '../domain/range.ts';
import type { Report } from '../domain/report.ts';
import { type SourceCharts, sourceCharts } from '../render/chart.ts';
import type { AssignmentStore } from '../store/assignment-store.ts';

export type ReportAnswer =
  | { kind: 'help' }
  | { kind: 'error'; message: string }
  | { kind: 'report'; report: Report; charts: SourceCharts | undefined };

export interface ReportDeps {
  store: Pick<AssignmentStore, 'report'>;
  quickchartUrl: string;
}

const HELP_WORDS = new Set(['help', '?', '-h', '--help']);

/** Turns report text (`yesterday source:workflow`) into a report for a zone at `now`; shared by Slack and the console. */
export async function answerReport(
  deps: ReportDeps,
  input: { text: string; zone: string; now: Date },
): Promise<ReportAnswer> {
  if (HELP_WORDS.has(input.text.trim().toLowerCase())) return { kind: 'help' };
  const parsed = parseReportCommand(input.text);
  if (!parsed.ok) return { kind: 'error', message: parsed.error };
  const range = resolveRange(parsed.range, input.now, input.zone);
  const report = await deps.store.report(range, parsed.filters);
  return { kind: 'report', report, charts: sourceCharts(report, { quickchartUrl: deps.quickchartUrl }) };
}
