import type { types } from '@slack/bolt';
import type { Party } from '../domain/event.ts';
import { SOURCE_LABELS } from '../domain/sources.ts';
import { formatInZone } from '../domain/time.ts';
import {
  MAX_TIMELINE_EVENTS,
  type Timeline,
  type TimelineEntry,
  type TimelineFlag,
  timelinePage,
} from '../domain/timeline.ts';
import { actions, context, header, section } from './block-parts.ts';
import { formatCount } from './change-wording.ts';
import { cleanName, escapeEntities, escapeMrkdwn, MAX_NAME_LENGTH, truncate } from './escape.ts';
import { pageButtons } from './report-actions.ts';
import type { SlackMessage } from './report-blocks.ts';
import {
  flagSummary,
  flagText,
  handoverText,
  holdingText,
  severalContacts,
  TIMELINE_LEGEND,
  timelineScope,
  timelineSummary,
  timelineTitle,
} from './timeline-wording.ts';
import { UNASSIGNED_NAME } from './wording.ts';

type KnownBlock = types.KnownBlock;

const FLAG_ICONS: Readonly<Record<TimelineFlag['kind'], string>> = {
  ping_pong: ':repeat:',
  busy_day: ':zap:',
  after_quiet: ':zzz:',
};

const MAX_SHOWN_COMMAND = 1000;
const show = (text: string) => escapeMrkdwn(text);

/** Which contact did you mean: every name and id typed or stored is made inert. */
export function severalContactsMessage(input: { value: string; contacts: readonly Party[] }): SlackMessage {
  // In code spans the words show as typed; a backtick in them would close the span, so it becomes a quote.
  const code = (text: string) =>
    `\`${escapeEntities(truncate(cleanName(text), MAX_NAME_LENGTH).replaceAll('`', "'"))}\``;
  const text = severalContacts(input, show, code);
  return { text: truncate(text, 3000), blocks: [section(`:warning: ${text}`)] };
}

/**
 * One page of a timeline as a Slack message: who it is about, the totals and flags, then up to 25 entries
 * (when, from whom to whom, source, by whom, how long it was held, flags), with Older/Newer buttons that carry
 * `stateCommand`. Times are in the timeline's zone, the requester's.
 */
export function timelineMessage(input: {
  timeline: Timeline;
  page: number;
  stateCommand: string;
}): SlackMessage {
  const { timeline } = input;
  const page = timelinePage(timeline, input.page);
  const withYear =
    timeline.range === undefined ||
    timeline.range.firstDay.slice(0, 4) !== timeline.range.lastDay.slice(0, 4);
  const blocks: KnownBlock[] = [
    header('Assignment timeline'),
    section(`*${timelineTitle(timeline, show)}*\n${timelineScope(timeline)}`),
    ...(timeline.total > 0 ? [section(`${timelineSummary(timeline, show)}\n${flagSummary(timeline)}`)] : []),
    ...omittedNotice(timeline),
    ...(page.entries.length === 0
      ? [
          section(
            timeline.notice
              ? `:warning: ${escapeEntities(timeline.notice)}`
              : `No assignments ${timeline.range ? 'in this range' : 'recorded'}.`,
          ),
        ]
      : [
          { type: 'divider' } as const,
          section(
            `*Entries ${formatCount(page.first)}–${formatCount(page.last)} of ${formatCount(timeline.total)}*`,
          ),
          // Paging beside its counter, before the entries.
          ...actions(pageButtons(input.stateCommand, 'timeline', page.page, page.pages)),
          ...page.entries.map((entry) => section(entryText(entry, timeline, withYear))),
        ]),
    context(
      TIMELINE_LEGEND,
      `Reproduce: \`${escapeEntities(truncate(timeline.command, MAX_SHOWN_COMMAND).replaceAll('`', "'"))}\``,
    ),
  ];
  return { text: fallbackText(timeline, page.first, page.last), blocks };
}

function omittedNotice(timeline: Timeline): KnownBlock[] {
  if (timeline.omitted === 0) return [];
  return [
    section(
      `:warning: ${timeline.total} assignments: the latest ${MAX_TIMELINE_EVENTS.toLocaleString('en-US')} are shown, ` +
        `and durations and flags count from those. Add a range (e.g. \`last month\`) to see earlier ones.`,
    ),
  ];
}

/**
 * "*25 Nov 10:02* · conv 88231" / "John Doe → Mei Tan · User · by Sarah Lee" / "_held 2 h_ · :repeat: ping-pong…".
 * A contact's timeline names each entry's conversation; a conversation's names its contact in the title.
 */
function entryText(entry: TimelineEntry, timeline: Timeline, withYear: boolean): string {
  const { row } = entry;
  const when = formatInZone(row.timestamp, timeline.zone, withYear ? 'D MMM YYYY HH:mm' : 'D MMM HH:mm');
  const first = [
    `*${when}*`,
    ...(timeline.subject.kind === 'contact' && row.conversationId !== null
      ? [`conv ${escapeMrkdwn(row.conversationId)}`]
      : []),
  ];
  const { from, to } = handoverText(entry, show, `_${UNASSIGNED_NAME}_`);
  const second = [
    `${from} → ${to}`,
    SOURCE_LABELS[row.source],
    ...(row.assignedBy ? [`by ${escapeMrkdwn(row.assignedBy.name)}`] : []),
  ];
  const third = [
    `_${holdingText(entry)}_`,
    ...entry.flags.map((f) => `${FLAG_ICONS[f.kind]} ${flagText(f, show)}`),
  ];
  return [first.join(' · '), second.join(' · '), third.join(' · ')].join('\n');
}

function fallbackText(timeline: Timeline, first: number, last: number): string {
  const title = timelineTitle(timeline, show);
  const shown =
    timeline.total > 0
      ? ` Entries ${formatCount(first)}–${formatCount(last)} of ${formatCount(timeline.total)}.`
      : ' No assignments.';
  return truncate(
    `Assignment timeline, ${title}, ${timelineScope(timeline)}.${shown} ${flagSummary(timeline)}.`,
    3000,
  );
}
