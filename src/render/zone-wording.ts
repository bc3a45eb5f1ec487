import { offsetOf } from '../domain/time.ts';

// Time zones as people say them: "Kuala Lumpur time (UTC+8)". Commands keep the IANA name (`tz:`).

const UTC_NAMES = new Set([
  'UTC',
  'Etc/UTC',
  'Etc/UCT',
  'UCT',
  'GMT',
  'Etc/GMT',
  'Etc/Universal',
  'Etc/Zulu',
  'Zulu',
  'Universal',
]);

/** "+08:00" → "+8", "+05:45" → "+5:45", "-04:00" → "−4", "+00:00" → "+0". */
function shortOffset(offset: string): string {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(offset);
  if (!m) return offset;
  const minutes = m[3] === '00' ? '' : `:${m[3]}`;
  return `${m[1] === '-' ? '−' : '+'}${Number(m[2])}${minutes}`;
}

/**
 * "Kuala Lumpur time (UTC+8)", "New York time (UTC−5)", "UTC"; a span that crosses a DST change shows both
 * offsets: "London time (UTC+1/+0)". `at` are the instants whose offsets count (a range's first and last).
 */
export function describeZone(zone: string, at: readonly Date[]): string {
  const offsets = [...new Set(at.map((t) => shortOffset(offsetOf(t, zone))))];
  const utc = offsets.length === 1 && offsets[0] === '+0' ? 'UTC' : `UTC${offsets.join('/')}`;
  if (UTC_NAMES.has(zone)) return 'UTC';
  // Etc/GMT+5 and the like have no city: the offset is their name.
  if (zone.startsWith('Etc/') || !zone.includes('/')) return utc;
  return `${zone.split('/').at(-1)?.replaceAll('_', ' ') ?? zone} time (${utc})`;
}

/** The zone of a range: its offsets at its first and last instant. */
export function describeRangeZone(range: { zone: string; from: Date; to: Date }): string {
  return describeZone(range.zone, [range.from, new Date(range.to.getTime() - 1)]);
}
