// How counts and changes are written on every surface: thousands separators, a real minus sign, and never a
// "−0%" (a change that rounds to nothing says "<1%").

/** 1,234 */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** One decimal only where the number has one, with separators: 27.75 → "27.8", 1234 → "1,234". */
export function formatAverage(value: number): string {
  const tenth = Math.round(value * 10) / 10;
  return tenth.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

function sign(diff: number): string {
  return diff > 0 ? '+' : diff < 0 ? '−' : '±';
}

/** "(+25%)", "(−3%)", "(<1%)" for a change that rounds to 0%; rounded half away from zero. */
function percentText(diff: number, base: number): string {
  const pct = Math.round((Math.abs(diff) * 100) / base);
  return pct === 0 ? '<1%' : `${sign(diff)}${pct}%`;
}

/** "+3 (+25%)", "−1,200 (−12%)", "+1 (<1%)"; `magnitude` writes the size of the difference. */
export function signedChange(
  value: number,
  base: number,
  magnitude: (n: number) => string = formatCount,
): string {
  const diff = value - base;
  if (diff === 0) return '±0';
  const size = `${sign(diff)}${magnitude(Math.abs(diff))}`;
  return base === 0 ? size : `${size} (${percentText(diff, base)})`;
}

/**
 * A total against what it is compared with, naming it: "+14 (+14%) vs Mon 30 Nov (97)",
 * "−81 (−47%) vs yesterday to 09:41 (171)", "+9 vs October (0)".
 */
export function changeAgainst(total: number, previousTotal: number, label: string): string {
  if (total === previousTotal) return `no change vs ${label} (${formatCount(previousTotal)})`;
  return `${signedChange(total, previousTotal)} vs ${label} (${formatCount(previousTotal)})`;
}

/** A row's change against its comparison: "+3 (+25%)", "±0", or "new" when the comparison had none. */
export function rowChange(count: number, previous: number): string {
  if (previous === 0) return count === 0 ? '±0' : 'new';
  return signedChange(count, previous);
}
