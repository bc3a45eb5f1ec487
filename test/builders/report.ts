import type { Party } from '../../src/domain/event.ts';
import { NO_FILTERS, type ReportFilters } from '../../src/domain/filters.ts';
import { daysOfRange, type RangeSpec, resolveRange } from '../../src/domain/range.ts';
import { buildReport, type DaySourceCount, type LogRow, type Report } from '../../src/domain/report.ts';
import { SOURCES, type Source } from '../../src/domain/sources.ts';
import type { LocalDate } from '../../src/domain/time.ts';

/** Thursday 26 Nov 2026, 18:00 in Kuala Lumpur: every report test sees the same clock and zone. */
export const NOW = new Date('2026-11-26T10:00:00Z');
export const ZONE = 'Asia/Kuala_Lumpur';

export const YESTERDAY: RangeSpec = { kind: 'preset', preset: 'yesterday' };
export const LAST_7_DAYS: RangeSpec = { kind: 'preset', preset: 'last_7_days' };
export const LAST_30_DAYS: RangeSpec = { kind: 'preset', preset: 'last_30_days' };

/** Every source non-zero, with three-digit counts. */
export const EVERY_SOURCE: Partial<Record<Source, number>> = {
  developer_api: 101,
  workflow: 512,
  bot: 347,
  zapier: 123,
  user: 268,
  contact_import: 155,
  close_conversation: 199,
};

export function party(id: string, name = id): Party {
  return { id, name };
}

export function makeLogRow(overrides: Partial<LogRow> = {}): LogRow {
  return {
    timestamp: new Date('2026-11-25T00:15:00Z'),
    conversationId: '88231',
    contact: party('1234567', 'Aisha Rahman'),
    previousAssignee: party('u1', 'John Doe'),
    assignee: party('u2', 'Mei Tan'),
    source: 'workflow',
    assignedBy: null,
    ...overrides,
  };
}

/** The same counts on every day of a range. */
export function everyDay(range: RangeSpec, perDay: Partial<Record<Source, number>>): DaySourceCount[] {
  const resolved = resolveRange(range, NOW, ZONE);
  return daysOfRange(resolved).flatMap((day: LocalDate) =>
    SOURCES.flatMap((source) => {
      const count = perDay[source] ?? 0;
      return count > 0 ? [{ day, source, count }] : [];
    }),
  );
}

export interface ReportSpec {
  range?: RangeSpec;
  filters?: Partial<ReportFilters>;
  /** Counts as the store groups them; defaults to `perDay` on every day of the range. */
  counts?: DaySourceCount[];
  perDay?: Partial<Record<Source, number>>;
  previousTotal?: number;
  latest?: LogRow[];
}

/** Yesterday with Workflow 120 and Bot 80 against 188 the day before, unless told otherwise. */
export function makeReport(spec: ReportSpec = {}): Report {
  const rangeSpec = spec.range ?? YESTERDAY;
  return buildReport({
    range: resolveRange(rangeSpec, NOW, ZONE),
    filters: { ...NO_FILTERS, ...spec.filters },
    counts: spec.counts ?? everyDay(rangeSpec, spec.perDay ?? { workflow: 120, bot: 80 }),
    previousTotal: spec.previousTotal ?? 188,
    latest: spec.latest ?? defaultLog(),
  });
}

function defaultLog(): LogRow[] {
  return [
    makeLogRow({
      timestamp: new Date('2026-11-25T10:02:51Z'),
      previousAssignee: party('u2', 'Mei Tan'),
      assignee: null,
      source: 'bot',
    }),
    makeLogRow({
      timestamp: new Date('2026-11-25T02:02:51Z'),
      conversationId: null,
      contact: party('1234570', 'Ben Lim'),
      previousAssignee: null,
      assignee: party('u1', 'John Doe'),
      source: 'workflow',
    }),
    makeLogRow(),
  ];
}
