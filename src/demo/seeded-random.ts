import type { Source } from '../domain/sources.ts';

// Repeatable randomness for demo and bench data: the same seed gives the same events.

/** mulberry32: small, fast, good enough for made-up data. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** One of `items`, each as likely as its weight. */
export function weighted<T>(random: () => number, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let r = random() * total;
  for (const [item, w] of items) {
    r -= w;
    if (r < 0) return item;
  }
  return (items[items.length - 1] as readonly [T, number])[0];
}

/** How often each source occurs in made-up data, roughly as in a real workspace. */
export const SOURCE_WEIGHTS: readonly (readonly [Source, number])[] = [
  ['workflow', 34],
  ['user', 20],
  ['bot', 14],
  ['developer_api', 10],
  ['close_conversation', 11],
  ['zapier', 6],
  ['contact_import', 5],
];
