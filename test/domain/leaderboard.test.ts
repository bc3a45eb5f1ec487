import { describe, expect, it } from 'vitest';
import { NO_FILTERS } from '../../src/domain/filters.ts';
import { buildLeaderboard, type GroupCount, type Grouping, rowChange } from '../../src/domain/leaderboard.ts';
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
  it('lists agents by count with shares that add up to 100 and their previous counts', () => {
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
      ['Unassigned', 1, 33, 0],
      // Only in the previous period: listed, with nothing now.
      ['Gone Agent', 0, 0, 2],
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

  it('lists every day of the range in order, each against the same day of the previous period', () => {
    // Last 7 days: Fri 20 – Thu 26 Nov; the previous period is Fri 13 – Thu 19 Nov.
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

  it('has all zero shares when nothing matches', () => {
    const b = board('agent', [], [g('u1', 3)]);
    expect(b.rows.map((r) => [r.count, r.percent, r.previous])).toEqual([[0, 0, 3]]);
  });
});

describe('rowChange', () => {
  it.each([
    [12, 8, '+4 (+50%)'],
    [6, 8, '−2 (−25%)'],
    [0, 3, '−3 (−100%)'],
    [5, 5, '±0'],
    [3, 0, 'new'],
    [0, 0, '±0'],
    [1, 8, '−7 (−88%)'],
  ])('%i against %i is %s', (count, previous, text) => {
    expect(rowChange(count, previous)).toBe(text);
  });
});
