import { renderChartPng } from '../src/charts/render-chart-png.ts';
import { type ChartSpec, digestChart, quickchartUrl, reportChart } from '../src/render/chart.ts';
import { everyDay, LAST_30_DAYS, makeReport } from '../test/builders/report.ts';
import { percentile } from './percentile.ts';
import { count, formatTable, ms, ratio } from './print-table.ts';

// `tsx bench/charts.ts` (or benchCharts() from bench/run.ts): what a chart costs to draw here (CHARTS=local:
// Chart.js on a Skia canvas, encoded to PNG) beside building its QuickChart URL (the default), per chart kind.
// The upload to Slack is a network call and is not part of this.

const WARMUP = 5;
const RUNS = 40;

const log = (line: string) => console.log(`  … ${line}`);

function must(spec: ChartSpec | undefined, kind: string): ChartSpec {
  if (!spec) throw new Error(`no ${kind} chart to bench`);
  return spec;
}

function kinds(): [string, ChartSpec][] {
  const EVERY = { developer_api: 101, workflow: 512, bot: 347, zapier: 123, user: 268, contact_import: 155 };
  const long = { kind: 'last_days', days: 400 } as const;
  return [
    ['by source (≤ 3 days)', must(reportChart(makeReport({ perDay: EVERY })), 'sources')],
    ['per day (30 days)', must(reportChart(makeReport({ range: LAST_30_DAYS, perDay: EVERY })), 'days')],
    [
      'per week (400 days)',
      must(reportChart(makeReport({ range: long, counts: everyDay(long, EVERY) })), 'weeks'),
    ],
    [
      'digest day vs average',
      must(
        digestChart({
          label: 'Thu 26 Nov',
          shares: makeReport({ perDay: EVERY }).bySource,
          comparison: { label: '4-week Thursday average', counts: { ...zeros(), ...EVERY, workflow: 480 } },
        }),
        'digest',
      ),
    ],
  ];
}

function zeros() {
  return {
    developer_api: 0,
    workflow: 0,
    bot: 0,
    zapier: 0,
    user: 0,
    contact_import: 0,
    close_conversation: 0,
    unknown: 0,
  };
}

async function sample(work: () => unknown): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return samples;
}

/** One row per chart kind: local PNG p50 / p95 beside the QuickChart URL build p50. */
export async function benchCharts(): Promise<string[][]> {
  console.log(
    `8. charts: drawn here (CHARTS=local) vs a QuickChart URL, ${RUNS} runs each after ${WARMUP} warm-up`,
  );
  const rows: string[][] = [];
  for (const [name, spec] of kinds()) {
    const local = await sample(() => renderChartPng(spec));
    const url = await sample(() => quickchartUrl(spec));
    const png = await renderChartPng(spec);
    log(`${name}: PNG ${count(png.length)} bytes, URL ${count(quickchartUrl(spec).length)} characters`);
    const p50 = percentile(local, 50);
    rows.push([
      `chart ${name}: local PNG p50 / p95 (ms)`,
      `${ms(p50)} / ${ms(percentile(local, 95))}`,
      `QuickChart URL p50 ${count(percentile(url, 50) * 1000)} µs`,
      ratio(p50 / percentile(url, 50)),
      '',
    ]);
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await benchCharts();
  console.log('');
  console.log(formatTable(['measure', 'value', 'reference', 'ratio', 'target'], rows));
}
