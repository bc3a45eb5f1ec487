import type { Party } from '../domain/event.ts';
import { SOURCE_LABELS } from '../domain/sources.ts';
import { formatInZone } from '../domain/time.ts';
import { MAX_TIMELINE_EVENTS, type Timeline, type TimelineEntry } from '../domain/timeline.ts';
import { cleanName, MAX_NAME_LENGTH, truncate } from './escape.ts';
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

const show = (text: string) => truncate(cleanName(text), MAX_NAME_LENGTH);

/** Which contact did you mean, for the console. */
export function severalContactsText(input: { value: string; contacts: readonly Party[] }): string {
  return severalContacts(input, show, (code) => `\`${show(code)}\``);
}

/** A whole timeline as console text (a terminal has no page limit): the same content as the Slack pages. */
export function timelineText(timeline: Timeline): string {
  const sections = [
    [`Assignment timeline — ${timelineTitle(timeline, show)}`, timelineScope(timeline)],
    timeline.total > 0 ? [timelineSummary(timeline, show), `Flags: ${flagSummary(timeline)}`] : [],
    timeline.omitted > 0
      ? [
          `! ${timeline.total} assignments: the latest ${MAX_TIMELINE_EVENTS} are shown, and durations and flags count from those. Add a range to see earlier ones.`,
        ]
      : [],
    timeline.entries.length > 0
      ? timeline.entries.map((entry) => entryLine(entry, timeline))
      : [
          timeline.notice
            ? `! ${cleanName(timeline.notice)}`
            : `No assignments ${timeline.range ? 'in this range' : 'recorded'}.`,
        ],
    [TIMELINE_LEGEND, `Reproduce: ${cleanName(timeline.command)}`],
  ];
  return `${sections
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join('\n'))
    .join('\n\n')}\n`;
}

/** "  3. 2026-11-25 10:30  conv 88231  Mei Tan → John Doe · User · by Sarah Lee · held 2 h  [ping-pong: …]" */
function entryLine(entry: TimelineEntry, timeline: Timeline): string {
  const { row } = entry;
  const width = String(timeline.total).length;
  const { from, to } = handoverText(entry, show);
  const parts = [
    `${from} → ${to}`,
    SOURCE_LABELS[row.source],
    ...(row.assignedBy ? [`by ${show(row.assignedBy.name)}`] : []),
    holdingText(entry),
  ];
  const conv =
    timeline.subject.kind === 'contact'
      ? `  conv ${row.conversationId === null ? '-' : show(row.conversationId)}`
      : '';
  const flags = entry.flags.length > 0 ? `  [${entry.flags.map((f) => flagText(f, show)).join('; ')}]` : '';
  return `${String(entry.position).padStart(width)}. ${formatInZone(row.timestamp, timeline.zone, 'YYYY-MM-DD HH:mm')}${conv}  ${parts.join(' · ')}${flags}`;
}
