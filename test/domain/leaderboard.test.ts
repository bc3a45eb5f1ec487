import { describe, expect, it } from 'vitest';
import { NO_FILTERS } from '../../src/domain/filters.ts';
import { buildLeaderboard, type GroupCount, type Grouping } from '../../src/domain/leaderboard.ts';
import { resolveRange } from '../../src/domain/range.ts';

const NOW = new Date('2026-11-26T10:00:00Z');
const ZONE = 'Asia/Kuala_Lumpur';
const LAST_7 = resolveRange({ kind: 'preset', preset: 'last_7_days' }, NOW, ZONE);

const g = (key: string | null, count: number, name: string | null = key): GroupCount => ({
  key,
  name,
  count,
});

function board(grouping: Grouping, current: GroupCount[], previous: GroupCount[] = [], range = LAST_7) {
  return buildLeaderboard({
    grouping,
    range,
    filters: NO_FILTERS,
    current,
    previous,
    command: '/assignments x',
  });
}

describe('buildLeaderboard', () => {
  it('lists agents by count with shares that add up to 100 and their previous counts, Unassigned last', () => {
    const b = board(
      'agent',
      [g('u2', 1, 'Mei Tan'), g('u1', 1, 'John Doe'), g(null, 1), g('u3', 0, 'Ali')].filter(
        (x) => x.count > 0,
      ),
      [g('u2', 4, 'Mei Tan'), g('u9', 2, 'Gone Agent')],
    );
    expect(b.rows.map((r) => [r.label, r.count, r.percent, r.previous])).toEqual([
      ['Mei Tan', 1, 34, 4],
      ['John Doe', 1, 33, 0],
      // Only in the comparison: listed, with nothing now.
      ['Gone Agent', 0, 0, 2],
      ['Unassigned', 1, 33, 0],
    ]);
    expect(b.rows.reduce((s, r) => s + r.percent, 0)).toBe(100);
    expect([b.total, b.previousTotal]).toEqual([3, 6]);
  });

  it.each([
    [[7], [100]],
    [
      [2, 1],
      [67, 33],
    ],
    [
      [1, 1, 1, 1, 1, 1, 1],
      [15, 15, 14, 14, 14, 14, 14],
    ],
    [
      [999, 1],
      [100, 0],
    ],
  ])('shares of %j sum to 100: %j', (counts, percents) => {
    const b = board(
      'team',
      counts.map((c, i) => g(`t${i}`, c)),
    );
    expect(b.rows.map((r) => r.percent)).toEqual(percents);
    expect(b.rows.reduce((s, r) => s + r.percent, 0)).toBe(100);
  });

  it('names a missing team "No team" and keeps the team’s name', () => {
    const b = board('team', [g('support', 3, 'Support'), g(null, 1)]);
    expect(b.rows.map((r) => r.label)).toEqual(['Support', 'No team']);
  });

  it('labels sources as the seed does', () => {
    const b = board('source', [g('close_conversation', 2), g('developer_api', 5)], [g('developer_api', 4)]);
    expect(b.rows.map((r) => [r.label, r.count, r.previous])).toEqual([
      ['Developer API', 5, 4],
      ['Close Conversation', 2, 0],
    ]);
  });

  it('lists every day of the range in order, each against the same weekday a week earlier', () => {
    // Last 7 days: Fri 20 – Thu 26 Nov; a week earlier is Fri 13 – Thu 19 Nov.
    const b = board(
      'day',
      [g('2026-11-20', 4), g('2026-11-26', 2)],
      [g('2026-11-13', 2), g('2026-11-19', 4), g('2026-11-14', 1)],
    );
    expect(b.rows.map((r) => [r.key, r.count, r.previous])).toEqual([
      ['2026-11-20', 4, 2],
      ['2026-11-21', 0, 1],
      ['2026-11-22', 0, 0],
      ['2026-11-23', 0, 0],
      ['2026-11-24', 0, 0],
      ['2026-11-25', 0, 0],
      ['2026-11-26', 2, 4],
    ]);
    expect(b.rows[0]?.label).toBe('Fri 20 Nov 2026');
    expect(b.rows.reduce((s, r) => s + r.percent, 0)).toBe(100);
    expect([b.total, b.previousTotal]).toEqual([6, 7]);
  });

  it('compares a day of a long range with the same weekday, not with the day 30 days before', () => {
    // Last 30 days: 28 Oct – 26 Nov. Tue 3 Nov is compared with Tue 27 Oct (not Sun 4 Oct).
    const range = resolveRange({ kind: 'last_days', days: 30 }, NOW, ZONE);
    const b = board(
      'day',
      [g('2026-11-03', 9), g('2026-11-26', 2)],
      [g('2026-10-27', 6), g('2026-10-04', 50)],
      range,
    );
    expect(b.rows.find((r) => r.key === '2026-11-03')?.previous).toBe(6);
    // Today is marked so far, and the comparison says it stops at the same time of day.
    expect(b.rows.at(-1)).toMatchObject({ key: '2026-11-26', soFar: true });
    expect(b.rows.filter((r) => r.soFar)).toHaveLength(1);
    expect(b.comparisonLabel).toBe('the same days a week earlier to 18:00');
  });

  it('has all zero shares when nothing matches', () => {
    const b = board('agent', [], [g('u1', 3)]);
    expect(b.rows.map((r) => [r.count, r.percent, r.previous])).toEqual([[0, 0, 3]]);
  });
});
