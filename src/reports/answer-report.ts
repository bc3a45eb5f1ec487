import { parseReportCommand, zoneWord } from '../domain/parse-command.ts';
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
  return { kind: 'report', report, charts: sourceCharts(report, { quickchartUrl: deps.quickchartUrl }) };
}
