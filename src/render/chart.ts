import quickchart from 'quickchart-js';
import type { Report, SourceShare } from '../domain/report.ts';
import { SOURCE_LABELS, SOURCES, type Source } from '../domain/sources.ts';
import { formatDate } from '../domain/time.ts';
import { truncate } from './escape.ts';

// The package's types describe a CommonJS module, but Node loads its ES build, whose default export is the
// class itself. Accepting both shapes keeps the types honest without a cast.
const QuickChart = 'default' in quickchart ? quickchart.default : quickchart;

export interface ChartImage {
  url: string;
  /** States the numbers, for screen readers and for clients that do not load images. */
  alt: string;
  title: string;
}

export interface SourceCharts {
  bar: ChartImage;
  pie: ChartImage;
}

export interface ChartOptions {
  /** Base URL of the QuickChart server, e.g. a self-hosted `http://quickchart:3400`. */
  quickchartUrl?: string;
}

export const DEFAULT_QUICKCHART_URL = 'https://quickchart.io';

/** Slack rejects an image block whose image_url is longer than this. */
export const MAX_IMAGE_URL_LENGTH = 3000;
const MAX_ALT_LENGTH = 2000;

/** Ranges up to this many days get one bar per source; longer ones get a bar per day. */
const PER_SOURCE_MAX_DAYS = 3;

// Three-digit colours keep the URL short; each source keeps its colour in both charts.
const SOURCE_COLORS: Readonly<Record<Source, string>> = {
  developer_api: '#47a',
  workflow: '#f80',
  bot: '#5a5',
  zapier: '#e44',
  user: '#86b',
  contact_import: '#a76',
  close_conversation: '#999',
  unknown: '#cb3',
};

/** A Chart.js v4 config, kept to the few options that change the picture. */
interface ChartConfig {
  type: 'bar' | 'pie';
  data: {
    labels: string[];
    datasets: { label?: string; data: number[]; backgroundColor: string | string[] }[];
  };
  options?: Record<string, unknown>;
}

/**
 * The bar and pie charts of a report as QuickChart URLs (never short URLs: those are a network call), or
 * `undefined` when there is nothing to draw, because the report then shows its notice instead.
 */
export function sourceCharts(report: Report, options: ChartOptions = {}): SourceCharts | undefined {
  if (report.total === 0) return undefined;
  const base = options.quickchartUrl ?? DEFAULT_QUICKCHART_URL;
  return { bar: barChart(report, base), pie: pieChart(report, base) };
}

function barChart(report: Report, base: string): ChartImage {
  if (report.range.days > PER_SOURCE_MAX_DAYS) {
    const url = chartUrl(base, dailyBarConfig(report));
    // A long range cannot fit a bar per day in Slack's URL limit; the totals per source still can.
    if (url.length < MAX_IMAGE_URL_LENGTH) {
      return { url, alt: dailyAlt(report), title: 'Assignments per day by source' };
    }
  }
  return {
    url: chartUrl(base, sourceBarConfig(report)),
    alt: capAlt(
      `Assignments by source, ${report.range.label}: ${shareList(report.bySource)}. Total ${report.total}.`,
    ),
    title: 'Assignments by source',
  };
}

function pieChart(report: Report, base: string): ChartImage {
  const shares = nonZeroShares(report.bySource);
  const config: ChartConfig = {
    type: 'pie',
    data: {
      labels: shares.map((s) => `${s.label} ${s.percent}%`),
      datasets: [
        { data: shares.map((s) => s.count), backgroundColor: shares.map((s) => SOURCE_COLORS[s.source]) },
      ],
    },
  };
  return {
    url: chartUrl(base, config),
    alt: capAlt(`Share of assignments by source, ${report.range.label}: ${shareList(report.bySource)}.`),
    title: 'Share by source',
  };
}

function sourceBarConfig(report: Report): ChartConfig {
  const shares = nonZeroShares(report.bySource);
  return {
    type: 'bar',
    data: {
      labels: shares.map((s) => s.label),
      datasets: [
        { data: shares.map((s) => s.count), backgroundColor: shares.map((s) => SOURCE_COLORS[s.source]) },
      ],
    },
    options: { plugins: { legend: { display: false } } },
  };
}

function dailyBarConfig(report: Report): ChartConfig {
  const sources = SOURCES.filter((source) => report.byDay.some((d) => d.counts[source] > 0));
  return {
    type: 'bar',
    data: {
      labels: report.byDay.map((d) => dayLabel(d.day)),
      datasets: sources.map((source) => ({
        label: SOURCE_LABELS[source],
        data: report.byDay.map((d) => d.counts[source]),
        backgroundColor: SOURCE_COLORS[source],
      })),
    },
    options: { scales: { x: { stacked: true }, y: { stacked: true } } },
  };
}

function dailyAlt(report: Report): string {
  const totals = report.byDay.map((d) => `${dayLabel(d.day)} ${sumCounts(d.counts)}`).join(', ');
  return capAlt(
    `Assignments per day by source, ${report.range.label}: ${shareList(report.bySource)}. Total ${report.total}. Per day: ${totals}.`,
  );
}

/** What a day's bars are compared with: e.g. the same weekday's average over the previous weeks. */
export interface SourceComparison {
  /** Legend and alt text, e.g. "4-week Thursday average". */
  label: string;
  counts: Readonly<Record<Source, number>>;
}

const COMPARISON_COLOR = '#ccc';

/**
 * One day's assignments by source as bars (each source in its colour), beside grey bars for a comparison
 * when one is given; `undefined` when there is nothing to draw. `label` names the day ("Thu 26 Nov 2026").
 */
export function sourceDayChart(
  input: { label: string; shares: readonly SourceShare[]; comparison?: SourceComparison | undefined },
  options: ChartOptions = {},
): ChartImage | undefined {
  const total = input.shares.reduce((sum, s) => sum + s.count, 0);
  if (total === 0) return undefined;
  const { comparison } = input;
  // A source absent today but usual on this weekday is exactly what the comparison should show.
  const shown = input.shares.filter((s) => s.count > 0 || (comparison?.counts[s.source] ?? 0) > 0);
  const today = {
    label: input.label,
    data: shown.map((s) => s.count),
    backgroundColor: shown.map((s) => SOURCE_COLORS[s.source]),
  };
  const config: ChartConfig = {
    type: 'bar',
    data: {
      labels: shown.map((s) => s.label),
      datasets: comparison
        ? [
            today,
            {
              label: comparison.label,
              data: shown.map((s) => roundTenth(comparison.counts[s.source])),
              backgroundColor: COMPARISON_COLOR,
            },
          ]
        : [today],
    },
    options: { plugins: { legend: { display: comparison !== undefined } } },
  };
  const against = comparison
    ? ` ${comparison.label}: ${shown.map((s) => `${s.label} ${roundTenth(comparison.counts[s.source])}`).join(', ')}.`
    : '';
  return {
    url: chartUrl(options.quickchartUrl ?? DEFAULT_QUICKCHART_URL, config),
    alt: capAlt(
      `Assignments by source, ${input.label}: ${shareList(input.shares)}. Total ${total}.${against}`,
    ),
    title: 'Assignments by source',
  };
}

function roundTenth(value: number): number {
  return Math.round(value * 10) / 10;
}

function chartUrl(base: string, config: ChartConfig): string {
  const { scheme, host } = splitBaseUrl(base);
  return new QuickChart().setScheme(scheme).setHost(host).setVersion('4').setConfig(config).getUrl();
}

// QuickChart builds `${scheme}://${host}/chart`, so a self-hosted server's path prefix rides along in the host.
function splitBaseUrl(base: string): { scheme: string; host: string } {
  const url = new URL(base);
  return { scheme: url.protocol.replace(/:$/, ''), host: `${url.host}${url.pathname.replace(/\/+$/, '')}` };
}

function nonZeroShares(shares: readonly SourceShare[]): SourceShare[] {
  return shares.filter((s) => s.count > 0);
}

/** "Workflow 120 (60%), Bot 80 (40%)" */
function shareList(shares: readonly SourceShare[]): string {
  return nonZeroShares(shares)
    .map((s) => `${s.label} ${s.count} (${s.percent}%)`)
    .join(', ');
}

function dayLabel(day: string): string {
  return formatDate(day, 'D MMM');
}

function sumCounts(counts: Record<Source, number>): number {
  return SOURCES.reduce((sum, source) => sum + counts[source], 0);
}

function capAlt(text: string): string {
  return truncate(text, MAX_ALT_LENGTH);
}
