// Words the Slack timeline and the console timeline share, so the two never drift apart. `show` makes an
// outside name safe for the medium (escaped mrkdwn in Slack, a cleaned line in the console).
import type { Party } from '../domain/event.ts';
import { formatDate } from '../domain/time.ts';
import {
  BUSY_DAY_LIMIT,
  PING_PONG_WITHIN_MS,
  QUIET_AFTER_MS,
  type Timeline,
  type TimelineEntry,
  type TimelineFlag,
} from '../domain/timeline.ts';

import { UNASSIGNED_NAME } from './wording.ts';
import { describeRangeZone, describeZone } from './zone-wording.ts';

type Show = (text: string) => string;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "under a minute", "45 min", "2 h 15 min", "3 d 4 h": two units at most, rounded down. */
export function formatDuration(ms: number): string {
  if (ms < MINUTE) return 'under a minute';
  const days = Math.floor(ms / DAY);
  const hours = Math.floor((ms % DAY) / HOUR);
  const minutes = Math.floor((ms % HOUR) / MINUTE);
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  return `${minutes} min`;
}

export const TIMELINE_LEGEND =
  `Ping-pong: back to someone who gave it up in the last ${PING_PONG_WITHIN_MS / HOUR} hours. ` +
  `Busy day: more than ${BUSY_DAY_LIMIT} assignments in one local day. ` +
  `Quiet: assigned again after nobody held it (closed or unassigned) for ${QUIET_AFTER_MS / HOUR} hours or more. ` +
  'Unassignments count as assignments.';

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** "Conversation 88231 · Aisha Rahman (1234567)", "Contact Aisha Rahman (1234567)". */
export function timelineTitle(timeline: Timeline, show: Show): string {
  const contact = timeline.contact;
  const named = contact
    ? contact.name === contact.id
      ? show(contact.id)
      : `${show(contact.name)} (${show(contact.id)})`
    : undefined;
  if (timeline.subject.kind === 'conversation')
    return `Conversation ${show(timeline.subject.id)}${named ? ` · ${named}` : ''}`;
  return `Contact ${named ?? show(timeline.subject.id)}`;
}

/** "All time · Kuala Lumpur time (UTC+8)" or "Last 7 days, Fri 20 – Thu 26 Nov 2026 · Kuala Lumpur time (UTC+8)". */
export function timelineScope(timeline: Timeline): string {
  const zone = timeline.range
    ? describeRangeZone(timeline.range)
    : describeZone(timeline.zone, [timeline.now]);
  return `${timeline.range ? timeline.range.label : 'All time'} · ${zone}`;
}

/** "12 assignments · 4 assignees · longest: Mei Tan 3 d 2 h". */
export function timelineSummary(timeline: Timeline, show: Show): string {
  const people = timeline.holders.filter((h) => h.holder !== null);
  const longest = people[0];
  const gaps = timeline.holders.find((h) => h.holder === null);
  return [
    `${timeline.total} ${timeline.total === 1 ? 'assignment' : 'assignments'}`,
    `${people.length} ${people.length === 1 ? 'assignee' : 'assignees'}`,
    ...(longest?.holder
      ? [`held longest by ${show(longest.holder.name)} (${formatDuration(longest.ms)})`]
      : []),
    ...(gaps ? [`nobody held it for ${formatDuration(gaps.ms)}`] : []),
  ].join(' · ');
}

/** The flags in one line, or "No ping-pong, busy days or assignments after quiet". */
export function flagSummary(timeline: Timeline): string {
  const parts = [
    ...(timeline.pingPongs > 0 ? [`Ping-pong ×${timeline.pingPongs}`] : []),
    ...timeline.busyDays.map(
      (d) => `More than ${BUSY_DAY_LIMIT} on ${formatDate(d.day, 'ddd D MMM YYYY')} (${d.count})`,
    ),
    ...(timeline.afterQuiet > 0 ? [`After quiet ×${timeline.afterQuiet}`] : []),
  ];
  return parts.length > 0 ? parts.join(' · ') : 'No ping-pong, busy days or assignments after quiet';
}

/** One flag in words: "ping-pong: back to Mei Tan", "4th on Wed 25 Nov", "after 2 d 3 h quiet". */
export function flagText(flag: TimelineFlag, show: Show): string {
  switch (flag.kind) {
    case 'ping_pong':
      return `ping-pong: back to ${show(flag.back.name)}`;
    case 'busy_day':
      return `${ordinal(flag.nth)} on ${formatDate(flag.day, 'ddd D MMM')}`;
    case 'after_quiet':
      return `after ${formatDuration(flag.quietMs)} quiet`;
  }
}

/** "held 2 h 15 min", "still holding (3 d so far)", "nobody for 2 h", "nobody since (5 h so far)". */
export function holdingText(entry: TimelineEntry): string {
  const time = formatDuration(entry.heldMs);
  const someone = entry.row.assignee !== null;
  if (entry.until === 'now')
    return someone ? `still holding (${time} so far)` : `nobody since (${time} so far)`;
  const held = someone ? `held ${time}` : `nobody for ${time}`;
  return entry.until === 'after_window' ? `${held} (until after this range)` : held;
}

/** "John Doe → Mei Tan", with nobody written `unassigned` ("Unassigned") on either side. */
export function handoverText(
  entry: TimelineEntry,
  show: Show,
  unassigned = UNASSIGNED_NAME,
): { from: string; to: string } {
  const name = (p: Party | null) => (p ? show(p.name) : unassigned);
  return { from: name(entry.row.previousAssignee), to: name(entry.row.assignee) };
}

/** How many contacts of one name are listed before "and more". */
const LISTED_CONTACTS = 10;

/** "`contact:Wei Lim` matches several contacts: Wei Lim (`contact:1`), … Give the id of the one you mean." */
export function severalContacts(
  input: { value: string; contacts: readonly Party[] },
  show: Show,
  code: (text: string) => string,
): string {
  const listed = input.contacts
    .slice(0, LISTED_CONTACTS)
    .map((c) => `${show(c.name)} (${code(`contact:${c.id}`)})`);
  const more = input.contacts.length > LISTED_CONTACTS ? ', and more' : '';
  return `${code(`contact:${input.value}`)} matches several contacts: ${listed.join(', ')}${more}. Give the id of the one you mean.`;
}
