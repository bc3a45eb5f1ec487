import { createRequire } from 'node:module';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { Chart, type ChartConfiguration, type Plugin, registerables } from 'chart.js';
import { type ChartSpec, DEVICE_PIXEL_RATIO } from '../render/chart.ts';

// Draws a chart definition to PNG in this process: Chart.js 4 (what QuickChart runs) on a Skia canvas whose
// binary comes from npm, with the Inter font from npm, so no chart and no count leaves the workspace.

const FONT_FAMILY = 'Inter';
const FONT_FILE = '@fontsource/inter/files/inter-latin-400-normal.woff2';

let ready = false;

/** Registers Chart.js's pieces and the font once; a missing font file is an install problem, said as one. */
function prepare(): void {
  if (ready) return;
  Chart.register(...registerables);
  const path = createRequire(import.meta.url).resolve(FONT_FILE);
  if (!GlobalFonts.registerFromPath(path, FONT_FAMILY))
    throw new Error(`could not load the chart font ${path}: run npm ci again`);
  Chart.defaults.font.family = FONT_FAMILY;
  ready = true;
}

/** QuickChart paints the background white (its `bkg`); Chart.js leaves it transparent. */
const whiteBackground: Plugin<'bar'> = {
  id: 'handoff-white-background',
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

/** The chart as PNG bytes, `width × DEVICE_PIXEL_RATIO` by `height × DEVICE_PIXEL_RATIO` pixels. */
export async function renderChartPng(spec: ChartSpec): Promise<Buffer> {
  prepare();
  const canvas = createCanvas(spec.width, spec.height);
  const configuration: ChartConfiguration<'bar'> = {
    type: spec.config.type,
    data: spec.config.data,
    options: {
      ...spec.config.options,
      responsive: false,
      animation: false,
      devicePixelRatio: DEVICE_PIXEL_RATIO,
    },
    plugins: [whiteBackground],
  };
  // Chart.js draws on anything with getContext('2d'); Skia's canvas is one, though typed as its own class.
  const chart = new Chart(canvas as unknown as ConstructorParameters<typeof Chart>[0], configuration);
  try {
    return await canvas.encode('png');
  } finally {
    chart.destroy();
  }
}
