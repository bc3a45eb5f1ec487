import { z } from 'zod';
import { filtersText, type ReportFilters } from './filters.ts';
import { GROUPINGS } from './leaderboard.ts';
import { parseReportCommand, zoneWord } from './parse-command.ts';
import { type ResolvedRange, rangeText } from './range.ts';
import type { Report } from './report.ts';

// What a report's buttons need travels in their `value`: the command that reproduces the report with its days
// pinned, the view to show and the page. Nothing is stored between presses.

/** Slack's limit on a button's `value`. */
export const MAX_BUTTON_VALUE = 2000;

export const BUTTON_VIEWS = ['report', 'log', 'timeline', ...GROUPINGS] as const;
export type ButtonView = (typeof BUTTON_VIEWS)[number];

export interface ButtonState {
  /** `/assignments 2026-11-19..2026-11-25 source:workflow`: the range as dates, so a later press shows the same days. */
  command: string;
  view: ButtonView;
  /** 1-based. */
  page: number;
}

const MAX_PAGE = 1_000_000;

// Short keys: the value's room is for the command.
const wireSchema = z.object({
  c: z.string().min(1).max(MAX_BUTTON_VALUE),
  v: z.enum(BUTTON_VIEWS),
  p: z.number().int().min(1).max(MAX_PAGE),
});

/** The button value for a state, or `undefined` when it would not fit (the button is left out, never cut). */
export function encodeButtonState(state: ButtonState): string | undefined {
  const value = JSON.stringify({ c: state.command, v: state.view, p: state.page });
  return value.length <= MAX_BUTTON_VALUE ? value : undefined;
}

export const UNREADABLE_BUTTON =
  'I could not read what this button was for (it may come from an older version of this app). Please run `/assignments` again.';

export type DecodedButton = { ok: true; state: ButtonState } | { ok: false; error: string };

/** Reads a button value back; anything else than what encodeButtonState writes is answered politely. */
export function decodeButtonState(value: string | undefined): DecodedButton {
  if (value === undefined || value.length > MAX_BUTTON_VALUE) return { ok: false, error: UNREADABLE_BUTTON };
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return { ok: false, error: UNREADABLE_BUTTON };
  }
  const parsed = wireSchema.safeParse(json);
  if (!parsed.success) return { ok: false, error: UNREADABLE_BUTTON };
  return { ok: true, state: { command: parsed.data.c, view: parsed.data.v, page: parsed.data.p } };
}

/**
 * The command words that reproduce a range and filters on the same local days whenever they run: the range as
 * dates (`yesterday` would move a day at midnight), the filters, and `tz:` when the original named a zone.
 * Without a range (a timeline over all time) there is no range word.
 */
export function pinnedCommand(
  range: Pick<ResolvedRange, 'firstDay' | 'lastDay'> | undefined,
  filters: ReportFilters,
  zone?: string,
): string {
  return [
    '/assignments',
    range ? rangeText({ kind: 'dates', from: range.firstDay, to: range.lastDay }) : '',
    filtersText(filters),
    zone === undefined ? '' : zoneWord(zone),
  ]
    .filter(Boolean)
    .join(' ');
}

const COMMAND_PREFIX = /^\s*\/assignments(?:\s|$)/i;

/** The `/assignments` words of a command, without the slash command itself. */
export function commandWords(command: string): string {
  return command.replace(COMMAND_PREFIX, ' ').trim();
}

/** The pinned command of a report, keeping the `tz:` its reproducing command carries. */
export function reportStateCommand(report: Pick<Report, 'range' | 'filters' | 'command'>): string {
  const parsed = parseReportCommand(commandWords(report.command));
  return pinnedCommand(report.range, report.filters, parsed.ok ? parsed.zone : undefined);
}
