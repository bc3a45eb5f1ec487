import { describe, expect, it } from 'vitest';
import {
  type ChartSpec,
  DEVICE_PIXEL_RATIO,
  digestChart,
  MAX_IMAGE_URL_LENGTH,
  PALE_COLOR,
  quickchartUrl,
  reportChart,
  SOURCE_COLORS,
  TOTAL_COLOR,
} from '../../src/render/chart.ts';
import { EVERY_SOURCE, everyDay, LAST_7_DAYS, LAST_30_DAYS, makeReport } from '../builders/report.ts';

/** The Chart.js config a chart URL carries, as QuickChart will read it. */
function configOf(url: string): string {
  return new URL(url).searchParams.get('c') ?? '';
}

function chartOf(...args: Parameters<typeof makeReport>): ChartSpec {
  const chart = reportChart(makeReport(...args));
  if (!chart) throw new Error('expected a chart');
  return chart;
}

describe('reportChart: one chart per report', () => {
  it('draws horizontal bars sorted by count for a short range, labelled with count and share', () => {
    const chart = chartOf({ perDay: { bot: 80, workflow: 120, zapier: 1_200 } });
    expect(chart.kind).toBe('sources');
    expect(chart.config.options).toMatchObject({ indexAxis: 'y' });
    expect(chart.config.data.labels).toEqual(['Zapier 1,200 · 86%', 'Workflow 120 · 8%', 'Bot 80 · 6%']);
    expect(chart.config.data.datasets[0]?.backgroundColor).toEqual([
      SOURCE_COLORS.zapier,
      SOURCE_COLORS.workflow,
      SOURCE_COLORS.bot,
    ]);
    expect(chart.alt).toBe(
      'Assignments by source, Yesterday, Wed 25 Nov 2026: Zapier 1,200 (86%), Workflow 120 (8%), Bot 80 (6%). Total 1,400.',
    );
    expect(chart.title).toBe('Assignments by source');
    expect(configOf(quickchartUrl(chart))).toMatchSnapshot();
  });

  it('draws no chart when one source holds everything: the summary line says it all', () => {
    expect(reportChart(makeReport({ perDay: { workflow: 12 } }))).toBeUndefined();
  });

  it('draws daily totals in one colour for longer ranges, today pale and labelled so far', () => {
    const chart = chartOf({ range: LAST_7_DAYS, perDay: { workflow: 3, user: 2 } });
    expect(chart.kind).toBe('days');
    expect(chart.config.data.labels).toEqual([
      '20 Nov',
      '21 Nov',
      '22 Nov',
      '23 Nov',
      '24 Nov',
      '25 Nov',
      ['26 Nov', 'so far'],
    ]);
    expect(chart.config.data.datasets).toHaveLength(1);
    expect(chart.config.data.datasets[0]?.backgroundColor).toEqual([
      ...Array.from({ length: 6 }, () => TOTAL_COLOR),
      PALE_COLOR,
    ]);
    expect(chart.alt).toContain('20 Nov 5, 21 Nov 5');
    expect(chart.alt).toContain('26 Nov 5 (so far)');
    expect(configOf(quickchartUrl(chart))).toMatchSnapshot();
  });

  it('counts weeks beyond 35 days, and says so in the title; partial weeks are pale', () => {
    const range = { kind: 'last_days', days: 36 } as const;
    const chart = chartOf({ range, perDay: { workflow: 1 } });
    expect(chart.kind).toBe('weeks');
    expect(chart.title).toContain('per week');
    // 36 days to Thu 26 Nov start on Thu 22 Oct: that week (from Monday 19 Oct) has 4 of its days in the
    // range, and the last (from Monday 23 Nov) is so far.
    expect(chart.config.data.labels).toEqual([
      ['22 Oct', '4 days'],
      '26 Oct',
      '2 Nov',
      '9 Nov',
      '16 Nov',
      ['23 Nov', 'so far'],
    ]);
    expect(chart.config.data.datasets[0]?.data).toEqual([4, 7, 7, 7, 7, 4]);
    expect(chart.config.data.datasets[0]?.backgroundColor).toEqual([
      PALE_COLOR,
      TOTAL_COLOR,
      TOTAL_COLOR,
      TOTAL_COLOR,
      TOTAL_COLOR,
      PALE_COLOR,
    ]);
  });

  it('keeps whole-number ticks on every chart', () => {
    for (const chart of [
      chartOf({ perDay: { bot: 1, workflow: 2 } }),
      chartOf({ range: LAST_7_DAYS, perDay: { workflow: 1 } }),
      chartOf({ range: { kind: 'last_days', days: 90 }, perDay: { workflow: 1 } }),
    ]) {
      expect(JSON.stringify(chart.config.options)).toContain('"precision":0');
    }
  });

  it('never switches silently: 400 days of every source is still a chart of weeks under the URL limit', () => {
    const range = { kind: 'last_days', days: 400 } as const;
    const chart = chartOf({ range, counts: everyDay(range, EVERY_SOURCE) });
    expect(chart.kind).toBe('weeks');
    expect(quickchartUrl(chart).length).toBeLessThan(MAX_IMAGE_URL_LENGTH);
    expect(chart.alt.length).toBeLessThanOrEqual(2000);
  });

  it('keeps last 30 days with every source under the image URL limit', () => {
    const chart = chartOf({ range: LAST_30_DAYS, perDay: EVERY_SOURCE });
    expect(quickchartUrl(chart).length).toBeLessThan(MAX_IMAGE_URL_LENGTH);
  });

  it('draws nothing when there are no assignments', () => {
    expect(reportChart(makeReport({ perDay: {} }))).toBeUndefined();
  });
});

describe('quickchartUrl', () => {
  it('uses Chart.js v4 with the size and pixel ratio the local render uses, deterministically', () => {
    const chart = chartOf({ perDay: { bot: 1, workflow: 2 } });
    const url = new URL(quickchartUrl(chart));
    expect(url.origin + url.pathname).toBe('https://quickchart.io/chart');
    expect(url.searchParams.get('v')).toBe('4');
    expect(url.searchParams.get('w')).toBe(String(chart.width));
    expect(url.searchParams.get('h')).toBe(String(chart.height));
    expect(url.searchParams.get('devicePixelRatio')).toBe(String(DEVICE_PIXEL_RATIO));
    expect(quickchartUrl(chart)).toBe(url.href);
  });

  it('points at a self-hosted QuickChart, path prefix included', () => {
    const chart = chartOf({ perDay: { bot: 1, workflow: 2 } });
    expect(
      quickchartUrl(chart, 'http://charts.internal:3400/qc/').startsWith(
        'http://charts.internal:3400/qc/chart?c=',
      ),
    ).toBe(true);
  });
});

describe('digestChart', () => {
  const shares = makeReport({ perDay: { workflow: 140, bot: 60 } }).bySource;

  it('draws the day in one strong colour against the pale average, with a legend that matches', () => {
    const chart = digestChart({
      label: 'Thu 26 Nov',
      shares,
      comparison: { label: '4-week Thursday average', counts: { ...zero(), workflow: 100, bot: 45.25 } },
    });
    const [day, average] = chart?.config.data.datasets ?? [];
    expect([day?.label, day?.backgroundColor]).toEqual(['Thu 26 Nov', TOTAL_COLOR]);
    expect([average?.label, average?.backgroundColor, average?.data]).toEqual([
      '4-week Thursday average',
      PALE_COLOR,
      [100, 45.3],
    ]);
    expect(chart?.config.options).toMatchObject({ plugins: { legend: { display: true } } });
    expect(chart?.alt).toContain('4-week Thursday average: Workflow 100, Bot 45.3.');
  });
});

function zero() {
  return Object.fromEntries(Object.keys(SOURCE_COLORS).map((s) => [s, 0])) as Record<
    keyof typeof SOURCE_COLORS,
    number
  >;
}
