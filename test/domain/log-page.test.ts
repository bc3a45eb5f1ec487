import { describe, expect, it } from 'vitest';
import { LOG_PAGE_SIZE, LOG_ROW_CAP, logPageOf } from '../../src/domain/log-page.ts';

describe('logPageOf', () => {
  it('pages 20 rows at a time up to the seed’s 10,000', () => {
    expect(LOG_PAGE_SIZE).toBe(20);
    expect(LOG_ROW_CAP).toBe(10_000);
  });

  it.each([
    // total, requested page → page, pages, offset, limit, first, last, overCap
    [0, 1, [1, 1, 0, 0, 0, 0, false]],
    [1, 1, [1, 1, 0, 1, 1, 1, false]],
    [20, 1, [1, 1, 0, 20, 1, 20, false]],
    [20, 2, [1, 1, 0, 20, 1, 20, false]],
    [21, 1, [1, 2, 0, 20, 1, 20, false]],
    [21, 2, [2, 2, 20, 1, 21, 21, false]],
    [10_000, 500, [500, 500, 9_980, 20, 9_981, 10_000, false]],
    [10_000, 501, [500, 500, 9_980, 20, 9_981, 10_000, false]],
    [10_001, 1, [1, 500, 0, 20, 1, 20, true]],
    [10_001, 500, [500, 500, 9_980, 20, 9_981, 10_000, true]],
    [10_001, 501, [500, 500, 9_980, 20, 9_981, 10_000, true]],
    [45, 0, [1, 3, 0, 20, 1, 20, false]],
    [45, -3, [1, 3, 0, 20, 1, 20, false]],
  ] as const)('%i rows, page %i', (total, requested, expected) => {
    const p = logPageOf(total, requested);
    expect([p.page, p.pages, p.offset, p.limit, p.first, p.last, p.overCap]).toEqual(expected);
    expect(p.total).toBe(total);
    expect(p.pageable).toBe(Math.min(total, LOG_ROW_CAP));
  });

  it('reaches every row exactly once across the pages', () => {
    for (const total of [0, 1, 19, 20, 21, 59, 60, 61]) {
      const pages = logPageOf(total, 1).pages;
      let seen = 0;
      for (let page = 1; page <= pages; page++) {
        const p = logPageOf(total, page);
        expect(p.offset).toBe(seen);
        seen += p.limit;
      }
      expect(seen).toBe(total);
    }
  });
});
