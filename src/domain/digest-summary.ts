import type { Party } from './event.ts';
import type { ReportFilters } from './filters.ts';
import { zoneWord } from './parse-command.ts';
import { type ResolvedRange, resolveRange } from './range.ts';
import {
  type DaySourceCount,
  type LogRow,
  percentages,
  reproducingCommand,
  type SourceShare,
} from './report.ts';
import { SOURCE_LABELS, SOURCES, type Source } from './sources.ts';
import { addDays, formatDate, type LocalDate, startOfLocalDay } from './time.ts';

// What a daily digest says about one team's local day, as numbers: the store loads DigestData, this turns it
// into a DigestSummary, and the renderer only words it.

/** How many earlier same weekdays the digest compares with. */
export const WEEKDAY_WEEKS = 4;
/** A callout needs this many assignments of the source on at least one side (the day, or its average)… */
export const CALLOUT_MIN_VOLUME = 10;
/** …and a change of at least this many percent against the average, so small numbers don't shout. */
export const CALLOUT_MIN_CHANGE_PERCENT = 30;
/** A conversation that changed hands this many times in the day bounced, wherever it went. */
export const BOUNCE_MIN_MOVES = 3;
/** An agent with at least this many times the team mean needs a look (the load may need sharing out). */
export const HEAVY_LOAD = 1.5;

/** One assignment event of a conversation on the digest's day. */
export interface DigestMove {
  at: Date;
  /** The assignee before this event, as the log recorded it. */
  previous: Party | null;
  /** `null`: an unassignment. */
  assignee: Party | null;
  source: Source;
  /** Whether the digest counts this event (it matches the team and filters); others only complete the story. */
  counted: boolean;
}

/** A conversation touched by the digest's events that day, with all of its events that day. */
export interface ConversationDay {
  /** `null` for events that came without one: the contact stands for the conversation then. */
  conversationId: string | null;
  contact: Party;
  /** Oldest first; never empty. */
  moves: DigestMove[];
}

/** Assignments on the day per assignee; `agent: null` gathers unassignments. */
export interface AgentDayCount {
  agent: Party | null;
  count: number;
}

/** What the store reads for one team's digest of one local day. */
export interface DigestData {
  team: string;
  day: LocalDate;
  zone: string;
  /** The digest's further filters (its `teams` is empty: the team is `team`). */
  filters: ReportFilters;
  /** Per local day and source over `day` and the 28 days before it. */
  counts: DaySourceCount[];
  byAgent: AgentDayCount[];
  conversations: ConversationDay[];
  /** The newest log rows of the day, newest first. */
  latest: LogRow[];
}

export interface WeekdayAverage {
  /** "Thursday" */
  weekday: string;
  /** Earlier same weekdays averaged (1–4): weeks before the first recorded assignment are left out. */
  weeks: number;
  average: number;
  bySource: Record<Source, number>;
}

/** A source that moved sharply against its same-weekday average. */
export interface SourceCallout {
  source: Source;
  label: string;
  count: number;
  average: number;
  /** Signed, rounded half away from zero; `null` when the average was 0 (a source that was not used). */
  percent: number | null;
}

export interface AgentLoad {
  /** `null`: unassignments ("Unassigned"). */
  agent: Party | null;
  count: number;
  /** Share of the day's assignments; whole percentages that add up to 100 over the list. */
  percent: number;
  /** This agent's count over the team mean (1.4 = 1.4×); `null` for unassignments and a team of one. */
  load: number | null;
}

export type BounceReason = 'many_moves' | 'returned';

export interface BouncedConversation {
  conversationId: string | null;
  contact: Party;
  /** Who held it before the day's first event, then each event's new assignee (`null` = nobody). */
  chain: (Party | null)[];
  moves: number;
  reasons: BounceReason[];
  /** The agent it came back to after another agent had it (A → B → A). */
  returnedTo: Party | null;
}

export interface UnassignedConversation {
  conversationId: string | null;
  contact: Party;
  /** When it was unassigned, by which source, and from whom. */
  at: Date;
  source: Source;
  from: Party | null;
}

export interface DigestSummary {
  team: string;
  /** The day as a one-day range in the digest's zone (label, command text, instants). */
  range: ResolvedRange;
  filters: ReportFilters;
  total: number;
  dayBefore: number;
  /** `null` when no earlier same weekday in the 4 weeks has been recorded. */
  weekday: WeekdayAverage | null;
  callout: SourceCallout | null;
  /** Every source in the report's order, zeros included. */
  bySource: SourceShare[];
  /** Agents with most assignments first, then unassignments. */
  byAgent: AgentLoad[];
  /** Mean assignments per agent who received any that day; `null` when none did. */
  teamMean: number | null;
  /** Most moves first. */
  bounced: BouncedConversation[];
  /** Open conversations nobody held at the end of the day (not closed): longest waiting first. */
  leftUnassigned: UnassignedConversation[];
  /** Conversations that ended the day unassigned because they were closed: no action needed, only counted. */
  closedUnassigned: number;
  /** Agents at HEAVY_LOAD times the team mean or more, heaviest first. */
  heavyLoad: AgentLoad[];
  latest: LogRow[];
  /** `/assignments 2026-11-26 team:Support tz:Asia/Kuala_Lumpur`: the same numbers, from anyone's zone. */
  command: string;
}

/** The digest's numbers for one day; pure, so the message and its tests see the same thing. */
export function summarizeDigest(data: DigestData): DigestSummary {
  // Resolved from the end of the day: the day is whole, so it is compared with the whole day before.
  const range = resolveRange(
    { kind: 'dates', from: data.day, to: data.day },
    startOfLocalDay(addDays(data.day, 1), data.zone),
    data.zone,
  );
  const perDay = countsPerDay(data.counts);
  const today = perDay.get(data.day) ?? zeroCounts();
  const counts = SOURCES.map((s) => today[s]);
  const percents = percentages(counts);
  const total = sum(counts);
  const weekday = weekdayAverage(data.day, perDay);
  const { byAgent, teamMean } = agentLoads(data.byAgent);
  const unassigned = data.conversations.flatMap((c) => leftUnassigned(c) ?? []);
  return {
    team: data.team,
    range,
    filters: data.filters,
    total,
    dayBefore: sumCounts(perDay.get(addDays(data.day, -1)) ?? zeroCounts()),
    weekday,
    callout: weekday ? sourceCallout(today, weekday) : null,
    bySource: SOURCES.map((source, i) => ({
      source,
      label: SOURCE_LABELS[source],
      count: counts[i] ?? 0,
      percent: percents[i] ?? 0,
    })),
    byAgent,
    teamMean,
    bounced: data.conversations
      .flatMap((c) => bounceOf(c) ?? [])
      .sort((a, b) => b.moves - a.moves || compareIds(a, b)),
    leftUnassigned: unassigned
      .filter((u) => u.source !== 'close_conversation')
      .sort((a, b) => a.at.getTime() - b.at.getTime() || compareIds(a, b)),
    closedUnassigned: unassigned.filter((u) => u.source === 'close_conversation').length,
    // Compared as shown (one decimal), so every agent the message calls "1.5× the team mean" is listed.
    heavyLoad: byAgent
      .filter((a) => a.load !== null && Math.round(a.load * 10) / 10 >= HEAVY_LOAD)
      .sort((a, b) => (b.load ?? 0) - (a.load ?? 0)),
    latest: data.latest,
    command: `${reproducingCommand(range, { ...data.filters, teams: [data.team] })} ${zoneWord(data.zone)}`,
  };
}

function zeroCounts(): Record<Source, number> {
  return Object.fromEntries(SOURCES.map((s) => [s, 0])) as Record<Source, number>;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function sumCounts(counts: Record<Source, number>): number {
  return sum(SOURCES.map((s) => counts[s]));
}

function countsPerDay(rows: readonly DaySourceCount[]): Map<LocalDate, Record<Source, number>> {
  const perDay = new Map<LocalDate, Record<Source, number>>();
  for (const { day, source, count } of rows) {
    const counts = perDay.get(day) ?? zeroCounts();
    counts[source] += count;
    perDay.set(day, counts);
  }
  return perDay;
}

/**
 * The same weekday over the previous 4 weeks, averaged over the weeks since assignments were first recorded
 * in the window: a team (or a store) that started two weeks ago is compared with those two weeks, not with
 * zeros it never had. A recorded week without assignments that weekday counts as 0.
 */
function weekdayAverage(
  day: LocalDate,
  perDay: ReadonlyMap<LocalDate, Record<Source, number>>,
): WeekdayAverage | null {
  const recorded = [...perDay].filter(([d, c]) => d < day && sumCounts(c) > 0).map(([d]) => d);
  const first = recorded.sort()[0];
  if (first === undefined) return null;
  const days = Array.from({ length: WEEKDAY_WEEKS }, (_, i) => addDays(day, -7 * (i + 1))).filter(
    (d) => d >= first,
  );
  if (days.length === 0) return null;
  const bySource = zeroCounts();
  for (const source of SOURCES) {
    bySource[source] = sum(days.map((d) => perDay.get(d)?.[source] ?? 0)) / days.length;
  }
  return {
    weekday: formatDate(day, 'dddd'),
    weeks: days.length,
    average: sumCounts(bySource),
    bySource,
  };
}

/** Signed percentage change, rounded half away from zero; `null` from a base of 0. */
export function percentChange(value: number, base: number): number | null {
  if (base === 0) return null;
  const pct = Math.round((Math.abs(value - base) * 100) / base);
  return value < base ? -pct : pct;
}

/**
 * The source that moved most against its weekday average, when it moved sharply: at least
 * CALLOUT_MIN_VOLUME assignments on one side and a change of CALLOUT_MIN_CHANGE_PERCENT or more (a source that
 * was not used before and now has CALLOUT_MIN_VOLUME counts too). One line, so only the largest move.
 */
function sourceCallout(today: Record<Source, number>, weekday: WeekdayAverage): SourceCallout | null {
  let best: SourceCallout | null = null;
  for (const source of SOURCES) {
    const count = today[source];
    const average = weekday.bySource[source];
    if (Math.max(count, average) < CALLOUT_MIN_VOLUME) continue;
    const percent = percentChange(count, average);
    if (percent !== null && Math.abs(percent) < CALLOUT_MIN_CHANGE_PERCENT) continue;
    const candidate = { source, label: SOURCE_LABELS[source], count, average, percent };
    if (!best || Math.abs(count - average) > Math.abs(best.count - best.average)) best = candidate;
  }
  return best;
}

/** A party known only by name (CSV rows name agents, they do not identify them). */
const nameOnly = (p: Party): boolean => p.id === p.name;

/** The same agent: the same id, or the same name when one side knows only the name (as the store decides). */
export function sameAgent(a: Party | null, b: Party | null): boolean {
  if (!a || !b) return a === b;
  if (a.id === b.id) return true;
  return (nameOnly(a) || nameOnly(b)) && a.name.toLowerCase() === b.name.toLowerCase();
}

const byName = (a: string, b: string): number => a.localeCompare(b, 'en', { sensitivity: 'base' });

/**
 * Agents by count with their share and load against the team mean. A name-only entry (from a CSV import) is
 * merged into the identified agent of the same name, so one person is one line.
 */
function agentLoads(rows: readonly AgentDayCount[]): { byAgent: AgentLoad[]; teamMean: number | null } {
  const agents: AgentDayCount[] = [];
  let unassigned = 0;
  // Identified agents first, so a name-only entry finds the agent it belongs to.
  const isNameOnly = (row: AgentDayCount): number => Number(row.agent !== null && nameOnly(row.agent));
  const ordered = [...rows].sort((a, b) => isNameOnly(a) - isNameOnly(b));
  for (const row of ordered) {
    if (!row.agent) {
      unassigned += row.count;
      continue;
    }
    const same = agents.find((a) => sameAgent(a.agent, row.agent));
    if (same) same.count += row.count;
    else agents.push({ agent: row.agent, count: row.count });
  }
  agents.sort((a, b) => b.count - a.count || byName(a.agent?.name ?? '', b.agent?.name ?? ''));
  const lines = unassigned > 0 ? [...agents, { agent: null, count: unassigned }] : agents;
  const percents = percentages(lines.map((l) => l.count));
  const teamMean = agents.length > 0 ? sum(agents.map((a) => a.count)) / agents.length : null;
  return {
    byAgent: lines.map((line, i) => ({
      agent: line.agent,
      count: line.count,
      percent: percents[i] ?? 0,
      load: line.agent && teamMean && agents.length > 1 ? line.count / teamMean : null,
    })),
    teamMean,
  };
}

/**
 * A conversation bounced when it changed hands BOUNCE_MIN_MOVES or more times that day (every event counts,
 * an unassignment too), or came back to an agent it had left for another agent (A → B → A), counting whoever
 * held it before the day's first event. Nobody in between is not another agent: closed and then reopened
 * with the same agent is the usual life of a conversation, not a bounce.
 */
function bounceOf(conversation: ConversationDay): BouncedConversation | undefined {
  const [first] = conversation.moves;
  if (!first) return undefined;
  const chain = [first.previous, ...conversation.moves.map((m) => m.assignee)];
  const returnedTo = firstReturn(chain);
  const reasons: BounceReason[] = [
    ...(conversation.moves.length >= BOUNCE_MIN_MOVES ? ['many_moves' as const] : []),
    ...(returnedTo ? ['returned' as const] : []),
  ];
  if (reasons.length === 0) return undefined;
  return {
    conversationId: conversation.conversationId,
    contact: conversation.contact,
    chain,
    moves: conversation.moves.length,
    reasons,
    returnedTo,
  };
}

/** The first agent the chain comes back to after another agent held it in between. */
function firstReturn(chain: readonly (Party | null)[]): Party | null {
  const agents = chain.filter((p): p is Party => p !== null);
  for (const [i, agent] of agents.entries()) {
    // Walk back from just before `agent`: another agent first, then `agent` itself, is A → B → A.
    let other = false;
    for (const earlier of agents.slice(0, i).reverse()) {
      if (!sameAgent(earlier, agent)) other = true;
      else if (other) return agent;
      else break;
    }
  }
  return null;
}

/** The conversation when the day ended with one of the digest's unassignments: nobody had it at midnight. */
function leftUnassigned(conversation: ConversationDay): UnassignedConversation | undefined {
  const last = conversation.moves.at(-1);
  if (!last || last.assignee !== null || !last.counted) return undefined;
  return {
    conversationId: conversation.conversationId,
    contact: conversation.contact,
    at: last.at,
    source: last.source,
    from: last.previous,
  };
}

function compareIds(
  a: { conversationId: string | null; contact: Party },
  b: { conversationId: string | null; contact: Party },
): number {
  const key = (c: typeof a) => c.conversationId ?? `~${c.contact.id}`;
  return key(a).localeCompare(key(b), 'en', { numeric: true });
}
