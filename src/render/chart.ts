import quickchart from 'quickchart-js';
import type { Report, SourceShare } from '../domain/report.ts';
import { SOURCES, type Source } from '../domain/sources.ts';
import { addDays, formatDate, type LocalDate, weekdayOf } from '../domain/time.ts';
import { formatAverage, formatCount } from './change-wording.ts';
import { truncate } from './escape.ts';

// Every chart Handoff draws, as a Chart.js 4 config with its size, alt text and title. The same definition is
// drawn by QuickChart (a URL, the default) or in process (src/charts, CHARTS=local), so both look alike.

// The package's types describe a CommonJS module, but Node loads its ES build, whose default export is the
// class itself. Accepting both shapes keeps the types honest without a cast.
const QuickChart = 'default' in quickchart ? quickchart.default : quickchart;

/** A Chart.js v4 config, kept to the few options that change the picture (no functions: QuickChart gets JSON). */
export interface ChartConfig {
  type: 'bar';
  data: {
    labels: (string | string[])[];
    datasets: { label?: string; data: number[]; backgroundColor: string | string[] }[];
  };
  options: Record<string, unknown>;
}

export type ChartKind = 'sources' | 'days' | 'weeks' | 'digest';

/** One chart to draw: its config, its size in CSS pixels (drawn at DEVICE_PIXEL_RATIO), alt text and title. */
export interface ChartSpec {
  kind: ChartKind;
  config: ChartConfig;
  width: number;
  height: number;
  /** States the numbers, for screen readers and for clients that do not load images. */
  alt: string;
  /** Shown above the image in Slack: says what is drawn (per source, per day, per week). */
  title: string;
  /** A short file name for the PNG, e.g. `assignments-by-source`. */
  name: string;
}

/** Where a drawn chart lives: a QuickChart URL, a file uploaded to Slack, or a PNG on disk (the console). */
export type ChartSource =
  | { kind: 'url'; url: string }
  | { kind: 'slack_file'; id: string }
  | { kind: 'file'; path: string };

export interface ChartImage {
  source: ChartSource;
  alt: string;
  title: string;
}

export const DEFAULT_QUICKCHART_URL = 'https://quickchart.io';
/** QuickChart's own default, stated so the URL and the local render agree: a 500×300 chart is 1000×600 pixels. */
export const DEVICE_PIXEL_RATIO = 2;

/** Slack rejects an image block whose image_url is longer than this. */
export const MAX_IMAGE_URL_LENGTH = 3000;
const MAX_ALT_LENGTH = 2000;

/** Ranges up to this many days get one bar per source; longer ones a bar per day. */
export const PER_SOURCE_MAX_DAYS = 3;
/** Ranges longer than this get a bar per week. */
export const PER_DAY_MAX_DAYS = 35;

/**
 * Okabe and Ito's colour-blind-safe palette: every pair stays apart under deuteranopia and protanopia
 * (test/render/chart-colours.test.ts), and no real source is grey.
 */
export const SOURCE_COLORS: Readonly<Record<Source, string>> = {
  developer_api: '#0072B2',
  workflow: '#E69F00',
  bot: '#009E73',
  zapier: '#D55E00',
  user: '#CC79A7',
  contact_import: '#56B4E9',
  close_conversation: '#000000',
  unknown: '#F0E442',
};

/** Totals in one strong colour; today so far (and a digest's average) in a pale one of the same hue. */
export const TOTAL_COLOR = '#0072B2';
export const PALE_COLOR = '#B3D3EA';

const WIDTH = 500;
// A 500-pixel chart is shown about 360 pixels wide on a phone: Chart.js's 12-pixel text would read at 8.
const LABEL_FONT = 16;
const TICK_FONT = 14;

/**
 * The one chart of a report, or `undefined` when there is nothing a chart would add (no assignments, or one
 * source holding them all on a short range, which the summary line already says).
 */
export function reportChart(report: Report): ChartSpec | undefined {
  if (report.total === 0) return undefined;
  if (report.range.days <= PER_SOURCE_MAX_DAYS) return sourceBars(report);
  return report.range.days <= PER_DAY_MAX_DAYS ? dayBars(report) : weekBars(report);
}

/** Sources with assignments, most first (the report's order between equals). */
export function rankedShares(shares: readonly SourceShare[]): SourceShare[] {
  return shares.filter((s) => s.count > 0).sort((a, b) => b.count - a.count);
}

/** "Workflow 31 · 34%" */
export function shareLabel(share: SourceShare): string {
  return `${share.label} ${formatCount(share.count)} · ${share.percent}%`;
}

function sourceBars(report: Report): ChartSpec | undefined {
  const shares = rankedShares(report.bySource);
  if (shares.length < 2) return undefined;
  return {
    kind: 'sources',
    config: {
      type: 'bar',
      data: {
        labels: shares.map(shareLabel),
        datasets: [
          { data: shares.map((s) => s.count), backgroundColor: shares.map((s) => SOURCE_COLORS[s.source]) },
        ],
      },
      options: horizontal({ legend: false }),
    },
    width: WIDTH,
    height: barsHeight(shares.length, 1),
    alt: capAlt(
      `Assignments by source, ${report.range.label}: ${shareList(shares)}. Total ${formatCount(report.total)}.`,
    ),
    title: 'Assignments by source',
    name: 'assignments-by-source',
  };
}

/** A bar's place on the time axis: its label, its total, and whether it is pale (so far, or a part week). */
interface TimeBar {
  /** One line, or two ("26 Nov", "so far"): Chart.js draws an array as lines. */
  label: string | string[];
  count: number;
  pale: boolean;
  /** For the alt text: "26 Nov 12 (so far)". */
  spoken: string;
}

function dayBars(report: Report): ChartSpec {
  const today = report.range.soFar?.day;
  const bars: TimeBar[] = report.byDay.map(({ day, counts }) => {
    const count = sumCounts(counts);
    const soFar = day === today;
    return {
      label: soFar ? [dayLabel(day), 'so far'] : dayLabel(day),
      count,
      pale: soFar,
      spoken: `${dayLabel(day)} ${formatCount(count)}${soFar ? ' (so far)' : ''}`,
    };
  });
  return timeChart(report, bars, {
    kind: 'days',
    // A crowded axis may skip today's label; the title says what the pale bar is either way.
    title:
      today && bars.some((b) => b.pale)
        ? 'Assignments per day (today so far, in pale)'
        : 'Assignments per day',
    name: 'assignments-per-day',
  });
}

/** Calendar weeks from Monday; a week the range holds only part of is pale and says how many days it has. */
function weekBars(report: Report): ChartSpec {
  const today = report.range.soFar?.day;
  const weeks = new Map<LocalDate, { first: LocalDate; days: number; count: number; today: boolean }>();
  for (const { day, counts } of report.byDay) {
    const monday = addDays(day, -((weekdayOf(day) + 6) % 7));
    // The first day of the week in the range: its Monday, or the range's first day.
    const week = weeks.get(monday) ?? { first: day, days: 0, count: 0, today: false };
    week.days++;
    week.count += sumCounts(counts);
    week.today ||= day === today;
    weeks.set(monday, week);
  }
  const bars: TimeBar[] = [...weeks.values()].map((week) => {
    const { first } = week;
    const note = week.today
      ? 'so far'
      : week.days < 7
        ? `${week.days} ${week.days === 1 ? 'day' : 'days'}`
        : '';
    return {
      label: note ? [dayLabel(first), note] : dayLabel(first),
      count: week.count,
      pale: note !== '',
      spoken: `week of ${dayLabel(first)} ${formatCount(week.count)}${note ? ` (${note})` : ''}`,
    };
  });
  return timeChart(report, bars, {
    kind: 'weeks',
    title: 'Assignments per week, from Monday (pale: part of a week, or so far)',
    name: 'assignments-per-week',
  });
}

function timeChart(
  report: Report,
  bars: readonly TimeBar[],
  what: { kind: ChartKind; title: string; name: string },
): ChartSpec {
  const per = what.kind === 'weeks' ? 'week' : 'day';
  return {
    kind: what.kind,
    config: {
      type: 'bar',
      data: {
        labels: bars.map((b) => b.label),
        datasets: [
          {
            data: bars.map((b) => b.count),
            backgroundColor: bars.map((b) => (b.pale ? PALE_COLOR : TOTAL_COLOR)),
          },
        ],
      },
      options: {
        plugins: { legend: { display: false } },
        scales: {
          x: { ticks: { maxRotation: 0, autoSkipPadding: 8, font: { size: TICK_FONT } } },
          y: { beginAtZero: true, ticks: { precision: 0, font: { size: TICK_FONT } } },
        },
      },
    },
    width: WIDTH,
    height: 300,
    alt: capAlt(
      `Assignments per ${per}, ${report.range.label}: ${bars.map((b) => b.spoken).join(', ')}. Total ${formatCount(report.total)}.`,
    ),
    title: what.title,
    name: what.name,
  };
}

/** What a digest's day is drawn against: the same weekday's average over the previous weeks. */
export interface SourceComparison {
  /** Legend and alt text, e.g. "4-week Thursday average". */
  label: string;
  counts: Readonly<Record<Source, number>>;
}

/**
 * One day's assignments per source in one strong colour, beside the pale comparison, with a legend that
 * matches the bars; `undefined` when there is nothing to draw. `label` names the day ("Thu 26 Nov").
 */
export function digestChart(input: {
  label: string;
  shares: readonly SourceShare[];
  comparison?: SourceComparison | undefined;
}): ChartSpec | undefined {
  const total = input.shares.reduce((sum, s) => sum + s.count, 0);
  if (total === 0) return undefined;
  const { comparison } = input;
  // A source absent today but usual on this weekday is exactly what the comparison should show.
  const shown = input.shares
    .filter((s) => s.count > 0 || (comparison?.counts[s.source] ?? 0) > 0)
    .sort(
      (a, b) =>
        b.count - a.count || (comparison ? comparison.counts[b.source] - comparison.counts[a.source] : 0),
    );
  const day = { label: input.label, data: shown.map((s) => s.count), backgroundColor: TOTAL_COLOR };
  const datasets = comparison
    ? [
        day,
        {
          label: comparison.label,
          data: shown.map((s) => roundTenth(comparison.counts[s.source])),
          backgroundColor: PALE_COLOR,
        },
      ]
    : [day];
  const against = comparison
    ? ` ${comparison.label}: ${shown.map((s) => `${s.label} ${formatAverage(comparison.counts[s.source])}`).join(', ')}.`
    : '';
  return {
    kind: 'digest',
    config: {
      type: 'bar',
      data: { labels: shown.map((s) => s.label), datasets },
      options: horizontal({ legend: comparison !== undefined }),
    },
    width: WIDTH,
    height: barsHeight(shown.length, datasets.length) + (comparison ? 30 : 0),
    alt: capAlt(
      `Assignments by source, ${input.label}: ${shareList(rankedShares(input.shares))}. Total ${formatCount(total)}.${against}`,
    ),
    title: comparison ? `Assignments by source, against the ${comparison.label}` : 'Assignments by source',
    name: 'digest-by-source',
  };
}

/** Horizontal bars (long source names read on a phone), whole-number ticks from zero. */
function horizontal(options: { legend: boolean }): Record<string, unknown> {
  return {
    indexAxis: 'y',
    plugins: { legend: { display: options.legend, position: 'top', labels: { font: { size: LABEL_FONT } } } },
    scales: {
      x: { beginAtZero: true, ticks: { precision: 0, font: { size: TICK_FONT } } },
      y: { ticks: { font: { size: LABEL_FONT } } },
    },
  };
}

/** Tall enough for each bar to read, short enough to keep a phone screen for the rest. */
function barsHeight(bars: number, perBar: number): number {
  return Math.max(120, 44 + bars * (perBar === 1 ? 36 : 48));
}

function roundTenth(value: number): number {
  return Math.round(value * 10) / 10;
}

/** The chart as a QuickChart URL (never a short URL: that is a network call). Pure. */
export function quickchartUrl(spec: ChartSpec, base: string = DEFAULT_QUICKCHART_URL): string {
  const { scheme, host } = splitBaseUrl(base);
  return new QuickChart()
    .setScheme(scheme)
    .setHost(host)
    .setVersion('4')
    .setWidth(spec.width)
    .setHeight(spec.height)
    .setDevicePixelRatio(DEVICE_PIXEL_RATIO)
    .setConfig(spec.config)
    .getUrl();
}

// QuickChart builds `${scheme}://${host}/chart`, so a self-hosted server's path prefix rides along in the host.
function splitBaseUrl(base: string): { scheme: string; host: string } {
  const url = new URL(base);
  return { scheme: url.protocol.replace(/:$/, ''), host: `${url.host}${url.pathname.replace(/\/+$/, '')}` };
}

/** "Workflow 120 (60%), Bot 80 (40%)" */
function shareList(shares: readonly SourceShare[]): string {
  return shares.map((s) => `${s.label} ${formatCount(s.count)} (${s.percent}%)`).join(', ');
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
