import type { Party } from './event.ts';
import { hasFilters, type ReportFilters } from './filters.ts';
import type { ResolvedRange } from './range.ts';
import type { LogRow } from './report.ts';
import { type LocalDate, localDateOf } from './time.ts';

// A conversation's (or a contact's) assignments in order, with how long each assignee held it and the flags
// managers look for. Pure: the store reads the events, this works out durations and flags, renderers show it.

/** Entries per page in Slack (25 two- or three-line sections stay well under the 50-block limit). */
export const TIMELINE_PAGE_SIZE = 25;
/** A local day with more than this many assignments is a busy day; the ones beyond it are flagged. */
export const BUSY_DAY_LIMIT = 3;
/**
 * Nobody held the conversation (it was closed or unassigned) for at least this long before an assignment: it had
 * gone quiet, and someone picked it up again. A long hold by one agent is not quiet: they had it.
 */
export const QUIET_AFTER_MS = 24 * 60 * 60 * 1000;
/**
 * Given back to someone who gave it up at most this long ago: ping-pong. A return after weeks is the
 * conversation's normal life (the contact came back), not a bounce.
 */
export const PING_PONG_WITHIN_MS = 24 * 60 * 60 * 1000;
/** Most events one timeline reads (the seed's log cap); beyond it the latest are kept and the answer says so. */
export const MAX_TIMELINE_EVENTS = 10_000;

/** What a timeline is about: one conversation, or one contact across its conversations (by id or name). */
export type TimelineSubject = { kind: 'conversation'; id: string } | { kind: 'contact'; id: string };

/**
 * The subject when a command's only filter is one conversation or one contact (a range and `tz:` may come
 * with it); any other filter, or several values, makes it a report.
 */
export function timelineSubjectOf(filters: ReportFilters): TimelineSubject | undefined {
  if (hasFilters({ ...filters, conversations: [], contacts: [] })) return undefined;
  const [conversation, ...moreConversations] = filters.conversations;
  const [contact, ...moreContacts] = filters.contacts;
  if (moreConversations.length > 0 || moreContacts.length > 0) return undefined;
  if (conversation !== undefined && contact === undefined) return { kind: 'conversation', id: conversation };
  if (contact !== undefined && conversation === undefined) return { kind: 'contact', id: contact };
  return undefined;
}

/** What the store reads for a timeline. */
export interface TimelineEvents {
  /** The subject's events in the window, oldest first: all of them, or the latest MAX_TIMELINE_EVENTS. */
  rows: LogRow[];
  /** How many events the window holds in all. */
  total: number;
  /** The event just before the first row (before the window, or cut by the cap): context for its flags. */
  before: LogRow | null;
  /** The first event after the window: it ends the last row's holding. */
  after: LogRow | null;
}

export type TimelineFlag =
  /** Back, within PING_PONG_WITHIN_MS, to someone who held it before (not the one who held it last). */
  | { kind: 'ping_pong'; back: Party }
  /** The nth assignment (n > BUSY_DAY_LIMIT) on one local day. */
  | { kind: 'busy_day'; day: LocalDate; nth: number }
  /** An assignment after nobody held the conversation for QUIET_AFTER_MS or more. */
  | { kind: 'after_quiet'; quietMs: number };

export interface TimelineEntry {
  /** 1-based position among all the window's events (events cut by the cap count too). */
  position: number;
  row: LogRow;
  /** How long the new assignee held it (or nobody did, for an unassignment). */
  heldMs: number;
  /** What ended the holding: the next entry, an event after the window, or nothing yet (measured up to now). */
  until: 'next' | 'after_window' | 'now';
  flags: TimelineFlag[];
}

export interface HolderTime {
  /** `null` gathers the gaps while nobody held it. */
  holder: Party | null;
  ms: number;
  /** How many times they were given it. */
  times: number;
}

export interface Timeline {
  subject: TimelineSubject;
  /** The contact (for a contact's timeline, the one asked for), as the latest event names it. */
  contact: Party | null;
  /** `undefined`: all time. */
  range: ResolvedRange | undefined;
  /** Times are shown and days counted in this zone. */
  zone: string;
  now: Date;
  entries: TimelineEntry[];
  /** Events in the window, including those the cap left out. */
  total: number;
  /** Earlier events left out by MAX_TIMELINE_EVENTS (0 normally). */
  omitted: number;
  /** Time held per assignee, longest first, gaps (nobody) included. */
  holders: HolderTime[];
  pingPongs: number;
  busyDays: { day: LocalDate; count: number }[];
  afterQuiet: number;
  /** The command that reproduces this timeline. */
  command: string;
  /** Said instead of "No assignments recorded" when the contact asked for is nobody's name (a suggestion). */
  notice?: string;
}

const isNameOnly = (p: Party): boolean => p.id === p.name;

/** The same person: the same id, or the same name when one side is known only by name (CSV rows). */
export function samePerson(a: Party, b: Party): boolean {
  if (a.id === b.id) return true;
  return (isNameOnly(a) || isNameOnly(b)) && a.name.toLowerCase() === b.name.toLowerCase();
}

/** Works out durations, flags and totals; `now` ends the holding of the last entry when nothing came after. */
export function buildTimeline(input: {
  subject: TimelineSubject;
  range: ResolvedRange | undefined;
  zone: string;
  now: Date;
  events: TimelineEvents;
  command: string;
}): Timeline {
  const { rows, before, after } = input.events;
  const omitted = Math.max(0, input.events.total - rows.length);
  // When each earlier holder last gave the conversation up: a return soon after is ping-pong.
  const gaveUp: { holder: Party; at: number }[] = [];
  const release = (p: Party | null, at: Date) => {
    if (!p) return;
    const known = gaveUp.find((g) => samePerson(g.holder, p));
    if (known) known.at = at.getTime();
    else gaveUp.push({ holder: p, at: at.getTime() });
  };
  const firstRow = rows[0];
  let lastHolder: Party | null = firstRow?.previousAssignee ?? before?.assignee ?? null;
  if (before?.previousAssignee && !(before.assignee && samePerson(before.previousAssignee, before.assignee)))
    release(before.previousAssignee, before.timestamp);
  const perDay = new Map<LocalDate, number>();
  const entries: TimelineEntry[] = rows.map((row, i) => {
    const flags: TimelineFlag[] = [];
    const { assignee } = row;
    // Whoever had it until now gives it up here (the log's previous assignee, or the last holder we saw).
    for (const holder of [row.previousAssignee, lastHolder])
      if (holder && !(assignee && samePerson(holder, assignee))) release(holder, row.timestamp);
    if (assignee && !(lastHolder && samePerson(lastHolder, assignee))) {
      const left = gaveUp.find((g) => samePerson(g.holder, assignee));
      if (left && row.timestamp.getTime() - left.at <= PING_PONG_WITHIN_MS)
        flags.push({ kind: 'ping_pong', back: assignee });
    }
    const day = localDateOf(row.timestamp, input.zone);
    const nth = (perDay.get(day) ?? 0) + 1;
    perDay.set(day, nth);
    if (nth > BUSY_DAY_LIMIT) flags.push({ kind: 'busy_day', day, nth });
    const previous = i > 0 ? rows[i - 1] : before;
    if (assignee && previous && previous.assignee === null) {
      const quietMs = row.timestamp.getTime() - previous.timestamp.getTime();
      if (quietMs >= QUIET_AFTER_MS) flags.push({ kind: 'after_quiet', quietMs });
    }
    const next = rows[i + 1] ?? after;
    const end = next ? next.timestamp : input.now;
    if (assignee) lastHolder = assignee;
    return {
      position: omitted + i + 1,
      row,
      heldMs: Math.max(0, end.getTime() - row.timestamp.getTime()),
      until: rows[i + 1] ? 'next' : after ? 'after_window' : 'now',
      flags,
    };
  });
  const contact = rows[rows.length - 1]?.contact ?? null;
  return {
    subject: input.subject,
    contact,
    range: input.range,
    zone: input.zone,
    now: input.now,
    entries,
    total: input.events.total,
    omitted,
    holders: holderTimes(entries),
    pingPongs: entries.filter((e) => e.flags.some((f) => f.kind === 'ping_pong')).length,
    busyDays: [...perDay]
      .filter(([, count]) => count > BUSY_DAY_LIMIT)
      .map(([day, count]) => ({ day, count })),
    afterQuiet: entries.filter((e) => e.flags.some((f) => f.kind === 'after_quiet')).length,
    command: input.command,
  };
}

function holderTimes(entries: readonly TimelineEntry[]): HolderTime[] {
  const totals: HolderTime[] = [];
  for (const { row, heldMs } of entries) {
    const holder = row.assignee;
    const found = totals.find((t) =>
      holder === null ? t.holder === null : t.holder !== null && samePerson(t.holder, holder),
    );
    if (found) {
      found.ms += heldMs;
      found.times++;
    } else totals.push({ holder, ms: heldMs, times: 1 });
  }
  return totals.sort((a, b) => b.ms - a.ms);
}

export interface TimelinePage {
  entries: TimelineEntry[];
  /** 1-based, clamped to the pages there are. */
  page: number;
  pages: number;
  /** Positions of the first and last entry shown (0 and 0 when there are none). */
  first: number;
  last: number;
}

/** One page of a timeline, oldest first; a page beyond the last shows the last. */
export function timelinePage(timeline: Timeline, page: number, size = TIMELINE_PAGE_SIZE): TimelinePage {
  const pages = Math.max(1, Math.ceil(timeline.entries.length / size));
  const current = Math.min(Math.max(1, Math.floor(page)), pages);
  const entries = timeline.entries.slice((current - 1) * size, current * size);
  return {
    entries,
    page: current,
    pages,
    first: entries[0]?.position ?? 0,
    last: entries[entries.length - 1]?.position ?? 0,
  };
}
