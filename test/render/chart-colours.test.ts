import { describe, expect, it } from 'vitest';
import { SOURCE_LABELS, SOURCES } from '../../src/domain/sources.ts';
import { PALE_COLOR, SOURCE_COLORS, TOTAL_COLOR } from '../../src/render/chart.ts';

// Colour-vision deficiency simulated with Machado, Oliveira and Fernandes (2009), severity 1.0, on linear RGB;
// colours compared in CIELAB (ΔE*ab, where about 2.3 is just noticeable and 10+ is clearly different).

type Rgb = [number, number, number];
type Matrix = [Rgb, Rgb, Rgb];

const DEFICIENCIES: Record<string, Matrix> = {
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
};

/** The smallest distance every pair of source colours keeps, with and without a deficiency. */
const MIN_DELTA_E = 15;

function linear(hex: string): Rgb {
  const full = hex.replace('#', '');
  const channel = (i: number) => {
    const c = Number.parseInt(full.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return [channel(0), channel(2), channel(4)];
}

function simulate(rgb: Rgb, m: Matrix | undefined): Rgb {
  if (!m) return rgb;
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  return m.map((row) => clamp(row[0] * rgb[0] + row[1] * rgb[1] + row[2] * rgb[2])) as Rgb;
}

function lab([r, g, b]: Rgb): Rgb {
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

function deltaE(a: string, b: string, m: Matrix | undefined): number {
  const [p, q] = [lab(simulate(linear(a), m)), lab(simulate(linear(b), m))];
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}

function closestPair(
  colours: Record<string, string>,
  m: Matrix | undefined,
): { pair: string; distance: number } {
  let best = { pair: '', distance: Number.POSITIVE_INFINITY };
  const names = Object.keys(colours);
  for (const [i, a] of names.entries())
    for (const b of names.slice(i + 1)) {
      const distance = deltaE(colours[a] ?? '', colours[b] ?? '', m);
      if (distance < best.distance) best = { pair: `${a} / ${b}`, distance };
    }
  return best;
}

const byLabel = Object.fromEntries(SOURCES.map((s) => [SOURCE_LABELS[s], SOURCE_COLORS[s]]));

describe('source colours anyone can tell apart', () => {
  it.each([['normal vision', undefined], ...Object.entries(DEFICIENCIES)] as const)(
    'keeps every pair of sources at least ΔE %s apart under %s',
    (_, matrix) => {
      const closest = closestPair(byLabel, matrix);
      expect(closest.distance, `closest: ${closest.pair}`).toBeGreaterThanOrEqual(MIN_DELTA_E);
    },
  );

  it('would have caught the old palette (Developer API and User the same blue under deuteranopia)', () => {
    expect(deltaE('#4477aa', '#8866bb', DEFICIENCIES.deuteranopia)).toBeLessThan(MIN_DELTA_E);
  });

  it('uses no grey for a real source', () => {
    for (const source of SOURCES.filter((s) => s !== 'unknown' && s !== 'close_conversation')) {
      const [r, g, b] = linear(SOURCE_COLORS[source]);
      expect(Math.max(r, g, b) - Math.min(r, g, b), source).toBeGreaterThan(0.1);
    }
    // Close Conversation is black, well apart from the pale comparison bars.
    expect(deltaE(SOURCE_COLORS.close_conversation, PALE_COLOR, undefined)).toBeGreaterThan(50);
  });

  it('keeps the strong day and its pale comparison apart under each deficiency', () => {
    for (const matrix of Object.values(DEFICIENCIES))
      expect(deltaE(TOTAL_COLOR, PALE_COLOR, matrix)).toBeGreaterThanOrEqual(MIN_DELTA_E);
  });
});
