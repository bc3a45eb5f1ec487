import { describe, expect, it } from 'vitest';
import { MAX_IMAGE_URL_LENGTH, sourceCharts } from '../../src/render/chart.ts';
import { EVERY_SOURCE, everyDay, LAST_7_DAYS, LAST_30_DAYS, makeReport } from '../builders/report.ts';

/** The Chart.js config a chart URL carries, as QuickChart will read it. */
function configOf(url: string): string {
  return new URL(url).searchParams.get('c') ?? '';
}

function chartsOf(...args: Parameters<typeof makeReport>) {
  const charts = sourceCharts(makeReport(...args));
  if (!charts) throw new Error('expected charts');
  return charts;
}

describe('sourceCharts', () => {
  it('draws one bar per non-zero source for a single day, and a pie with percentages', () => {
    const { bar, pie } = chartsOf();
    expect(configOf(bar.url)).toMatchSnapshot();
    expect(configOf(pie.url)).toMatchSnapshot();
    expect(configOf(pie.url)).toContain("labels:['Workflow 60%','Bot 40%']");
    expect(bar.alt).toBe(
      'Assignments by source, Yesterday, Wed 25 Nov 2026: Workflow 120 (60%), Bot 80 (40%). Total 200.',
    );
    expect(pie.alt).toContain('Workflow 120 (60%), Bot 80 (40%)');
    expect(bar.title).toBe('Assignments by source');
  });

  it('uses Chart.js v4 on quickchart.io with a deterministic URL', () => {
    const { bar } = chartsOf();
    const url = new URL(bar.url);
    expect(url.origin + url.pathname).toBe('https://quickchart.io/chart');
    expect(url.searchParams.get('v')).toBe('4');
    expect(chartsOf().bar.url).toBe(bar.url);
  });

  it('stacks longer ranges by day, with only the sources that have counts', () => {
    const { bar } = chartsOf({ range: LAST_7_DAYS, perDay: { workflow: 3, user: 2 } });
    const config = configOf(bar.url);
    expect(config).toMatchSnapshot();
    expect(config).toContain("labels:['20 Nov','21 Nov','22 Nov','23 Nov','24 Nov','25 Nov','26 Nov']");
    expect(config).toContain("label:'Workflow'");
    expect(config).toContain("label:'User'");
    expect(config).not.toContain("label:'Bot'");
    expect(bar.title).toBe('Assignments per day by source');
    expect(bar.alt).toContain('Per day: 20 Nov 5, 21 Nov 5');
  });

  it('keeps last 30 days with every source non-zero under the image URL limit', () => {
    const { bar, pie } = chartsOf({ range: LAST_30_DAYS, perDay: EVERY_SOURCE });
    expect(bar.url.length).toBeLessThan(MAX_IMAGE_URL_LENGTH);
    expect(pie.url.length).toBeLessThan(MAX_IMAGE_URL_LENGTH);
  });

  it('falls back to one bar per source when 400 days by source cannot fit in a URL', () => {
    const range = { kind: 'last_days', days: 400 } as const;
    const { bar, pie } = chartsOf({ range, counts: everyDay(range, EVERY_SOURCE) });
    expect(bar.url.length).toBeLessThan(MAX_IMAGE_URL_LENGTH);
    expect(pie.url.length).toBeLessThan(MAX_IMAGE_URL_LENGTH);
    expect(bar.title).toBe('Assignments by source');
    expect(configOf(bar.url)).toContain("labels:['Developer API','Workflow','Bot','Zapier','User'");
    expect(bar.alt.length).toBeLessThanOrEqual(2000);
  });

  it('keeps a bar per day over 120 days of one source, with every day in the alt text', () => {
    const range = { kind: 'last_days', days: 120 } as const;
    const { bar } = chartsOf({ range, perDay: { workflow: 1 } });
    expect(bar.title).toBe('Assignments per day by source');
    expect(bar.url.length).toBeLessThan(MAX_IMAGE_URL_LENGTH);
    expect(bar.alt.length).toBeLessThanOrEqual(2000);
    expect(bar.alt).toContain('26 Nov 1.');
  });

  it('points at a self-hosted QuickChart, path prefix included', () => {
    const charts = sourceCharts(makeReport(), { quickchartUrl: 'http://charts.internal:3400/qc/' });
    expect(charts?.bar.url.startsWith('http://charts.internal:3400/qc/chart?c=')).toBe(true);
  });

  it('draws nothing when there are no assignments', () => {
    expect(sourceCharts(makeReport({ perDay: {} }))).toBeUndefined();
  });
});
