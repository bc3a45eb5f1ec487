import { describe, expect, it } from 'vitest';
import { filtersText, hasFilters, NO_FILTERS, type ReportFilters } from '../../src/domain/filters.ts';

const filters = (partial: Partial<ReportFilters>): ReportFilters => ({ ...NO_FILTERS, ...partial });

describe('hasFilters', () => {
  it('is false only when every list is empty', () => {
    expect(hasFilters(NO_FILTERS)).toBe(false);
    expect(hasFilters(filters({ teams: ['Support'] }))).toBe(true);
    expect(hasFilters(filters({ assignees: ['none'] }))).toBe(true);
  });
});

describe('filtersText', () => {
  it('is empty without filters', () => {
    expect(filtersText(NO_FILTERS)).toBe('');
  });

  it('writes keys in a fixed order whatever order they were given in', () => {
    expect(
      filtersText({
        teams: ['Support'],
        conversations: ['88231'],
        contacts: ['1234567'],
        assignedBy: ['Sarah Lee'],
        assignees: ['Mei Tan', 'none'],
        sources: ['workflow', 'bot'],
      }),
    ).toBe(
      'source:workflow,bot assignee:"Mei Tan",none by:"Sarah Lee" contact:1234567 conversation:88231 team:Support',
    );
  });

  it('quotes values with spaces or commas and turns inner double quotes into single ones', () => {
    expect(filtersText(filters({ assignees: ['Tan, Mei'] }))).toBe('assignee:"Tan, Mei"');
    expect(filtersText(filters({ teams: ['The "A" Team'] }))).toBe('team:"The \'A\' Team"');
    expect(filtersText(filters({ contacts: ['a:b'] }))).toBe('contact:a:b');
  });
});
