import { commandWords, pinnedCommand } from '../domain/button-state.ts';
import type { Party } from '../domain/event.ts';
import { filtersText, NO_FILTERS, type ReportFilters } from '../domain/filters.ts';
import { unknownNameNotices } from '../domain/name-suggestions.ts';
import { type ParsedReport, parseReportCommand, zoneWord } from '../domain/parse-command.ts';
import { type ResolvedRange, resolveRange } from '../domain/range.ts';
import { buildTimeline, type Timeline, type TimelineSubject, timelineSubjectOf } from '../domain/timeline.ts';
import { severalContactsText, timelineText } from '../render/timeline-text.ts';
import type { AssignmentStore } from '../store/assignment-store.ts';

export interface TimelineDeps {
  store: Pick<AssignmentStore, 'timeline' | 'partiesIn'>;
}

export type TimelineAnswer =
  | { kind: 'error'; message: string }
  /** `contact:<name>` names several contacts: the user picks one by id. */
  | { kind: 'several'; value: string; contacts: Party[] }
  | {
      kind: 'timeline';
      timeline: Timeline;
      /** 1-based page to show; past the last (a first look) shows the newest. */
      page: number;
      /** The command the page buttons carry: the range as dates, so a later press shows the same events. */
      stateCommand: string;
    };

/** The timeline a command asks for, when it asks for one: its only filter is one conversation or one contact. */
function timelineRequest(text: string): { parsed: ParsedReport; subject: TimelineSubject } | undefined {
  const parsed = parseReportCommand(commandWords(text));
  if (!parsed.ok) return undefined;
  const subject = timelineSubjectOf(parsed.filters);
  return subject ? { parsed, subject } : undefined;
}

/** True when `/assignments` text is `conversation:88231` or `contact:1234567` alone (a range and `tz:` may come with it). */
export function isTimelineCommand(text: string): boolean {
  return timelineRequest(text) !== undefined;
}

function subjectFilters(subject: TimelineSubject): ReportFilters {
  return subject.kind === 'conversation'
    ? { ...NO_FILTERS, conversations: [subject.id] }
    : { ...NO_FILTERS, contacts: [subject.id] };
}

/**
 * A conversation's or contact's timeline for a zone at `now`: over the range when one is given, all time
 * otherwise. Shared by Slack (first page, and the page buttons) and the console.
 */
export async function answerTimeline(
  deps: TimelineDeps,
  input: { text: string; zone: string; now: Date; page?: number },
): Promise<TimelineAnswer> {
  const request = timelineRequest(input.text);
  if (!request)
    return {
      kind: 'error',
      message: 'That is not a timeline: give one `conversation:` or one `contact:` alone.',
    };
  const { parsed, subject } = request;
  const zone = parsed.zone ?? input.zone;
  const range: ResolvedRange | undefined = parsed.rangeGiven
    ? resolveRange(parsed.range, input.now, zone)
    : undefined;
  const lookup = await deps.store.timeline(subject, range ? { from: range.from, to: range.to } : {});
  if (lookup.kind === 'several') return { kind: 'several', value: subject.id, contacts: lookup.contacts };
  // The subject as typed (a contact's name stays a name), so the page buttons look the same contact up again.
  const filters = subjectFilters(subject);
  const command = [
    '/assignments',
    range?.text ?? '',
    filtersText(filters),
    parsed.zone ? zoneWord(parsed.zone) : '',
  ]
    .filter(Boolean)
    .join(' ');
  const built = buildTimeline({
    subject: lookup.subject,
    range,
    zone,
    now: input.now,
    events: lookup.events,
    command,
  });
  const timeline = await withContactSuggestion(deps, built, range, input.now);
  return {
    kind: 'timeline',
    timeline,
    // A timeline opens on its newest page (pages clamp to the last there is); Older goes back from there.
    page: input.page ?? Number.POSITIVE_INFINITY,
    stateCommand: pinnedCommand(range, filters, parsed.zone),
  };
}

/** How far back the contacts a suggestion is taken from reach, for a timeline over all time. */
const SUGGEST_FROM_DAYS = 90;

/**
 * A contact's timeline with nothing in it because the name is nobody's: says so and suggests the nearest
 * contact name seen in the range (or the last 90 days, read from the `ts` index).
 */
async function withContactSuggestion(
  deps: TimelineDeps,
  timeline: Timeline,
  range: ResolvedRange | undefined,
  now: Date,
): Promise<Timeline> {
  if (timeline.total > 0 || timeline.subject.kind !== 'contact') return timeline;
  const window = range
    ? { from: range.from, to: range.to }
    : { from: new Date(now.getTime() - SUGGEST_FROM_DAYS * 86_400_000), to: now };
  const contacts = await deps.store.partiesIn(window, 'contacts');
  const scope = range ? 'in this range' : `in the last ${SUGGEST_FROM_DAYS} days`;
  const [notice] = unknownNameNotices(
    { ...NO_FILTERS, contacts: [timeline.subject.id] },
    { contacts },
    scope,
  );
  return notice ? { ...timeline, notice } : timeline;
}

/** The whole timeline as console text, or `Error: …`; for the local console. */
export async function answerTimelineText(
  deps: TimelineDeps,
  input: { text: string; zone: string; now: Date },
): Promise<string> {
  const answer = await answerTimeline(deps, input);
  switch (answer.kind) {
    case 'error':
      return `Error: ${answer.message}`;
    case 'several':
      return `Error: ${severalContactsText(answer)}`;
    case 'timeline':
      return timelineText(answer.timeline);
  }
}
