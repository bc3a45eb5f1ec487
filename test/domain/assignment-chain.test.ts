import { describe, expect, it } from 'vitest';
import {
  compareEventPlaces,
  compareKeys,
  sameAssignee,
  walkChain,
} from '../../src/domain/assignment-chain.ts';
import type { Party } from '../../src/domain/event.ts';

const MEI: Party = { id: 'u1', name: 'Mei Tan' };
const JOHN: Party = { id: 'u2', name: 'John Doe' };
const MEI_BY_NAME: Party = { id: 'mei tan', name: 'mei tan' };

describe('walkChain', () => {
  it('takes a left-out previous assignee from the event before, and counts a change only', () => {
    const steps = walkChain(null, [
      { assignee: MEI, givenPrevious: undefined },
      { assignee: MEI, givenPrevious: undefined },
      { assignee: null, givenPrevious: undefined },
    ]);
    expect(steps).toEqual([
      { previous: null, unchanged: false },
      { previous: MEI, unchanged: true },
      { previous: MEI, unchanged: false },
    ]);
  });

  it("decides by the sender's previous assignee when it names one, null included, whatever came before", () => {
    const steps = walkChain(JOHN, [
      { assignee: JOHN, givenPrevious: MEI },
      { assignee: MEI, givenPrevious: MEI },
      { assignee: null, givenPrevious: null },
      { assignee: JOHN, givenPrevious: undefined },
    ]);
    expect(steps.map((s) => [s.previous?.id ?? '-', s.unchanged])).toEqual([
      ['u1', false],
      ['u1', true],
      ['-', true],
      ['-', false],
    ]);
  });

  it('matches a name-only party to an identified one by name, in any case', () => {
    expect(sameAssignee(MEI, MEI_BY_NAME)).toBe(true);
    expect(sameAssignee(MEI, { id: 'u9', name: 'Mei Tan' })).toBe(false);
    expect(sameAssignee(null, null)).toBe(true);
    expect(sameAssignee(MEI, null)).toBe(false);
  });
});

describe('the order of a contact log', () => {
  it('compares keys by code point, as MongoDB does, not by UTF-16 unit', () => {
    // U+FF61 is one UTF-16 unit above the surrogates that encode U+1F600; by code point it comes first.
    expect(compareKeys('id:\uff61', 'id:\u{1f600}')).toBeLessThan(0);
    expect('id:\uff61' < 'id:\u{1f600}').toBe(false);
    expect(compareKeys('id:a', 'id:ab')).toBeLessThan(0);
    expect(compareKeys('id:b', 'id:a')).toBeGreaterThan(0);
    expect(compareKeys('h:x', 'h:x')).toBe(0);
  });

  it('orders by time, then by key', () => {
    const t = new Date('2026-11-30T01:00:00Z');
    const later = new Date('2026-11-30T01:00:00.001Z');
    expect(compareEventPlaces({ ts: t, key: 'id:y' }, { ts: t, key: 'id:x' })).toBeGreaterThan(0);
    expect(compareEventPlaces({ ts: t, key: 'id:y' }, { ts: later, key: 'id:x' })).toBeLessThan(0);
  });
});
