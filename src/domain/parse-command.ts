import { canonicalZone } from './canonical-zone.ts';
import { FILTER_KEYS, NO_FILTERS, type ReportFilters, UNASSIGNED } from './filters.ts';
import { DEFAULT_RANGE, type RangeSpec } from './range.ts';
import { decodeEntities } from './slack-text.ts';
import { parseSource, SOURCES, type Source } from './sources.ts';
import { suggest } from './suggest.ts';
import { daysBetween, isLocalDate } from './time.ts';

export type ParsedReport = {
  ok: true;
  range: RangeSpec;
  rangeGiven: boolean;
  filters: ReportFilters;
  /** `tz:` (alias `zone:`): count days in this IANA zone instead of the requester's. Absent when not given. */
  zone?: string;
};
export type ParseResult = ParsedReport | { ok: false; error: string };

/** Longest range a report accepts, in days. */
export const MAX_RANGE_DAYS = 400;
/** The dates a range may name: events before 2000 are refused at every entrance (event-time.ts). */
const FIRST_DATE = '2000-01-01';
const LAST_DATE = '2099-12-31';

const KEY_ALIASES: Record<string, keyof ReportFilters> = {
  ...Object.fromEntries(FILTER_KEYS.map(([key, field]) => [key, field])),
  to: 'assignees',
  conv: 'conversations',
  sources: 'sources',
};

/** Keys of the time zone token; it is not a filter (it changes which instants a day covers, not which events). */
const ZONE_KEYS = new Set(['tz', 'zone']);

const RANGE_WORDS = [
  'today',
  'yesterday',
  'last 7 days',
  'last 14 days',
  'last 30 days',
  'this month',
  'last month',
];
const FIXED_RANGES: Record<string, RangeSpec> = {
  today: { kind: 'preset', preset: 'today' },
  yesterday: { kind: 'preset', preset: 'yesterday' },
  'this month': { kind: 'preset', preset: 'this_month' },
  'last month': { kind: 'preset', preset: 'last_month' },
  'last 7 days': { kind: 'preset', preset: 'last_7_days' },
  'last 14 days': { kind: 'preset', preset: 'last_14_days' },
  'last 30 days': { kind: 'preset', preset: 'last_30_days' },
};

interface Token {
  text: string;
  /** Set when the token is `key:value`. */
  key?: string;
  /** The comma-separated values of a `key:value` token; commas inside quotes do not separate. */
  values?: string[];
}

// Slack clients turn straight quotes into curly ones; both are accepted.
const QUOTES = /[“”„‟"]/g;
const SINGLE_QUOTES = /[‘’‚‛]/g;

/** Splits on spaces, keeping `"quoted values"` and `key:"quoted, value"` whole. */
function tokenize(text: string): Token[] | string {
  const src = text.replace(QUOTES, '"').replace(SINGLE_QUOTES, "'").trim();
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    if (/\s/.test(src[i] ?? '')) {
      i++;
      continue;
    }
    let raw = '';
    let current = '';
    let quoted = false;
    let key: string | undefined;
    const values: string[] = [];
    while (i < src.length && !/\s/.test(src[i] ?? '')) {
      const ch = src[i] ?? '';
      if (ch === '"') {
        const end = src.indexOf('"', i + 1);
        if (end < 0) return `A quote is not closed in \`${src.slice(i)}\`: close it with another \`"\`.`;
        raw += src.slice(i, end + 1);
        current += src.slice(i + 1, end);
        quoted = true;
        i = end + 1;
        continue;
      }
      raw += ch;
      i++;
      // The first colon after an unquoted word ends the key; after it, unquoted commas separate values.
      if (ch === ':' && key === undefined && !quoted && current !== '') {
        key = current.toLowerCase();
        current = '';
      } else if (ch === ',' && key !== undefined) {
        values.push(current);
        current = '';
      } else current += ch;
    }
    if (key === undefined) tokens.push({ text: quoted ? current : raw });
    else {
      values.push(current);
      tokens.push({ text: raw, key, values: values.map((v) => v.trim()).filter(Boolean) });
    }
  }
  return tokens;
}

function parseDateRange(word: string): RangeSpec | string | undefined {
  const between = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(word);
  const single = /^\d{4}-\d{2}-\d{2}$/.test(word) ? word : undefined;
  const from = between?.[1] ?? single;
  const to = between?.[2] ?? single;
  if (!from || !to) return undefined;
  for (const d of [from, to]) {
    if (!isLocalDate(d)) return `\`${d}\` is not a calendar date. Use YYYY-MM-DD.`;
    if (d < FIRST_DATE || d > LAST_DATE)
      return `\`${d}\` is outside the dates a report covers: pick days between ${FIRST_DATE} and ${LAST_DATE} (no event before 2000 is kept).`;
  }
  const days = daysBetween(from, to) + 1;
  if (days < 1) return `\`${word}\` ends before it starts. Write the earlier date first: \`${to}..${from}\`.`;
  if (days > MAX_RANGE_DAYS)
    return `\`${word}\` is ${days} days long; a report covers at most ${MAX_RANGE_DAYS}.`;
  return { kind: 'dates', from, to };
}

function lastDays(n: number, word: string): RangeSpec | string {
  if (!Number.isInteger(n) || n < 1 || n > MAX_RANGE_DAYS)
    return `\`${word}\`: the number of days must be between 1 and ${MAX_RANGE_DAYS}.`;
  return { kind: 'last_days', days: n };
}

/** Reads a range starting at tokens[i]; returns how many tokens it used. */
function readRange(tokens: Token[], i: number): { spec: RangeSpec; used: number } | string | undefined {
  const words = tokens.slice(i, i + 3).map((t) => (t.key === undefined ? t.text.toLowerCase() : ''));
  const [w0 = '', w1 = '', w2 = ''] = words;
  const three = `${w0} ${w1} ${w2}`;
  const two = `${w0} ${w1}`;
  const fixed3 = FIXED_RANGES[three];
  if (fixed3) return { spec: fixed3, used: 3 };
  const fixed2 = FIXED_RANGES[two];
  if (fixed2) return { spec: fixed2, used: 2 };
  const fixed1 = FIXED_RANGES[w0];
  if (fixed1) return { spec: fixed1, used: 1 };
  const lastN = /^last$/.test(w0) && /^\d+$/.test(w1) && /^days?$/.test(w2);
  if (lastN) {
    const spec = lastDays(Number(w1), three);
    return typeof spec === 'string' ? spec : { spec, used: 3 };
  }
  const lastNd = w0 === 'last' ? /^(\d+)d$/.exec(w1) : null;
  if (lastNd) {
    const spec = lastDays(Number(lastNd[1]), two);
    return typeof spec === 'string' ? spec : { spec, used: 2 };
  }
  const nd = /^(\d+)d$/.exec(w0);
  if (nd) {
    const spec = lastDays(Number(nd[1]), w0);
    return typeof spec === 'string' ? spec : { spec, used: 1 };
  }
  const dates = parseDateRange(w0);
  if (typeof dates === 'string') return dates;
  return dates ? { spec: dates, used: 1 } : undefined;
}

/** Adds values not already present, ignoring case, keeping the first spelling. */
function mergeValues<T extends string>(existing: readonly T[], added: readonly T[]): T[] {
  const merged = [...existing];
  for (const v of added) if (!merged.some((m) => m.toLowerCase() === v.toLowerCase())) merged.push(v);
  return merged;
}

function unknownWord(word: string): string {
  const candidates = [
    ...RANGE_WORDS,
    ...['7d', '14d', '30d', 'help', 'teams', 'export'],
    ...SOURCES.map((s) => `source:${s}`),
    ...SOURCES,
  ];
  const near = suggest(word, candidates);
  const fix = near && SOURCES.includes(near as Source) ? `source:${near}` : near;
  // A word that is already right (`help`, handled before parsing) gets no "did you mean" of itself.
  const hint = fix && fix.toLowerCase() !== word.toLowerCase() ? ` Did you mean \`${fix}\`?` : '';
  return `I don't understand \`${word}\`.${hint} Try \`/assignments help\`.`;
}

function readSources(values: string[]): Source[] | string {
  const sources: Source[] = [];
  for (const v of values) {
    const source = parseSource(v);
    if (!source) {
      const near = suggest(v, SOURCES);
      return `Unknown source \`${v}\`.${near ? ` Did you mean \`${near}\`?` : ''} Sources: ${SOURCES.join(', ')}.`;
    }
    if (!sources.includes(source)) sources.push(source);
  }
  return sources;
}

/** Parses `/assignments` report text: an optional range and filters, in any order. */
export function parseReportCommand(text: string): ParseResult {
  // The command is declared with should_escape: Slack sends typed &, < and > as entities.
  const tokens = tokenize(decodeEntities(text));
  if (typeof tokens === 'string') return { ok: false, error: tokens };
  let range: { spec: RangeSpec; text: string } | undefined;
  const filters: ReportFilters = structuredClone(NO_FILTERS);
  let zone: string | undefined;
  for (let i = 0; i < tokens.length; ) {
    const token = tokens[i] as Token;
    if (token.key !== undefined && ZONE_KEYS.has(token.key)) {
      const read = readZone(token);
      if (!read.ok) return read;
      if (zone !== undefined && zone !== read.zone)
        return { ok: false, error: `Two time zones: \`${zone}\` and \`${read.zone}\`. Give one at most.` };
      zone = read.zone;
      i++;
      continue;
    }
    if (token.key !== undefined) {
      const field = KEY_ALIASES[token.key];
      if (!field) {
        const near = suggest(token.key, [...Object.keys(KEY_ALIASES), ...ZONE_KEYS]);
        return {
          ok: false,
          error: `Unknown filter \`${token.key}:\`.${near ? ` Did you mean \`${near}:\`?` : ''} Filters: source:, assignee: (to:), by:, contact:, conversation: (conv:), team:; time zone: tz: (zone:).`,
        };
      }
      const values = token.values ?? [];
      if (values.length === 0)
        return {
          ok: false,
          error: `\`${token.text}\` has no value. Example: \`${token.key}:${example(field)}\`.`,
        };
      if (field === 'sources') {
        const sources = readSources(values);
        if (typeof sources === 'string') return { ok: false, error: sources };
        filters.sources = mergeValues(filters.sources, sources);
      } else {
        const normalised = field === 'assignees' ? values.map(normaliseNone) : values;
        filters[field] = mergeValues(filters[field], normalised);
      }
      i++;
      continue;
    }
    const found = readRange(tokens, i);
    if (typeof found === 'string') return { ok: false, error: found };
    if (found) {
      const words = tokens
        .slice(i, i + found.used)
        .map((t) => t.text)
        .join(' ');
      if (range)
        return {
          ok: false,
          error: `Two ranges: \`${range.text}\` and \`${words}\`. Give one range at most.`,
        };
      range = { spec: found.spec, text: words };
      i += found.used;
      continue;
    }
    return { ok: false, error: unknownWord(rangeLikePhrase(tokens, i)) };
  }
  return {
    ok: true,
    range: range?.spec ?? DEFAULT_RANGE,
    rangeGiven: range !== undefined,
    filters,
    ...(zone === undefined ? {} : { zone }),
  };
}

/** Whether the text names its own zone (`tz:` or `zone:`), so the requester's zone does not count its days. */
export function namesZone(text: string): boolean {
  const tokens = tokenize(decodeEntities(text));
  return typeof tokens !== 'string' && tokens.some((t) => t.key !== undefined && ZONE_KEYS.has(t.key));
}

/** The command word that selects a zone, as a reproducing command writes it: `tz:Asia/Kuala_Lumpur`. */
export function zoneWord(zone: string): string {
  return `tz:${zone}`;
}

const ZONE_EXAMPLE = 'tz:Asia/Kuala_Lumpur';

let zoneNames: string[] | undefined;

/** Every zone Node knows, by its canonical name (UTC is not in Intl's list): what a typo is compared with. */
function knownZones(): string[] {
  zoneNames ??= [
    ...new Set(['UTC', ...Intl.supportedValuesOf('timeZone').flatMap((z) => canonicalZone(z) ?? [])]),
  ];
  return zoneNames;
}

/**
 * The zone of a `tz:` token by its IANA canonical name (`asia/kuala_lumpur` → `Asia/Kuala_Lumpur`, `Europe/Kiev`
 * → `Europe/Kyiv`), or an error naming the nearest zone: by city (`tz:"Kuala Lumpur"`) or by spelling.
 */
function readZone(token: Token): { ok: true; zone: string } | { ok: false; error: string } {
  const values = token.values ?? [];
  const [value] = values;
  if (value === undefined)
    return { ok: false, error: `\`${token.text}\` has no value. Example: \`${ZONE_EXAMPLE}\`.` };
  if (values.length > 1)
    return {
      ok: false,
      error: `\`${token.text}\` names ${values.length} time zones; give one, e.g. \`${ZONE_EXAMPLE}\`.`,
    };
  const zone = canonicalZone(value);
  if (zone) return { ok: true, zone };
  const near = nearestZone(value, knownZones());
  return {
    ok: false,
    error: `Unknown time zone \`${value}\`.${near ? ` Did you mean \`tz:${near}\`?` : ''} Use an IANA name such as \`${ZONE_EXAMPLE}\` or \`tz:America/New_York\`.`,
  };
}

function nearestZone(typed: string, zones: readonly string[]): string | undefined {
  const city = typed.trim().replace(/\s+/g, '_').toLowerCase();
  const cityOf = (zone: string): string => (zone.split('/').pop() ?? zone).toLowerCase();
  const sameCity = zones.find((z) => cityOf(z) === city);
  if (sameCity) return sameCity;
  const spelled = suggest(typed, zones);
  if (spelled) return spelled;
  const nearCity = suggest(city, zones.map(cityOf));
  return nearCity === undefined ? undefined : zones.find((z) => cityOf(z) === nearCity);
}

/** `last 7 dayz` is reported whole, so the suggestion can be `last 7 days`; any other word alone. */
function rangeLikePhrase(tokens: readonly Token[], i: number): string {
  const first = tokens[i]?.text ?? '';
  if (first.toLowerCase() !== 'last') return first;
  const words = [first];
  for (const t of tokens.slice(i + 1, i + 3)) {
    if (t.key !== undefined) break;
    words.push(t.text);
  }
  return words.join(' ');
}

function normaliseNone(value: string): string {
  return ['none', 'nobody', 'unassigned'].includes(value.toLowerCase()) ? UNASSIGNED : value;
}

function example(field: keyof ReportFilters): string {
  const examples: Record<keyof ReportFilters, string> = {
    sources: 'workflow',
    assignees: '"Mei Tan"',
    assignedBy: '"Sarah Lee"',
    contacts: '1234567',
    conversations: '88231',
    teams: 'Support',
  };
  return examples[field];
}
