import type { ReportFilters } from './filters.ts';
import type { LocalDate } from './time.ts';

/** A daily digest as a manager set it up with `/assignments digest add`. */
export interface DigestDefinition {
  /** Short id people type: `digest pause d7k2`. */
  id: string;
  channelId: string;
  /** The channel's name when it was added, for lists and messages; the id is what is posted to. */
  channelName: string | null;
  /** The team as the agent directory spells it. */
  team: string;
  /** Local wall-clock time of day, "HH:MM" (24 h), in `zone`. */
  at: string;
  zone: string;
  /** Skip Saturdays and Sundays (local). */
  weekdaysOnly: boolean;
  /** Post nothing (and log it) on a day without assignments. */
  skipEmpty: boolean;
  /** Further report filters; `teams` is always empty here (the team is `team`). */
  filters: ReportFilters;
  paused: boolean;
  /** Slack user id of whoever added it; told by DM when a run fails. */
  createdBy: string;
  createdAt: Date;
}

/** What a digest run says about one local day: the main message and the log excerpt for its thread. */
export interface ComposedDigest {
  /** No assignments that day for this team and filters (`skip-empty` skips it). */
  empty: boolean;
  main: { text: string; blocks: unknown[] };
  /** The log excerpt, posted as a reply in the main message's thread; null when there is nothing to list. */
  thread: { text: string; blocks: unknown[] } | null;
}

/** How a run is marked in the message: a `digest test`, or posted later than scheduled. */
export interface DigestMarks {
  test: boolean;
  /** Set when posted after the scheduled minute (catch-up): how late, e.g. "2 h 5 min". */
  delayedBy: string | null;
}

/** Builds a digest for a definition and the local day it covers (the day before the run's local date). */
export type ComposeDigest = (
  digest: DigestDefinition,
  day: LocalDate,
  marks: DigestMarks,
) => Promise<ComposedDigest>;
