import { describe, expect, it } from 'vitest';
import { editDistance, suggest } from '../../src/domain/suggest.ts';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['', 'bot', 3],
    ['bot', 'bot', 0],
    ['BOT', 'bot', 0],
    ['workflw', 'workflow', 1],
    ['yesterdy', 'yesterday', 1],
    ['sorce', 'source', 1],
    ['kitten', 'sitting', 3],
    ['abc', 'cba', 2],
  ])('%j → %j is %i', (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
    expect(editDistance(b, a)).toBe(expected);
  });
});

describe('suggest', () => {
  const sources = [
    'developer_api',
    'workflow',
    'bot',
    'zapier',
    'user',
    'contact_import',
    'close_conversation',
  ];

  it('offers the nearest candidate within reach', () => {
    expect(suggest('workflw', sources)).toBe('workflow');
    expect(suggest('WorkFlow', sources)).toBe('workflow');
    expect(suggest('zappier', sources)).toBe('zapier');
    expect(suggest('yesterdy', ['today', 'yesterday'])).toBe('yesterday');
  });

  it('allows one edit for short words, a third of the length for longer ones, never more than three', () => {
    expect(suggest('bt', sources)).toBe('bot');
    expect(suggest('b', sources)).toBeUndefined();
    expect(suggest('usr', sources)).toBe('user');
    // Two edits: too many for a 5-letter word, fine for a 6-letter one.
    expect(suggest('zpir', sources)).toBeUndefined();
    expect(suggest('zapxex', sources)).toBe('zapier');
    // "contact" is 7 edits from contact_import even though it is a prefix.
    expect(suggest('contact', sources)).toBeUndefined();
    expect(suggest('developerapi', sources)).toBe('developer_api');
  });

  it('prefers the closer candidate, then the earlier one on a tie', () => {
    expect(suggest('bat', ['bot', 'bat'])).toBe('bat');
    expect(suggest('cat', ['bat', 'cot'])).toBe('bat');
  });

  it('offers nothing for an unrelated word or no candidates', () => {
    expect(suggest('banana', sources)).toBeUndefined();
    expect(suggest('bot', [])).toBeUndefined();
  });
});
