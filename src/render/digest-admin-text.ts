import type { DigestDefinition } from '../domain/digest.ts';
import { describeOccurrence, formatDelay, type Occurrence } from '../domain/digest-schedule.ts';
import { filtersText, hasFilters } from '../domain/filters.ts';
import { DIGEST_USAGE } from '../domain/parse-digest-command.ts';
import { formatDate, formatInZone } from '../domain/time.ts';
import { escapeEntities, escapeMrkdwn, truncate } from './escape.ts';
import type { SlackMessage } from './report-blocks.ts';

// The words of `/assignments digest …` answers and of the DM a digest's creator gets when a run fails, as
// mrkdwn. Pure: the definitions, runs and instants come in, text goes out.

/** A run as `digest log` shows it (the store's record, without the bookkeeping). */
export interface RunLine {
  localDate: string;
  test: boolean;
  state: 'claimed' | 'posted' | 'posted-delayed' | 'skipped-empty' | 'failed' | 'missed';
  claimedAt: Date;
  finishedAt: Date | null;
  delayedByMs: number;
  reason: string | null;
  retryAt: Date | null;
  attempts: number;
  creatorNotified: boolean;
}

/** `<#C0123>`: Slack shows the channel's current name, and the id cannot carry markup. */
const channelLink = (def: Pick<DigestDefinition, 'channelId'>) => `<#${def.channelId}>`;

/** "09:00 Asia/Kuala_Lumpur, weekdays, skip-empty". */
export function scheduleText(def: DigestDefinition): string {
  return [
    `${def.at} ${def.zone}`,
    def.weekdaysOnly ? 'weekdays' : 'every day',
    def.skipEmpty ? 'skip-empty' : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/** "`d7k2` · #support · Support · 09:00 Asia/Kuala_Lumpur, every day · source:workflow". */
export function digestLine(def: DigestDefinition): string {
  const filters = hasFilters(def.filters) ? ` · ${escapeEntities(filtersText(def.filters))}` : '';
  return `\`${def.id}\` · ${channelLink(def)} · *${escapeMrkdwn(def.team)}* · ${scheduleText(def)}${filters}`;
}

const nextText = (def: DigestDefinition, next: Occurrence | null) =>
  next ? `next: ${describeOccurrence(next, def.zone)}` : 'no next run';

/** The answer to `digest add`. */
export function addedText(
  def: DigestDefinition,
  next: Occurrence | null,
  notes: { dstGap: Occurrence | null; botNotInChannel: boolean },
): string {
  const lines = [
    `:white_check_mark: Digest \`${def.id}\` added: yesterday's assignments for *${escapeMrkdwn(def.team)}* in ${channelLink(def)} at ${scheduleText(def)}.`,
    `Filters: ${hasFilters(def.filters) ? escapeEntities(filtersText(def.filters)) : 'none'} · ${nextText(def, next)}`,
  ];
  if (notes.dstGap?.shiftedTo)
    lines.push(
      `:information_source: ${def.at} does not exist in ${def.zone} on ${formatDate(notes.dstGap.localDate, 'ddd D MMM YYYY')} (the clocks go forward): that day it posts at ${notes.dstGap.shiftedTo}, once.`,
    );
  if (notes.botNotInChannel)
    lines.push(
      `:warning: Handoff is not in ${channelLink(def)} yet: invite it with \`/invite @Handoff\` there, or the digest cannot post.`,
    );
  lines.push(`Try it now with \`/assignments digest test ${def.id}\`.`);
  return lines.join('\n');
}

/** The answer to `digest list`. */
export function listText(entries: readonly { def: DigestDefinition; next: Occurrence | null }[]): string {
  if (entries.length === 0) return `No digests yet. Add one: ${DIGEST_USAGE[0]}`;
  const lines = entries.map(
    ({ def, next }) =>
      `• ${digestLine(def)} · ${def.paused ? ':double_vertical_bar: paused' : nextText(def, next)}`,
  );
  return [`*Digests* (${entries.length})`, ...lines].join('\n');
}

function runText(run: RunLine, zone: string): string {
  const day = formatDate(run.localDate, 'ddd D MMM');
  const at = (d: Date) => formatInZone(d, zone, 'HH:mm');
  const reason = run.reason ? `: ${escapeEntities(run.reason)}` : '';
  if (run.test)
    return `${day} · test ${run.state === 'failed' ? `failed${reason}` : 'posted'} at ${at(run.claimedAt)}`;
  switch (run.state) {
    case 'posted':
      return `${day} · posted at ${at(run.finishedAt ?? run.claimedAt)}${reason}`;
    case 'posted-delayed':
      return `${day} · posted late (delayed ${formatDelay(run.delayedByMs)}) at ${at(run.finishedAt ?? run.claimedAt)}${reason}`;
    case 'skipped-empty':
      return `${day} · skipped, nothing to post${reason}`;
    case 'missed':
      return `${day} · missed${reason}`;
    case 'claimed':
      return `${day} · being posted (attempt ${run.attempts})`;
    case 'failed': {
      const retry = run.retryAt ? ` · retrying after ${at(run.retryAt)}` : '';
      const told = run.creatorNotified ? ' · creator told by DM' : '';
      return `${day} · failed${reason}${retry}${told}`;
    }
  }
}

/** The answer to `digest log ID`: the latest runs, newest first, times in the digest's zone. */
export function logText(def: DigestDefinition, runs: readonly RunLine[]): string {
  const head = `*Digest \`${def.id}\`* · ${channelLink(def)} · *${escapeMrkdwn(def.team)}* · ${scheduleText(def)}`;
  if (runs.length === 0) return `${head}\nNo runs yet.`;
  return [
    head,
    `Last ${runs.length} run${runs.length === 1 ? '' : 's'} (times in ${def.zone}):`,
    ...runs.map((r) => `• ${runText(r, def.zone)}`),
  ].join('\n');
}

export function helpText(): string {
  return [
    '*Daily digests*: yesterday’s assignments for a team, posted to a channel every morning.',
    ...DIGEST_USAGE,
  ].join('\n');
}

/** The DM a digest's creator gets when a day's run fails for good. */
export function failureNotice(def: DigestDefinition, localDate: string, reason: string): string {
  return (
    `Your assignments digest \`${def.id}\` (*${escapeMrkdwn(def.team)}*, ${def.at} ${def.zone}) could not be posted to ` +
    `${channelLink(def)} on ${formatDate(localDate, 'ddd D MMM')}: ${escapeEntities(reason)}. It tries again at ` +
    `its next scheduled time; \`/assignments digest log ${def.id}\` shows its runs.`
  );
}

const MAX_SECTION = 3000;
const MAX_BLOCKS = 50;

/** Mrkdwn as sections of whole lines, within Block Kit's 3,000 characters a section and 50 blocks. */
export function textMessage(text: string): SlackMessage {
  const sections: string[] = [];
  for (const line of text.split('\n')) {
    const last = sections.length - 1;
    const current = sections[last];
    if (current !== undefined && current.length + 1 + line.length <= MAX_SECTION)
      sections[last] = `${current}\n${line}`;
    else sections.push(truncate(line, MAX_SECTION));
  }
  const shown = sections.slice(0, MAX_BLOCKS);
  if (sections.length > MAX_BLOCKS) shown[MAX_BLOCKS - 1] = '… (cut: too long for one Slack message)';
  return {
    text: truncate(text, MAX_SECTION),
    blocks: shown.map((s) => ({ type: 'section', text: { type: 'mrkdwn', text: s } })),
  };
}
