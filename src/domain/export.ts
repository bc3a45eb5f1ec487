import type { ReportFilters } from './filters.ts';
import { parseReportCommand, zoneWord } from './parse-command.ts';
import { type ResolvedRange, resolveRange } from './range.ts';
import { type LogRow, reproducingCommand } from './report.ts';

/** One row of an export: a log row and the stored key of its event, so that re-importing it is exact. */
export interface ExportRow extends LogRow {
  eventId: string;
}

/** What an export covers, pinned to a zone and a clock. */
export interface ExportPlan {
  range: ResolvedRange;
  filters: ReportFilters;
  /** The zone the file's timestamps are written in: the requester's, or the text's `tz:`. */
  zone: string;
  /** The command that reproduces the export, e.g. `/assignments export yesterday source:workflow`. */
  command: string;
}

export type ExportRequest = { kind: 'plan'; plan: ExportPlan } | { kind: 'error'; message: string };

const EXPORT_WORD = /^\s*export(?:\s|$)/i;
const COMMAND_PREFIX = /^\s*\/assignments(?:\s|$)/i;
const HELP_WORDS = new Set(['help', '?', '-h', '--help']);

export const EXPORT_USAGE =
  'Use `/assignments export [range] [filters]`, e.g. `/assignments export last month source:workflow`: ' +
  'the whole log of that range as a CSV file, sent to you in a direct message.';

/** True when `/assignments` text asks for an export (its first word is `export`). */
export function isExportCommand(text: string): boolean {
  return EXPORT_WORD.test(text);
}

/**
 * Reads `export [range] [filters]` (the word `export` and a leading `/assignments` are optional, so a report's
 * reproducing command works too) into the range and filters to export, for `zone` at `now`.
 */
export function planExport(input: { text: string; zone: string; now: Date }): ExportRequest {
  const text = input.text.replace(COMMAND_PREFIX, ' ').replace(EXPORT_WORD, ' ');
  if (HELP_WORDS.has(text.trim().toLowerCase())) return { kind: 'error', message: EXPORT_USAGE };
  const parsed = parseReportCommand(text);
  if (!parsed.ok) return { kind: 'error', message: `${parsed.error} ${EXPORT_USAGE}` };
  const zone = parsed.zone ?? input.zone;
  const range = resolveRange(parsed.range, input.now, zone);
  const command = reproducingCommand(range, parsed.filters).replace(/^\/assignments/, '/assignments export');
  return {
    kind: 'plan',
    plan: {
      range,
      filters: parsed.filters,
      zone,
      // A zone given in the text is kept, so the command exports the same days for whoever runs it.
      command: parsed.zone ? `${command} ${zoneWord(parsed.zone)}` : command,
    },
  };
}
