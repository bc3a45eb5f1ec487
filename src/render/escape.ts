/** Longest outside name a message shows, in characters, before it is cut with an ellipsis. */
export const MAX_NAME_LENGTH = 80;

// U+2060 WORD JOINER: invisible, and Slack does not treat it as a word boundary, so a formatting character or
// a mention prefix next to one no longer opens anything.
const JOINER = '\u2060';

// Control characters, bidi overrides (which can make a name render backwards) and zero-width characters (a
// zero-width space, joiner or word joiner makes "Mei\u200bTan" look like a name it is not). Tabs, newlines and
// line/paragraph separators are turned into spaces first.
const UNSAFE_CHARACTERS = /[\p{Cc}\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]|\u200d/gu;
const LINE_BREAKS = /[\t\r\n\u2028\u2029]+/g;

/** Cuts text to at most `max` UTF-16 units, ending in "…" when cut, never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/** An outside name as one plain line: no control characters, newlines as spaces, runs of spaces collapsed. */
export function cleanName(text: string): string {
  return text.replace(LINE_BREAKS, ' ').replace(UNSAFE_CHARACTERS, '').replace(/ {2,}/g, ' ').trim();
}

/** Escapes the three characters Slack asks every sender to escape; keeps the rest of mrkdwn working. */
export function escapeEntities(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/**
 * Makes an outside name (contact, agent, filter value) inert in Slack mrkdwn: it can never become a mention,
 * a link, a quote or formatting. Names are cleaned and cut to `max` characters first.
 */
export function escapeMrkdwn(text: string, max = MAX_NAME_LENGTH): string {
  return (
    escapeEntities(truncate(cleanName(text), max))
      // `*bold*`, `_italic_`, `~strike~`, `code`: a joiner on both sides keeps either end from pairing up.
      .replace(/[*_~`]/g, `${JOINER}$&${JOINER}`)
      // @here, #channel and !subteam only mean something when the letters follow immediately.
      .replace(/[@#!]/g, `$&${JOINER}`)
      // An escaped `>` at the start of a line still starts a quote.
      .replaceAll('&gt;', `${JOINER}&gt;`)
      // Bare URLs and domains are linked automatically; a joiner breaks the pattern without changing the look.
      .replaceAll('://', `:${JOINER}//`)
      .replace(/(?<=\w)\.(?=\w)/g, `.${JOINER}`)
  );
}
