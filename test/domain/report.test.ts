import { describe, expect, it } from 'vitest';
import { NO_FILTERS, type ReportFilters } from '../../src/domain/filters.ts';
import { type RangeSpec, resolveRange } from '../../src/domain/range.ts';
import {
  buildReport,
  type DaySourceCount,
  inapplicableFilters,
  type LogRow,
  percentages,
  reproducingCommand,
} from '../../src/domain/report.ts';
import { SOURCES, type Source } from '../../src/domain/sources.ts';

// Thursday 26 November 2026, 10:00 in New York.
const NOW = new Date('2026-11-26T15:00:00Z');
const ZONE = 'America/New_York';
const LAST_7_DAYS = resolveRange({ kind: 'preset', preset: 'last_7_days' }, NOW, ZONE);
const YESTERDAY = resolveRange({ kind: 'preset', preset: 'yesterday' }, NOW, ZONE);

const filters = (partial: Partial<ReportFilters>): ReportFilters => ({ ...NO_FILTERS, ...partial });

function zeros(): Record<Source, number> {
  return {
    developer_api: 0,
    workflow: 0,
    bot: 0,
    zapier: 0,
    user: 0,
    contact_import: 0,
    close_conversation: 0,
    unknown: 0,
  };
}

function report(input: { counts?: DaySourceCount[]; filters?: ReportFilters; previousTotal?: number } = {}) {
  return buildReport({
    range: LAST_7_DAYS,
    filters: input.filters ?? NO_FILTERS,
    counts: input.counts ?? [],
    previousTotal: input.previousTotal ?? 0,
    latest: [],
  });
}

describe('percentages', () => {
  it.each([
    [
      [1, 1, 1],
      [34, 33, 33],
    ],
    [
      [1, 2],
      [33, 67],
    ],
    [
      [2, 1],
      [67, 33],
    ],
    [[5], [100]],
    [
      [1, 0, 0],
      [100, 0, 0],
    ],
    [
      [1, 1, 1, 1, 1, 1],
      [17, 17, 17, 17, 16, 16],
    ],
    [
      [1, 1, 1, 1, 1, 1, 1],
      [15, 15, 14, 14, 14, 14, 14],
    ],
    [
      [50, 30, 20],
      [50, 30, 20],
    ],
    [
      [0, 0, 0],
      [0, 0, 0],
    ],
    [[], []],
  ])('%j → %j', (counts, expected) => {
    expect(percentages(counts)).toEqual(expected);
  });

  it('always adds up to 100 when anything was counted', () => {
    const samples = [
      [3, 3, 3, 3, 3, 3, 1],
      [997, 1, 1, 1],
      [7, 11, 13, 17, 19, 23, 29],
      [1, 999_999],
      [2, 2, 2, 0, 0, 0, 3],
    ];
    for (const counts of samples) {
      const result = percentages(counts);
      expect(result.reduce((a, b) => a + b, 0)).toBe(100);
      expect(result.every((p) => Number.isInteger(p) && p >= 0)).toBe(true);
    }
  });
});

describe('buildReport', () => {
  const counts: DaySourceCount[] = [
    { day: '2026-11-20', source: 'workflow', count: 3 },
    { day: '2026-11-20', source: 'bot', count: 1 },
    { day: '2026-11-22', source: 'workflow', count: 1 },
    { day: '2026-11-22', source: 'workflow', count: 1 },
    { day: '2026-11-26', source: 'user', count: 4 },
  ];

  it('totals per source, in the seed order, with whole percentages', () => {
    const r = report({ counts, previousTotal: 8 });
    expect(r.total).toBe(10);
    expect(r.previousTotal).toBe(8);
    expect(r.bySource).toEqual([
      { source: 'developer_api', label: 'Developer API', count: 0, percent: 0 },
      { source: 'workflow', label: 'Workflow', count: 5, percent: 50 },
      { source: 'bot', label: 'Bot', count: 1, percent: 10 },
      { source: 'zapier', label: 'Zapier', count: 0, percent: 0 },
      { source: 'user', label: 'User', count: 4, percent: 40 },
      { source: 'contact_import', label: 'Contact Import', count: 0, percent: 0 },
      { source: 'close_conversation', label: 'Close Conversation', count: 0, percent: 0 },
      { source: 'unknown', label: 'Unknown (webhook)', count: 0, percent: 0 },
    ]);
    expect(r.notices).toEqual([]);
    expect(r.command).toBe('/assignments last 7 days');
  });

  it('has a row for every day of the range, zero days included', () => {
    const r = report({ counts });
    expect(r.byDay).toEqual([
      { day: '2026-11-20', counts: { ...zeros(), workflow: 3, bot: 1 } },
      { day: '2026-11-21', counts: zeros() },
      { day: '2026-11-22', counts: { ...zeros(), workflow: 2 } },
      { day: '2026-11-23', counts: zeros() },
      { day: '2026-11-24', counts: zeros() },
      { day: '2026-11-25', counts: zeros() },
      { day: '2026-11-26', counts: { ...zeros(), user: 4 } },
    ]);
  });

  it('gives an empty range seven zero days and every source at 0%', () => {
    const r = report();
    expect(r.total).toBe(0);
    expect(r.byDay).toHaveLength(7);
    expect(r.byDay.every((d) => SOURCES.every((s) => d.counts[s] === 0))).toBe(true);
    expect(r.bySource.map((s) => s.percent)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('refuses counts for a day outside the range', () => {
    expect(() => report({ counts: [{ day: '2026-11-27', source: 'bot', count: 1 }] })).toThrow(
      'day 2026-11-27 is outside 2026-11-20..2026-11-26 (America/New_York)',
    );
  });

  it('passes the latest rows through', () => {
    const row: LogRow = {
      timestamp: new Date('2026-11-26T14:00:00Z'),
      conversationId: '88231',
      contact: { id: 'c1', name: 'Ana Lima' },
      previousAssignee: null,
      assignee: { id: 'u2', name: 'Mei Tan' },
      source: 'workflow',
      assignedBy: null,
    };
    const r = buildReport({
      range: YESTERDAY,
      filters: NO_FILTERS,
      counts: [],
      previousTotal: 0,
      latest: [row],
    });
    expect(r.latest).toEqual([row]);
    expect(r.range).toBe(YESTERDAY);
  });

  describe('notices', () => {
    it('says there is nothing in the range when unfiltered', () => {
      expect(report().notices).toEqual(['No assignments in this range.']);
    });

    it('says no applicable data, echoing the filters, when filtered', () => {
      expect(report({ filters: filters({ sources: ['workflow'], assignees: ['Mei Tan'] }) }).notices).toEqual(
        ['No applicable data: no assignments match `source:workflow assignee:"Mei Tan"` in this range.'],
      );
    });

    const notApplicable =
      'Not applicable here: `by:` (Assigned By User) only applies to assignments made by a User, and the source filter excludes User.';

    it('says by: is not applicable when the source filter excludes user, instead of "no data"', () => {
      expect(
        report({ filters: filters({ sources: ['workflow'], assignedBy: ['Sarah Lee'] }) }).notices,
      ).toEqual([notApplicable]);
    });

    it('keeps that notice when other sources have data', () => {
      const r = report({
        counts: [{ day: '2026-11-24', source: 'workflow', count: 2 }],
        filters: filters({ sources: ['workflow', 'bot'], assignedBy: ['Sarah Lee'] }),
      });
      expect(r.notices).toEqual([notApplicable]);
    });

    it('has no such notice when user is among the sources, or there is no source filter', () => {
      expect(
        inapplicableFilters(filters({ sources: ['workflow', 'user'], assignedBy: ['Sarah Lee'] })),
      ).toEqual([]);
      expect(inapplicableFilters(filters({ assignedBy: ['Sarah Lee'] }))).toEqual([]);
      expect(inapplicableFilters(filters({ sources: ['bot'] }))).toEqual([]);
      expect(inapplicableFilters(filters({ sources: ['bot'], assignedBy: ['Sarah Lee'] }))).toEqual([
        notApplicable,
      ]);
    });
  });
});

describe('reproducingCommand', () => {
  const at = (spec: RangeSpec) => resolveRange(spec, NOW, ZONE);

  it.each<[RangeSpec, ReportFilters, string]>([
    [{ kind: 'preset', preset: 'yesterday' }, NO_FILTERS, '/assignments yesterday'],
    [{ kind: 'preset', preset: 'last_month' }, NO_FILTERS, '/assignments last month'],
    [{ kind: 'last_days', days: 14 }, NO_FILTERS, '/assignments 14d'],
    [
      { kind: 'dates', from: '2026-11-01', to: '2026-11-15' },
      NO_FILTERS,
      '/assignments 2026-11-01..2026-11-15',
    ],
    [
      { kind: 'preset', preset: 'yesterday' },
      filters({ sources: ['workflow', 'bot'], assignees: ['Mei Tan'] }),
      '/assignments yesterday source:workflow,bot assignee:"Mei Tan"',
    ],
    [
      { kind: 'preset', preset: 'today' },
      filters({
        teams: ['Support'],
        assignedBy: ['Sarah Lee'],
        assignees: ['none'],
        conversations: ['88231'],
      }),
      '/assignments today assignee:none by:"Sarah Lee" conversation:88231 team:Support',
    ],
  ])('%j with filters → %s', (spec, f, expected) => {
    expect(reproducingCommand(at(spec), f)).toBe(expected);
  });

  it('is what buildReport puts in the report', () => {
    const f = filters({ sources: ['developer_api'] });
    expect(
      buildReport({ range: YESTERDAY, filters: f, counts: [], previousTotal: 0, latest: [] }).command,
    ).toBe('/assignments yesterday source:developer_api');
  });
});
