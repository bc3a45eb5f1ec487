import { describe, expect, it } from 'vitest';
import { renderChartPng } from '../../src/charts/render-chart-png.ts';
import { type ChartSpec, DEVICE_PIXEL_RATIO, digestChart, reportChart } from '../../src/render/chart.ts';
import { LAST_7_DAYS, makeReport } from '../builders/report.ts';

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function must(spec: ChartSpec | undefined): ChartSpec {
  if (!spec) throw new Error('expected a chart');
  return spec;
}

const report = (options: Parameters<typeof makeReport>[0]) => must(reportChart(makeReport(options)));

const KINDS: [string, ChartSpec][] = [
  ['sources', report({ perDay: { workflow: 31, bot: 20, user: 4, close_conversation: 35 } })],
  ['days', report({ range: LAST_7_DAYS, perDay: { workflow: 3, user: 2 } })],
  ['weeks', report({ range: { kind: 'last_days', days: 90 }, perDay: { workflow: 4 } })],
  [
    'digest',
    must(
      digestChart({
        label: 'Thu 26 Nov',
        shares: makeReport({ perDay: { workflow: 140, bot: 60 } }).bySource,
        comparison: {
          label: '4-week Thursday average',
          counts: {
            developer_api: 0,
            workflow: 100,
            bot: 45,
            zapier: 0,
            user: 3,
            contact_import: 0,
            close_conversation: 0,
            unknown: 0,
          },
        },
      }),
    ),
  ],
];

describe('renderChartPng: every chart kind drawn here, as QuickChart would', () => {
  it.each(KINDS)(
    'draws the %s chart as a non-empty PNG of the size QuickChart would return',
    async (kind, spec) => {
      expect(spec.kind).toBe(kind);
      const png = await renderChartPng(spec);
      expect(pngSize(png)).toEqual({
        width: spec.width * DEVICE_PIXEL_RATIO,
        height: spec.height * DEVICE_PIXEL_RATIO,
      });
      // A blank canvas compresses to almost nothing; bars, ticks and labels do not.
      expect(png.length).toBeGreaterThan(5_000);
    },
  );
});
