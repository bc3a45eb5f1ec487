import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Logger } from '@slack/bolt';
import { type ChartImage, type ChartSpec, quickchartUrl } from '../render/chart.ts';
import { type ChartUploadClient, uploadChart } from '../slack/upload-chart.ts';
import type { PostBytes } from '../slack/upload-file.ts';
import { renderChartPng } from './render-chart-png.ts';

// Where a chart goes once it is defined: a QuickChart URL (the default), a PNG uploaded to Slack and shown
// from there (CHARTS=local), or a PNG file on disk for the console (--charts DIR).

export interface ChartPublisher {
  /** The chart as a message can show it; `undefined` when it could not be drawn or stored (and was logged). */
  publish(spec: ChartSpec): Promise<ChartImage | undefined>;
}

export type RenderPng = (spec: ChartSpec) => Promise<Buffer>;

/** QuickChart draws it from the URL: nothing to do here, and nothing can fail. */
export function quickchartPublisher(base: string): ChartPublisher {
  return {
    async publish(spec) {
      return { source: { kind: 'url', url: quickchartUrl(spec, base) }, alt: spec.alt, title: spec.title };
    },
  };
}

/**
 * Draws the chart here and uploads the PNG to Slack (not shared in any channel); the message shows it from
 * there with an image block that names the file. A failure leaves the chart out, logged with what to do.
 */
export function slackFilePublisher(deps: {
  client: ChartUploadClient;
  logger: Pick<Logger, 'warn' | 'error'>;
  render?: RenderPng;
  post?: PostBytes;
  /** Waits between checks that Slack has processed an upload (tests shorten them). */
  readyChecksMs?: readonly number[];
}): ChartPublisher {
  const render = deps.render ?? renderChartPng;
  return {
    async publish(spec) {
      try {
        const png = await render(spec);
        const id = await uploadChart(
          { client: deps.client, logger: deps.logger, ...(deps.post ? { post: deps.post } : {}) },
          { bytes: png, filename: `${spec.name}.png`, title: spec.title },
          deps.readyChecksMs,
        );
        return id === undefined
          ? undefined
          : { source: { kind: 'slack_file', id }, alt: spec.alt, title: spec.title };
      } catch (error) {
        deps.logger.error(
          `the chart "${spec.title}" could not be drawn and uploaded (CHARTS=local needs the files:write and files:read scopes)`,
          error,
        );
        return undefined;
      }
    },
  };
}

/** Writes each chart as a numbered PNG in `dir` (created when missing), for the local console. */
export function directoryPublisher(
  dir: string,
  deps: { render?: RenderPng; onError?: (message: string) => void } = {},
): ChartPublisher {
  const render = deps.render ?? renderChartPng;
  let written = 0;
  return {
    async publish(spec) {
      try {
        await mkdir(dir, { recursive: true });
        const path = resolve(join(dir, `${String(++written).padStart(3, '0')}-${spec.name}.png`));
        await writeFile(path, await render(spec));
        return { source: { kind: 'file', path }, alt: spec.alt, title: spec.title };
      } catch (error) {
        deps.onError?.(
          `the chart "${spec.title}" could not be written to ${dir}: ${error instanceof Error ? error.message : String(error)}`,
        );
        return undefined;
      }
    },
  };
}
