import { describe, expect, it } from 'vitest';
import { quickchartPublisher, slackFilePublisher } from '../../src/charts/chart-publisher.ts';
import { type ChartSpec, reportChart } from '../../src/render/chart.ts';
import type { ChartUploadClient } from '../../src/slack/upload-chart.ts';
import { makeReport } from '../builders/report.ts';
import { captureLogger } from '../fakes/fake-digest-poster.ts';

function specOf(): ChartSpec {
  const spec = reportChart(makeReport({ perDay: { workflow: 3, bot: 1 } }));
  if (!spec) throw new Error('expected a chart');
  return spec;
}
const SPEC = specOf();

/** Slack's upload methods in memory; `processed` says how many files.info calls it takes to be an image. */
function client(processed: number): ChartUploadClient & { infos: number } {
  const fake = {
    infos: 0,
    files: {
      getUploadURLExternal: async () => ({ upload_url: 'https://files.example/upload/F1', file_id: 'F1' }),
      completeUploadExternal: async () => ({ ok: true }),
      info: async () => {
        fake.infos++;
        return { file: { mimetype: fake.infos >= processed ? 'image/png' : '' } };
      },
    },
  };
  return fake;
}

const post = async () => ({ status: 200, text: 'OK' });
const render = async () => Buffer.from('\x89PNG fake');

describe('slackFilePublisher', () => {
  it('shows the file once Slack has processed it', async () => {
    const fake = client(3);
    const chart = await slackFilePublisher({
      client: fake,
      logger: captureLogger(),
      render,
      post,
      readyChecksMs: [0, 1, 1, 1],
    }).publish(SPEC);
    expect(chart).toEqual({ source: { kind: 'slack_file', id: 'F1' }, alt: SPEC.alt, title: SPEC.title });
    expect(fake.infos).toBe(3);
  });

  it('leaves the chart out, logged at warn, when Slack has not processed it in time', async () => {
    const logger = captureLogger();
    const chart = await slackFilePublisher({
      client: client(99),
      logger,
      render,
      post,
      readyChecksMs: [0, 1],
    }).publish(SPEC);
    expect(chart).toBeUndefined();
    expect(logger.lines.filter((l) => l.level === 'warn')[0]?.message).toContain(
      'had not processed chart F1',
    );
  });

  it('leaves the chart out, logged at error with the scopes to add, when the upload URL refuses the bytes', async () => {
    const logger = captureLogger();
    const refused = async () => ({ status: 403, text: 'Forbidden' });
    const chart = await slackFilePublisher({ client: client(1), logger, render, post: refused }).publish(
      SPEC,
    );
    expect(chart).toBeUndefined();
    expect(logger.lines.filter((l) => l.level === 'error')[0]?.message).toContain(
      'files:write and files:read',
    );
  });
});

describe('quickchartPublisher', () => {
  it('gives the QuickChart URL of the definition', async () => {
    const chart = await quickchartPublisher('http://qc.internal:3400').publish(SPEC);
    expect(chart?.source).toMatchObject({ kind: 'url' });
    expect(
      chart?.source.kind === 'url' && chart.source.url.startsWith('http://qc.internal:3400/chart?'),
    ).toBe(true);
  });
});
