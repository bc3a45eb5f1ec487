import { describe, expect, it } from 'vitest';
import { seeded } from '../../src/demo/seeded-random.ts';
import { distanceWithin, editDistance, suggest } from '../../src/domain/suggest.ts';

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

describe('distanceWithin', () => {
  it('is the edit distance when that is within reach, and max + 1 otherwise', () => {
    const random = seeded(7);
    const word = () =>
      Array.from({ length: Math.floor(random() * 9) }, () => 'abcd'[Math.floor(random() * 4)]).join('');
    for (let n = 0; n < 2000; n++) {
      const [a, b] = [word(), word()];
      const max = Math.floor(random() * 4);
      const full = editDistance(a, b);
      expect(distanceWithin(a, b, max), `${a} → ${b} within ${max}`).toBe(full <= max ? full : max + 1);
    }
  });
});

describe('suggest with a large directory', () => {
  // 10,000 teams used to cost 35–51 s for one suggestion (a full table per team), stalling every other request.
  const teams = Array.from(
    { length: 10_000 },
    (_, i) => `Team ${String(i).padStart(5, '0')} ${'x'.repeat(i % 150)}`,
  );

  it('finds the near team among 10,000, and nothing for a 4,000-character word', () => {
    expect(suggest('Team 04217 xxxxxxxxxxxxxxxxx', teams)).toBe(`Team 04217 ${'x'.repeat(17)}`);
    expect(suggest('Tem 09999', ['Support', ...teams.slice(0, 10)])).toBeUndefined();
    expect(suggest('y'.repeat(4000), teams)).toBeUndefined();
  });
});
