/** Edit distance between two short strings (Levenshtein, case-insensitive). */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = row;
  }
  return prev[t.length] ?? 0;
}

/**
 * The edit distance when it is at most `max`, otherwise `max + 1`; both strings already lowercased. Only the
 * diagonal band `max` wide is computed and it stops as soon as a whole row is out of reach, so a candidate costs
 * about `length × (2·max + 1)` steps, and one whose length differs by more than `max` costs nothing.
 */
export function distanceWithin(s: string, t: string, max: number): number {
  const out = max + 1;
  if (Math.abs(s.length - t.length) > max) return out;
  let prev = new Int32Array(t.length + 2).fill(out);
  let cur = new Int32Array(t.length + 2).fill(out);
  for (let j = 0; j <= Math.min(t.length, max); j++) prev[j] = j;
  for (let i = 1; i <= s.length; i++) {
    const lo = Math.max(1, i - max);
    const hi = Math.min(t.length, i + max);
    cur[lo - 1] = lo === 1 && i <= max ? i : out;
    let best = cur[lo - 1] ?? out;
    for (let j = lo; j <= hi; j++) {
      const cost = s.charCodeAt(i - 1) === t.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min((prev[j] ?? out) + 1, (cur[j - 1] ?? out) + 1, (prev[j - 1] ?? out) + cost, out);
      cur[j] = value;
      if (value < best) best = value;
    }
    // The next row reads one cell past this band: it must count as out of reach, not as an earlier row's value.
    cur[hi + 1] = out;
    if (best > max) return out;
    [prev, cur] = [cur, prev];
  }
  return Math.min(prev[t.length] ?? out, out);
}

/**
 * The closest candidate within a typo's reach of `word`, if any. Cheap with many candidates (10,000 teams) and
 * long words alike: see distanceWithin.
 */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  const typed = word.toLowerCase();
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = distanceWithin(typed, candidate.toLowerCase(), best ? best.distance - 1 : limit);
    if (distance <= limit && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}
