import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@slack/bolt';
import type { ChartUploadClient } from '../slack/upload-chart.ts';
import {
  type ChartPublisher,
  directoryPublisher,
  quickchartPublisher,
  slackFilePublisher,
} from './chart-publisher.ts';

/** Where the console writes charts with CHARTS=local and no --charts DIR. */
export const DEFAULT_CONSOLE_CHARTS_DIR = join(tmpdir(), 'handoff-charts');

/**
 * The chart publisher a setting asks for: QuickChart URLs (the default), PNGs uploaded to Slack (CHARTS=local
 * in Slack mode), or PNG files (the console with --charts DIR, or CHARTS=local).
 */
export function createChartPublisher(options: {
  charts: 'quickchart' | 'local';
  quickchartUrl: string;
  logger: Pick<Logger, 'warn' | 'error'>;
  /** Slack mode: the client charts are uploaded with. */
  slackClient?: ChartUploadClient;
  /** The console's --charts DIR (implies local drawing). */
  dir?: string;
}): ChartPublisher {
  const onError = (message: string) => options.logger.error(message);
  if (options.dir !== undefined) return directoryPublisher(options.dir, { onError });
  if (options.charts === 'quickchart') return quickchartPublisher(options.quickchartUrl);
  if (options.slackClient) return slackFilePublisher({ client: options.slackClient, logger: options.logger });
  return directoryPublisher(DEFAULT_CONSOLE_CHARTS_DIR, { onError });
}
