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
import { BOUNCE_MIN_MOVES, HEAVY_LOAD } from '../domain/digest-summary.ts';
import type { Party } from '../domain/event.ts';
import { hasFilters } from '../domain/filters.ts';
import { SOURCE_LABELS } from '../domain/sources.ts';
import { formatInZone } from '../domain/time.ts';
import { actions, context, header, imageBlocks, MAX_TEXT, mrkdwn, section } from './block-parts.ts';
import { changeAgainst, formatAverage, formatCount, signedChange } from './change-wording.ts';
import { type ChartImage, type ChartSpec, digestChart } from './chart.ts';
import { cleanName, escapeEntities, escapeMrkdwn, truncate } from './escape.ts';
import { logAndAgentButtons } from './report-actions.ts';
import { assignments, exportButtons, holder, logRowText, sourceSummary } from './report-blocks.ts';
import { COUNTING_RULE, describeFilters } from './wording.ts';
import { describeRangeZone } from './zone-wording.ts';

type KnownBlock = types.KnownBlock;

export interface DigestMessageOptions {
  /** The day's chart, drawn by the chart publisher from digestChartSpec; none when it could not be. */
  chart: ChartImage | undefined;
  marks: DigestMarks;
  /** How people know the team, when the digest's `team` is spelled otherwise (an id). */
  teamLabel?: string;
}

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

/** The chart a digest shows: the day per source in one strong colour, against its pale same-weekday average. */
export function digestChartSpec(summary: DigestSummary): ChartSpec | undefined {
  if (summary.total === 0) return undefined;
  return digestChart({
    label: summary.range.shortLabel,
    shares: summary.bySource,
    comparison: summary.weekday
      ? { label: comparisonLabel(summary.weekday), counts: summary.weekday.bySource }
      : undefined,
  });
}

/**
 * A team's daily digest as one Slack message, what needs action first: the headline, what needs a look, the
 * agents, the sources in one line, the chart, then the buttons (Log, By agent, Export CSV, answered privately
 * to whoever presses) and the footer; the day's latest log rows go in its thread.
 */
export function digestMessages(summary: DigestSummary, options: DigestMessageOptions): ComposedDigest {
  const team = options.teamLabel ?? summary.team;
  if (summary.total === 0) return quietDay(summary, team, options.marks);
  const thread = threadMessage(summary, team);
  const blocks: KnownBlock[] = [
    header(`${truncate(cleanName(team), 80)} · ${summary.range.shortLabel}`),
    ...marksBlocks(options.marks),
    section(headline(summary, team)),
    ...needsALook(summary),
    { type: 'divider' },
    ...agentBlocks(summary),
    section(`*By source* · ${sourceSummary(summary)}`),
    ...imageBlocks(options.chart),
    ...actions([...logAndAgentButtons(summary.command), ...exportButtons(summary.command)]),
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

/** "*111 assignments* for Support yesterday", the two comparisons, and the source that moved most. */
function headline(summary: DigestSummary, team: string): string {
  const lines = [
    `*${assignments(summary.total)}* for ${escapeMrkdwn(team)} yesterday`,
    comparisons(summary).join(' · '),
    ...(summary.callout && summary.weekday ? [calloutLine(summary.callout, summary.weekday)] : []),
  ];
  return lines.join('\n');
}

function comparisons(summary: DigestSummary): string[] {
  return [
    changeAgainst(summary.total, summary.dayBefore, summary.range.comparison.label),
    ...(summary.weekday ? [againstWeekday(summary.total, summary.weekday)] : []),
  ];
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

/** "+16 (+17%) vs the 4-week Thursday average (94.8)" */
function againstWeekday(total: number, weekday: WeekdayAverage): string {
  if (weekday.average === 0) return `none on ${earlierWeekdays(weekday)}`;
  return `${signedChange(total, weekday.average, formatAverage)} vs ${weekdayPeriod(weekday)} (${formatAverage(weekday.average)})`;
}

/** ":chart_with_upwards_trend: *Workflow +40%* vs the 4-week Thursday average (39 vs 27.8)" */
function calloutLine(callout: SourceCallout, weekday: WeekdayAverage): string {
  const up = callout.count > callout.average;
  const icon = up ? ':chart_with_upwards_trend:' : ':chart_with_downwards_trend:';
  if (callout.percent === null)
    return `${icon} *${callout.label} ${formatCount(callout.count)}* after none on ${earlierWeekdays(weekday)}`;
  const pct = `${callout.percent > 0 ? '+' : '−'}${Math.abs(callout.percent)}%`;
  return `${icon} *${callout.label} ${pct}* vs ${weekdayPeriod(weekday)} (${formatCount(callout.count)} vs ${formatAverage(callout.average)})`;
}

/**
 * What needs someone to act, before anything else: open conversations nobody held at the end of the day,
 * bounced conversations, and agents at HEAVY_LOAD times the team mean or more. Closed conversations that ended
 * the day unassigned need nothing, so they are only counted.
 */
function needsALook(summary: DigestSummary): KnownBlock[] {
  const blocks = [...unassignedBlocks(summary), ...bouncedBlocks(summary), ...heavyLoadBlocks(summary)];
  const closed =
    summary.closedUnassigned > 0
      ? [
          context(
            `${formatCount(summary.closedUnassigned)} closed ${summary.closedUnassigned === 1 ? 'conversation' : 'conversations'} ended the day unassigned: no action needed.`,
          ),
        ]
      : [];
  if (blocks.length === 0)
    return [
      section(
        '*Needs a look:* nothing. No open conversation was left unassigned, none bounced, and no agent had ' +
          `${HEAVY_LOAD}× the team mean.`,
      ),
      ...closed,
    ];
  return [...blocks, ...closed];
}

function heavyLoadBlocks(summary: DigestSummary): KnownBlock[] {
  const heavy = summary.heavyLoad;
  if (heavy.length === 0 || summary.teamMean === null) return [];
  const head = `:scales: *Heavy load* · ${heavy.length} ${heavy.length === 1 ? 'agent' : 'agents'} at ${HEAVY_LOAD}× the team mean (${formatAverage(summary.teamMean)}) or more`;
  return listBlocks(
    head,
    heavy
      .slice(0, AGENTS_SHOWN)
      .map((a) => `${holder(a.agent, LIST_NAME)} · ${formatCount(a.count)} · ${loadText(a.load ?? 0)}`),
  );
}

/** Agents by count with share and load, "Mei Tan · 28 · 25% · 1.8× the team mean", then Unassigned. */
function agentBlocks(summary: DigestSummary): KnownBlock[] {
  const agents = summary.byAgent.filter((a) => a.agent !== null);
  const unassigned = summary.byAgent.filter((a) => a.agent === null);
  const shown = agents.slice(0, AGENTS_SHOWN);
  const rest = agents.slice(AGENTS_SHOWN);
  const mean = summary.teamMean === null ? '' : ` · team mean ${formatAverage(summary.teamMean)}`;
  const head = `*By agent* · ${agents.length} ${agents.length === 1 ? 'agent' : 'agents'}${mean}`;
  const more = rest.length
    ? [
        `…and ${formatCount(rest.length)} more ${rest.length === 1 ? 'agent' : 'agents'} with ${assignments(sum(rest))}`,
      ]
    : [];
  return listBlocks(head, [...shown.map(agentLine), ...more, ...unassigned.map(agentLine)]);
}

function agentLine(line: AgentLoad): string {
  return [
    holder(line.agent, LIST_NAME),
    formatCount(line.count),
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
  if (bounced.length === 0) return [];
  const head = `:repeat: *Bounced* · ${formatCount(bounced.length)} (${BOUNCE_MIN_MOVES}+ moves in the day, or back to an agent they left)`;
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
  return holder(party, CHAIN_NAME);
}

function unassignedBlocks(summary: DigestSummary): KnownBlock[] {
  const left = summary.leftUnassigned;
  if (left.length === 0) return [];
  const head = `:warning: *Left unassigned, still open* · ${formatCount(left.length)} at the end of the day`;
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
    describeRangeZone(summary.range),
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
  const heading = `*Latest ${rows.length} of ${formatCount(summary.total)}* for ${escapeMrkdwn(team)} · ${describeRangeZone(summary.range)}`;
  return {
    text: truncate(
      `Latest ${rows.length} of ${assignments(summary.total)} for ${escapeMrkdwn(team)}, ${summary.range.label}.`,
      MAX_TEXT,
    ),
    blocks: [section(heading), ...rows.map((row) => section(logRowText(row, summary.range.zone, 'time')))],
  };
}

/** The numbers in one paragraph: what a notification shows. */
function fallbackText(summary: DigestSummary, team: string, marks: DigestMarks): string {
  const callout =
    summary.callout && summary.weekday
      ? [
          `${calloutLine(summary.callout, summary.weekday)
            .replace(/^:[a-z_]+: /, '')
            .replaceAll('*', '')}.`,
        ]
      : [];
  const parts = [
    `${markPrefix(marks)}${escapeMrkdwn(team)}, yesterday (${summary.range.label}): ${assignments(summary.total)}, ${comparisons(summary).join(', ')}.`,
    ...callout,
    `${summary.leftUnassigned.length} open left unassigned, ${summary.bounced.length} bounced, ${summary.heavyLoad.length} at ${HEAVY_LOAD}× the team mean.`,
  ];
  return truncate(parts.join(' '), MAX_TEXT);
}
