import type { types } from '@slack/bolt';
import type { ComposedDigest, DigestMarks } from '../domain/digest.ts';
import type {
  AgentLoad,
  BouncedConversation,
  DigestSummary,
  SourceCallout,
  UnassignedConversation,
  WeekdayAverage,
} from '../domain/digest-summary.ts';
import { BOUNCE_MIN_MOVES, percentChange } from '../domain/digest-summary.ts';
import type { Party } from '../domain/event.ts';
import { hasFilters } from '../domain/filters.ts';
import { changeAgainstPrevious, type LogRow } from '../domain/report.ts';
import { SOURCE_LABELS } from '../domain/sources.ts';
import { formatInZone } from '../domain/time.ts';
import { header, imageBlock, MAX_TEXT, mrkdwn, section } from './block-parts.ts';
import { sourceDayChart } from './chart.ts';
import { cleanName, escapeEntities, escapeMrkdwn, truncate } from './escape.ts';
import { COUNTING_RULE, describeFilters } from './wording.ts';

type KnownBlock = types.KnownBlock;

export interface DigestMessageOptions {
  quickchartUrl: string;
  marks: DigestMarks;
  /** How people know the team, when the digest's `team` is spelled otherwise (an id). */
  teamLabel?: string;
}

// Block Kit limits.
export const MAX_FIELD_TEXT = 2000;
export const MAX_FIELDS = 10;
const MAX_SHOWN_COMMAND = 1000;

// How much of each list the message shows; the rest is counted ("…and 45 more agents"). A channel digest is
// read on phones: the top of each list is what needs a look.
export const AGENTS_SHOWN = 15;
export const BOUNCED_SHOWN = 10;
export const UNASSIGNED_SHOWN = 10;
/** A bounce's chain of holders longer than this is shown as its first two and last three. */
const CHAIN_SHOWN = 6;
/** Sections one list may take; lists are capped well below, this only bounds pathological names. */
const MAX_LIST_SECTIONS = 8;
// Names in lists are cut shorter than elsewhere so that a list of long names still fits a few sections.
const LIST_NAME = 40;
const CHAIN_NAME = 30;

export const TEST_MARK = 'Test — not counted as delivered';

/** A team's daily digest as one Slack message, with the day's latest log rows for its thread. */
export function digestMessages(summary: DigestSummary, options: DigestMessageOptions): ComposedDigest {
  const team = options.teamLabel ?? summary.team;
  if (summary.total === 0) return quietDay(summary, team, options.marks);
  const chart = sourceDayChart(
    {
      label: summary.range.label,
      shares: summary.bySource,
      comparison: summary.weekday
        ? { label: comparisonLabel(summary.weekday), counts: summary.weekday.bySource }
        : undefined,
    },
    { quickchartUrl: options.quickchartUrl },
  );
  const thread = threadMessage(summary, team);
  const blocks: KnownBlock[] = [
    header(`${truncate(cleanName(team), 80)} · ${summary.range.label}`),
    ...marksBlocks(options.marks),
    section(headline(summary, team)),
    ...(summary.callout && summary.weekday ? [section(calloutLine(summary.callout, summary.weekday))] : []),
    sourceBlock(summary),
    ...(chart ? [imageBlock(chart)] : []),
    ...agentBlocks(summary),
    ...bouncedBlocks(summary),
    ...unassignedBlocks(summary),
    footer(summary, team, thread !== null),
  ];
  return { empty: false, main: { text: fallbackText(summary, team, options.marks), blocks }, thread };
}

/** The one quiet line of a day without assignments, naming the day (and the filters, when there are some). */
function quietDay(summary: DigestSummary, team: string, marks: DigestMarks): ComposedDigest {
  const filters = hasFilters(summary.filters)
    ? ` (${describeFilters(summary.filters, (v) => escapeMrkdwn(v))})`
    : '';
  const line = `No assignments for ${escapeMrkdwn(team)} yesterday, ${summary.range.label}${filters}.`;
  return {
    empty: true,
    main: {
      text: truncate(`${markPrefix(marks)}${line}`, MAX_TEXT),
      blocks: [section(line), ...marksBlocks(marks)],
    },
    thread: null,
  };
}

function marksBlocks(marks: DigestMarks): KnownBlock[] {
  const lines = [
    ...(marks.test ? [`:test_tube: *${TEST_MARK}*`] : []),
    ...(marks.delayedBy ? [`:hourglass_flowing_sand: ${lateLine(marks.delayedBy)}`] : []),
  ];
  return lines.length ? [{ type: 'context', elements: lines.map(mrkdwn) }] : [];
}

function lateLine(delayedBy: string): string {
  return `Late: posted ${escapeEntities(delayedBy)} after its scheduled time.`;
}

function markPrefix(marks: DigestMarks): string {
  return [
    ...(marks.test ? [`[${TEST_MARK}]`] : []),
    ...(marks.delayedBy ? [`[${lateLine(marks.delayedBy)}]`] : []),
    '',
  ].join(' ');
}

/** "*111 assignments* for Support yesterday" and the two comparisons. */
function headline(summary: DigestSummary, team: string): string {
  const comparisons = [
    changeAgainstPrevious({ total: summary.total, previousTotal: summary.dayBefore, range: summary.range }),
    ...(summary.weekday ? [againstWeekday(summary.total, summary.weekday)] : []),
  ];
  return `*${assignments(summary.total)}* for ${escapeMrkdwn(team)} yesterday\n${comparisons.join(' · ')}`;
}

function assignments(n: number): string {
  return `${n} ${n === 1 ? 'assignment' : 'assignments'}`;
}

/** "the 4-week Thursday average", or "last Thursday" when only one earlier Thursday is recorded. */
function weekdayPeriod(weekday: WeekdayAverage): string {
  return weekday.weeks === 1
    ? `last ${weekday.weekday}`
    : `the ${weekday.weeks}-week ${weekday.weekday} average`;
}

/** The chart's legend for the grey bars: "4-week Thursday average", "Last Thursday". */
function comparisonLabel(weekday: WeekdayAverage): string {
  return weekday.weeks === 1 ? `Last ${weekday.weekday}` : `${weekday.weeks}-week ${weekday.weekday} average`;
}

/** "last Thursday", "the previous 4 Thursdays" */
function earlierWeekdays(weekday: WeekdayAverage): string {
  return weekday.weeks === 1
    ? `last ${weekday.weekday}`
    : `the previous ${weekday.weeks} ${weekday.weekday}s`;
}

/** One decimal only where the number has one: 27.75 → "27.8", 28 → "28". */
function number(value: number): string {
  const tenth = Math.round(value * 10) / 10;
  return Number.isInteger(tenth) ? String(tenth) : tenth.toFixed(1);
}

/** Signs as the report writes them: a real minus, and ± for no change. */
function signed(diff: number, text: string): string {
  return `${diff > 0 ? '+' : diff < 0 ? '−' : '±'}${text}`;
}

/** "+16 (+17%) vs the 4-week Thursday average (94.8)" */
function againstWeekday(total: number, weekday: WeekdayAverage): string {
  if (weekday.average === 0) return `none on ${earlierWeekdays(weekday)}`;
  const diff = total - weekday.average;
  const pct = Math.abs(percentChange(total, weekday.average) ?? 0);
  return `${signed(diff, number(Math.abs(diff)))} (${signed(diff, `${pct}%`)}) vs ${weekdayPeriod(weekday)} (${number(weekday.average)})`;
}

/** ":chart_with_upwards_trend: *Workflow +40%* vs the 4-week Thursday average (39 vs 27.8)" */
function calloutLine(callout: SourceCallout, weekday: WeekdayAverage): string {
  const up = callout.count > callout.average;
  const icon = up ? ':chart_with_upwards_trend:' : ':chart_with_downwards_trend:';
  if (callout.percent === null)
    return `${icon} *${callout.label} ${callout.count}* after none on ${earlierWeekdays(weekday)}`;
  const pct = signed(callout.percent, `${Math.abs(callout.percent)}%`);
  return `${icon} *${callout.label} ${pct}* vs ${weekdayPeriod(weekday)} (${callout.count} vs ${number(callout.average)})`;
}

function sourceBlock(summary: DigestSummary): KnownBlock {
  const fields = summary.bySource
    .filter((s) => s.count > 0)
    .slice(0, MAX_FIELDS)
    .map((s) => field(`*${s.label}*\n${s.count} · ${s.percent}%`));
  return { type: 'section', text: mrkdwn('*By source*'), fields };
}

/** Agents by count with share and load, "Mei Tan · 28 · 25% · 1.8× the team mean", then Unassigned. */
function agentBlocks(summary: DigestSummary): KnownBlock[] {
  const agents = summary.byAgent.filter((a) => a.agent !== null);
  const unassigned = summary.byAgent.filter((a) => a.agent === null);
  const shown = agents.slice(0, AGENTS_SHOWN);
  const rest = agents.slice(AGENTS_SHOWN);
  const mean = summary.teamMean === null ? '' : ` · team mean ${number(summary.teamMean)}`;
  const head = `*By agent* · ${agents.length} ${agents.length === 1 ? 'agent' : 'agents'}${mean}`;
  const more = rest.length
    ? [`…and ${rest.length} more ${rest.length === 1 ? 'agent' : 'agents'} with ${assignments(sum(rest))}`]
    : [];
  return listBlocks(head, [...shown.map(agentLine), ...more, ...unassigned.map(agentLine)]);
}

function agentLine(line: AgentLoad): string {
  const name = line.agent ? escapeMrkdwn(line.agent.name, LIST_NAME) : '_Unassigned_';
  return [
    name,
    String(line.count),
    `${line.percent}%`,
    ...(line.load === null ? [] : [loadText(line.load)]),
  ].join(' · ');
}

/** "1.4× the team mean"; "at the team mean" when it rounds to 1.0×. */
function loadText(load: number): string {
  const rounded = load.toFixed(1);
  return rounded === '1.0' ? 'at the team mean' : `${rounded}× the team mean`;
}

function sum(lines: readonly AgentLoad[]): number {
  return lines.reduce((total, l) => total + l.count, 0);
}

function bouncedBlocks(summary: DigestSummary): KnownBlock[] {
  const { bounced } = summary;
  if (bounced.length === 0) return [section('*Bounced conversations:* none')];
  const head = `*Bounced conversations* · ${bounced.length} (${BOUNCE_MIN_MOVES}+ moves in the day, or back to an agent they left)`;
  const rest = bounced.length - BOUNCED_SHOWN;
  return listBlocks(head, [
    ...bounced.slice(0, BOUNCED_SHOWN).map(bounceLine),
    ...(rest > 0 ? [`…and ${rest} more`] : []),
  ]);
}

/** "conv 88231 (Aisha Rahman) · Mei Tan → John Doe → Mei Tan · back to Mei Tan" */
function bounceLine(bounce: BouncedConversation): string {
  const holders = bounce.chain.map(holderName);
  const chain = holders.length > CHAIN_SHOWN ? [...holders.slice(0, 2), '…', ...holders.slice(-3)] : holders;
  const notes = [
    `${bounce.moves} ${bounce.moves === 1 ? 'move' : 'moves'}`,
    ...(bounce.returnedTo ? [`back to ${escapeMrkdwn(bounce.returnedTo.name, CHAIN_NAME)}`] : []),
  ];
  return `${conversationName(bounce)} · ${chain.join(' → ')} · ${notes.join(', ')}`;
}

function holderName(party: Party | null): string {
  return party ? escapeMrkdwn(party.name, CHAIN_NAME) : '_Unassigned_';
}

function unassignedBlocks(summary: DigestSummary): KnownBlock[] {
  const left = summary.leftUnassigned;
  if (left.length === 0) return [section('*Left unassigned at the end of the day:* none')];
  const head = `*Left unassigned at the end of the day* · ${left.length}`;
  const rest = left.length - UNASSIGNED_SHOWN;
  return listBlocks(head, [
    ...left.slice(0, UNASSIGNED_SHOWN).map((u) => unassignedLine(u, summary.range.zone)),
    ...(rest > 0 ? [`…and ${rest} more`] : []),
  ]);
}

/** "conv 88620 (Ken Ito) · since 23:53 · Close Conversation · was Priya Nair" */
function unassignedLine(left: UnassignedConversation, zone: string): string {
  return [
    conversationName(left),
    `since ${formatInZone(left.at, zone, 'HH:mm')}`,
    SOURCE_LABELS[left.source],
    ...(left.from ? [`was ${escapeMrkdwn(left.from.name, LIST_NAME)}`] : []),
  ].join(' · ');
}

/** "conv 88231 (Aisha Rahman)", or "contact Aisha Rahman (1234567)" for events without a conversation. */
function conversationName(c: { conversationId: string | null; contact: Party }): string {
  const contact = escapeMrkdwn(c.contact.name, LIST_NAME);
  if (c.conversationId !== null) return `conv ${escapeMrkdwn(c.conversationId, LIST_NAME)} (${contact})`;
  const id = escapeMrkdwn(c.contact.id, LIST_NAME);
  return c.contact.name === c.contact.id ? `contact ${id}` : `contact ${contact} (${id})`;
}

/** A heading and its lines, packed into as few sections as Slack's 3,000 characters allow. */
function listBlocks(head: string, lines: readonly string[]): KnownBlock[] {
  const sections: string[] = [head];
  let cut = 0;
  for (const [i, line] of lines.entries()) {
    const last = sections.length - 1;
    const current = sections[last] ?? '';
    if (current.length + 1 + line.length <= MAX_TEXT) sections[last] = `${current}\n${line}`;
    else if (sections.length < MAX_LIST_SECTIONS) sections.push(line);
    else {
      cut = lines.length - i;
      break;
    }
  }
  if (cut > 0) sections.push(`…and ${cut} more lines`);
  return sections.map(section);
}

function footer(summary: DigestSummary, team: string, hasThread: boolean): KnownBlock {
  const command = truncate(summary.command, MAX_SHOWN_COMMAND).replaceAll('`', "'");
  const scope = [
    `Team: ${escapeMrkdwn(team)}`,
    `Filters: ${describeFilters(summary.filters, (v) => escapeMrkdwn(v))}`,
    `Times in ${summary.range.zone}`,
  ].join(' · ');
  return {
    type: 'context',
    elements: [
      mrkdwn(scope),
      mrkdwn(COUNTING_RULE),
      mrkdwn(`Reproduce: \`${escapeEntities(command)}\``),
      ...(hasThread ? [mrkdwn('The latest log rows are in the thread.')] : []),
    ],
  };
}

/** The day's latest log rows, for the thread under the digest; `null` when there are none. */
function threadMessage(summary: DigestSummary, team: string): ComposedDigest['thread'] {
  const rows = summary.latest;
  if (rows.length === 0) return null;
  const heading = `*Latest ${rows.length} of ${summary.total}* for ${escapeMrkdwn(team)} · times in ${summary.range.zone}`;
  return {
    text: truncate(
      `Latest ${rows.length} of ${assignments(summary.total)} for ${escapeMrkdwn(team)}, ${summary.range.label}.`,
      MAX_TEXT,
    ),
    blocks: [section(heading), ...rows.map((row) => section(logRowText(row, summary.range.zone)))],
  };
}

/** "*23:53* · conv 88620 · Ken Ito (1211248)" and "Priya Nair → _Unassigned_ · Close Conversation · by …" */
function logRowText(row: LogRow, zone: string): string {
  const first = [
    `*${formatInZone(row.timestamp, zone, 'HH:mm')}*`,
    ...(row.conversationId === null ? [] : [`conv ${escapeMrkdwn(row.conversationId)}`]),
    row.contact.name === row.contact.id
      ? escapeMrkdwn(row.contact.id)
      : `${escapeMrkdwn(row.contact.name)} (${escapeMrkdwn(row.contact.id)})`,
  ];
  const second = [
    `${row.previousAssignee ? escapeMrkdwn(row.previousAssignee.name) : '-'} → ${row.assignee ? escapeMrkdwn(row.assignee.name) : '_Unassigned_'}`,
    SOURCE_LABELS[row.source],
    ...(row.assignedBy ? [`by ${escapeMrkdwn(row.assignedBy.name)}`] : []),
  ];
  return `${first.join(' · ')}\n${second.join(' · ')}`;
}

/** The numbers in one paragraph: what a notification shows. */
function fallbackText(summary: DigestSummary, team: string, marks: DigestMarks): string {
  const comparisons = [
    changeAgainstPrevious({ total: summary.total, previousTotal: summary.dayBefore, range: summary.range }),
    ...(summary.weekday ? [againstWeekday(summary.total, summary.weekday)] : []),
  ];
  const callout =
    summary.callout && summary.weekday
      ? [
          `${calloutLine(summary.callout, summary.weekday)
            .replace(/^:[a-z_]+: /, '')
            .replaceAll('*', '')}.`,
        ]
      : [];
  const parts = [
    `${markPrefix(marks)}${escapeMrkdwn(team)}, yesterday (${summary.range.label}): ${assignments(summary.total)}, ${comparisons.join(', ')}.`,
    ...callout,
    `${summary.bounced.length} bounced, ${summary.leftUnassigned.length} left unassigned.`,
  ];
  return truncate(parts.join(' '), MAX_TEXT);
}

function field(text: string): { type: 'mrkdwn'; text: string } {
  return { type: 'mrkdwn', text: truncate(text, MAX_FIELD_TEXT) };
}
