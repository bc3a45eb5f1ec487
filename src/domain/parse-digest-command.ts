import { NO_FILTERS, type ReportFilters } from './filters.ts';
import { parseReportCommand } from './parse-command.ts';
import { decodeEntities } from './slack-text.ts';
import { suggest } from './suggest.ts';

// `/assignments digest …`: what people type, turned into a command or an exact error. Checks that need Slack or
// the store (does the channel exist, is the team known) happen later; their wording is here too.

export interface DigestChannel {
  id: string;
  /** The name Slack sent with the link (`<#C0123|support>`); null for `<#C0123>` or a bare id. */
  name: string | null;
}

export interface DigestAddRequest {
  channel: DigestChannel;
  /** The team as typed; matched against the team directory afterwards. */
  team: string;
  /** "HH:MM", 24 h. */
  at: string;
  /** From `tz:`; null means the creator's Slack time zone. */
  zone: string | null;
  weekdaysOnly: boolean;
  skipEmpty: boolean;
  /** Any other report filters; `teams` is always empty (the team is `team`). */
  filters: ReportFilters;
}

export const DIGEST_ACTIONS = ['add', 'list', 'remove', 'pause', 'resume', 'test', 'log', 'help'] as const;

export type DigestCommand =
  | { kind: 'help' }
  | { kind: 'list' }
  | { kind: 'add'; request: DigestAddRequest }
  | { kind: 'remove' | 'pause' | 'resume' | 'test' | 'log'; id: string };

export type DigestParse = { ok: true; command: DigestCommand } | { ok: false; error: string };

export const DIGEST_USAGE = [
  '`/assignments digest add #channel team:Support at 09:00 [tz:Asia/Kuala_Lumpur] [weekdays] [skip-empty] [source:…]`',
  '`/assignments digest list`',
  '`/assignments digest pause ID` · `resume ID` · `remove ID` · `test ID` · `log ID`',
];

const DIGEST_WORD = /^\s*digests?(?:\s|$)/i;
const SEE_LIST = '`/assignments digest list` shows the ids.';

/** True when `/assignments` text manages digests (its first word is `digest`). */
export function isDigestCommand(text: string): boolean {
  return DIGEST_WORD.test(text);
}

/** Splits on spaces, keeping quoted parts (`team:"Customer Success"`) inside their word. */
function words(text: string): string[] {
  return text.match(/(?:[^\s"“”]+|["“”][^"“”]*(?:["“”]|$))+/g) ?? [];
}

const CHANNEL_LINK = /^<#([CG][A-Z0-9]+)(?:\|([^>]*))?>$/;
const CHANNEL_ID = /^[CG](?=[A-Z0-9]*\d)[A-Z0-9]{4,}$/;
const TIME = /^(\d{1,2}):(\d{2})$/;
const TWELVE_HOUR = /^\d{1,2}(?::\d{2})?\s*(?:am|pm)$/i;
const DIGEST_ID = /^[a-z0-9]{3,12}$/i;

const FLAGS: Record<string, 'weekdays' | 'skipEmpty'> = {
  weekdays: 'weekdays',
  'weekdays-only': 'weekdays',
  weekdays_only: 'weekdays',
  'skip-empty': 'skipEmpty',
  skip_empty: 'skipEmpty',
  skipempty: 'skipEmpty',
};

/** A channel as Slack escapes it (`<#C0123|support>`, `<#C0123>`) or a bare id (`C0123`). */
export function readChannel(word: string): DigestChannel | undefined {
  const link = CHANNEL_LINK.exec(word);
  if (link?.[1]) return { id: link[1], name: link[2] ? link[2] : null };
  return CHANNEL_ID.test(word) ? { id: word, name: null } : undefined;
}

/** `09:00`, `9:00` → "09:00"; anything else is an error that says how to write a time. */
export function readTime(word: string): string | { error: string } {
  const shown = decodeEntities(word);
  if (TWELVE_HOUR.test(shown))
    return { error: `\`${shown}\`: write the time in 24-hour HH:MM, e.g. \`at 09:00\` or \`at 17:30\`.` };
  const m = TIME.exec(shown);
  const [h, min] = [Number(m?.[1]), Number(m?.[2])];
  if (!m || h > 23 || min > 59)
    return {
      error: `\`${shown}\` is not a time of day: use 24-hour HH:MM from 00:00 to 23:59, e.g. \`at 09:00\`.`,
    };
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

function parseAdd(args: string[]): DigestParse {
  let channel: DigestChannel | undefined;
  let at: string | undefined;
  const flags = { weekdays: false, skipEmpty: false };
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i] ?? '';
    const lower = word.toLowerCase();
    const asChannel = readChannel(word);
    if (asChannel) {
      if (channel && channel.id !== asChannel.id)
        return {
          ok: false,
          error: 'Two channels: a digest posts to one channel. Add one digest per channel.',
        };
      channel = asChannel;
      continue;
    }
    if (word.startsWith('#') || word.startsWith('<#')) {
      const shown = decodeEntities(word);
      return {
        ok: false,
        error: `Unknown channel \`${shown}\`: Slack did not recognise it. Pick the channel from the suggestions as you type \`#\`, or give its id (C…, at the bottom of the channel's details).`,
      };
    }
    const timeWord = lower === 'at' ? args[i + 1] : lower.startsWith('at:') ? word.slice(3) : undefined;
    if (lower === 'at' || lower.startsWith('at:') || TIME.test(word) || TWELVE_HOUR.test(word)) {
      const typed = timeWord ?? word;
      if (lower === 'at' && timeWord === undefined)
        return {
          ok: false,
          error: '`at` needs a time of day: `at 09:00` (24-hour, in the digest’s time zone).',
        };
      const time = readTime(typed);
      if (typeof time !== 'string') return { ok: false, error: time.error };
      if (at && at !== time)
        return { ok: false, error: `Two times: \`${at}\` and \`${time}\`. A digest posts once a day.` };
      at = time;
      if (lower === 'at') i++;
      continue;
    }
    const flag = FLAGS[lower];
    if (flag === 'weekdays') flags.weekdays = true;
    else if (flag === 'skipEmpty') flags.skipEmpty = true;
    else rest.push(word);
  }
  // Everything else is report vocabulary (team:, tz:, source:, …), read by the report's own parser.
  const bare = rest.find((w) => !/^[^"“”\s]+:/.test(w));
  if (bare !== undefined) return { ok: false, error: bareWordError(bare) };
  const parsed = parseReportCommand(rest.join(' '));
  if (!parsed.ok) return { ok: false, error: parsed.error };
  if (!channel)
    return {
      ok: false,
      error: `Which channel? Start with it: \`/assignments digest add #support team:Support at 09:00\`.`,
    };
  const teams = parsed.filters.teams;
  if (teams.length === 0)
    return {
      ok: false,
      error: 'Which team? Add `team:Support` (`/assignments teams` lists the teams).',
    };
  if (teams.length > 1)
    return {
      ok: false,
      error: `One team per digest (you gave ${teams.map((t) => `\`${t}\``).join(', ')}): add one digest for each.`,
    };
  if (!at) return { ok: false, error: 'At what time? Add `at 09:00` (24-hour, in the digest’s time zone).' };
  return {
    ok: true,
    command: {
      kind: 'add',
      request: {
        channel,
        team: teams[0] ?? '',
        at,
        zone: parsed.zone ?? null,
        weekdaysOnly: flags.weekdays,
        skipEmpty: flags.skipEmpty,
        filters: { ...structuredClone(NO_FILTERS), ...parsed.filters, teams: [] },
      },
    },
  };
}

function bareWordError(word: string): string {
  const shown = decodeEntities(word);
  const asReport = parseReportCommand(shown);
  if (asReport.ok && asReport.rangeGiven)
    return `A digest always covers the day before it posts: drop \`${shown}\`.`;
  const near = suggest(shown, ['weekdays', 'skip-empty', 'at']);
  return `I don't understand \`${shown}\` in a digest.${near ? ` Did you mean \`${near}\`?` : ''} Usage: ${DIGEST_USAGE[0]}`;
}

/** Parses the text of `/assignments digest …` (including the word `digest`). */
export function parseDigestCommand(text: string): DigestParse {
  const [, actionWord, ...args] = words(text.trim());
  const action = (actionWord ?? 'help').toLowerCase();
  switch (action) {
    case 'help':
      return { ok: true, command: { kind: 'help' } };
    case 'list':
      if (args.length > 0)
        return { ok: false, error: '`digest list` takes nothing after it: it lists every digest.' };
      return { ok: true, command: { kind: 'list' } };
    case 'add':
      return parseAdd(args);
    case 'remove':
    case 'pause':
    case 'resume':
    case 'test':
    case 'log': {
      const [id, ...extra] = args.map((a) => decodeEntities(a).replace(/[`,.]/g, ''));
      if (id === undefined)
        return { ok: false, error: `Which digest? \`/assignments digest ${action} ID\`. ${SEE_LIST}` };
      if (extra.length > 0 || !DIGEST_ID.test(id))
        return {
          ok: false,
          error: `\`digest ${action}\` takes one digest id, like \`digest ${action} d7k2\`. ${SEE_LIST}`,
        };
      return { ok: true, command: { kind: action, id: id.toLowerCase() } };
    }
    default: {
      const shown = decodeEntities(actionWord ?? '');
      const near = suggest(shown, DIGEST_ACTIONS);
      return {
        ok: false,
        error: `\`digest ${shown}\` is not a digest command.${near ? ` Did you mean \`digest ${near}\`?` : ''} Try \`/assignments digest help\`.`,
      };
    }
  }
}

/** The team as it is spelled (by name, ignoring case), or an error naming the nearest team. */
export function matchTeam(typed: string, teams: readonly string[]): { team: string } | { error: string } {
  const exact = teams.find((t) => t.toLowerCase() === typed.trim().toLowerCase());
  if (exact) return { team: exact };
  if (teams.length === 0)
    return {
      error: `Unknown team \`${typed}\`: no team is known yet (no event has carried one and the team directory is empty). Load the directory first (README, "Teams": \`npm run import:agents\` or POST /api/agents).`,
    };
  const near = suggest(typed, teams);
  return {
    error: `Unknown team \`${typed}\`.${near ? ` Did you mean \`team:${near.includes(' ') ? `"${near}"` : near}\`?` : ''} Teams: ${listTeams(teams)}.`,
  };
}

/** Teams named in an error: the first few, so a directory of thousands still fits a Slack message. */
const LISTED_TEAMS = 20;

function listTeams(teams: readonly string[]): string {
  if (teams.length <= LISTED_TEAMS) return teams.join(', ');
  const more = (teams.length - LISTED_TEAMS).toLocaleString('en-US');
  return `${teams.slice(0, LISTED_TEAMS).join(', ')} and ${more} more (\`/assignments teams\` lists them)`;
}

/** An id nobody has: suggests the nearest existing one. */
export function unknownDigestError(id: string, ids: readonly string[]): string {
  const near = suggest(id, ids);
  return `No digest \`${id}\`.${near ? ` Did you mean \`${near}\`?` : ''} ${SEE_LIST}`;
}

/** Why `conversations.info` did not find a channel, in words that say what to do. */
export function unknownChannelError(channel: DigestChannel, slackError: string): string {
  const shown = channel.name ? `#${channel.name}` : channel.id;
  if (slackError === 'channel_not_found')
    return `Unknown channel \`${shown}\`: it does not exist, or it is private and Handoff is not in it (invite it there with \`/invite @Handoff\`).`;
  if (slackError === 'missing_scope')
    return `I could not look up \`${shown}\`: the app lacks the channels:read / groups:read scope. Reinstall it from manifest.yml.`;
  return `I could not look up \`${shown}\` (Slack said \`${slackError}\`). Try again in a minute.`;
}
