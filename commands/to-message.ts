import { errorMessage, helpMessage, reportMessage, type SlackMessage } from '../src/render/report-blocks.ts';
import type { ReportAnswer } from '../src/reports/answer-report.ts';

/** The Slack message for an answer: usage, a short error, or the report. */
export function toMessage(
  answer: ReportAnswer,
  options: { shareable: boolean; sharedBy?: string },
): SlackMessage {
  switch (answer.kind) {
    case 'help':
      return helpMessage();
    case 'error':
      return errorMessage(answer.message);
    case 'report':
      return reportMessage(answer.report, {
        chart: answer.chart,
        chartMissing: answer.chartMissing,
        shareable: options.shareable,
        ...(options.sharedBy ? { sharedBy: options.sharedBy } : {}),
      });
  }
}
