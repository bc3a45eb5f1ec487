import { describe, expect, it } from 'vitest';
import { NO_FILTERS } from '../../src/domain/filters.ts';
import { unknownNameNotices } from '../../src/domain/name-suggestions.ts';

const MEI = { id: 'u2', name: 'Mei Tan' };
const SUPPORT = { id: 'support', name: 'Support' };

describe('unknownNameNotices', () => {
  it('suggests the nearest known name for a name that matches nobody', () => {
    expect(
      unknownNameNotices({ ...NO_FILTERS, assignees: ['Mei Tam'] }, { assignees: [MEI] }, 'in this range'),
    ).toEqual(['No agent named Mei Tam. Did you mean Mei Tan?']);
    expect(
      unknownNameNotices({ ...NO_FILTERS, teams: ['Suport'] }, { teams: [SUPPORT] }, 'in this range'),
    ).toEqual(['No team named Suport. Did you mean Support?']);
  });

  it('says nobody has the name when nothing is near it', () => {
    expect(
      unknownNameNotices({ ...NO_FILTERS, contacts: ['Zed'] }, { contacts: [MEI] }, 'in this range'),
    ).toEqual(['No contact named Zed in this range.']);
  });

  it('says nothing about names that exist, by id or name in any case, nor about assignee:none', () => {
    expect(
      unknownNameNotices(
        { ...NO_FILTERS, assignees: ['none', 'U2', 'mei tan'], teams: ['SUPPORT'] },
        { assignees: [MEI], teams: [SUPPORT] },
        'in this range',
      ),
    ).toEqual([]);
  });
});
