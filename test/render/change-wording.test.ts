import { describe, expect, it } from 'vitest';
import { changeAgainst, formatAverage, formatCount, rowChange } from '../../src/render/change-wording.ts';

describe('changeAgainst: a total against what it is compared with, named', () => {
  it.each([
    [162, 150, '13–19 Nov', '+12 (+8%) vs 13–19 Nov (150)'],
    [138, 150, '13–19 Nov', '−12 (−8%) vs 13–19 Nov (150)'],
    [5, 5, 'Mon 30 Nov', 'no change vs Mon 30 Nov (5)'],
    [0, 4, 'Mon 30 Nov', '−4 (−100%) vs Mon 30 Nov (4)'],
    // ±2.5% rounds away from zero both ways.
    [41, 40, 'October', '+1 (+3%) vs October (40)'],
    [39, 40, 'October', '−1 (−3%) vs October (40)'],
    [3, 0, 'yesterday to 09:41', '+3 vs yesterday to 09:41 (0)'],
    [0, 0, 'yesterday to 09:41', 'no change vs yesterday to 09:41 (0)'],
    [12_345, 10_000, 'October', '+2,345 (+23%) vs October (10,000)'],
  ])('%i after %i: %s', (total, previous, label, expected) => {
    expect(changeAgainst(total, previous, label)).toBe(expected);
  });

  it('never writes −0% or +0%: a change too small to round says <1%', () => {
    expect(changeAgainst(999, 1000, 'October')).toBe('−1 (<1%) vs October (1,000)');
    expect(changeAgainst(1001, 1000, 'October')).toBe('+1 (<1%) vs October (1,000)');
    expect(changeAgainst(1001, 1000, 'October')).not.toMatch(/[+−-]0%/);
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
    [2000, 2001, '−1 (<1%)'],
  ])('%i against %i is %s', (count, previous, text) => {
    expect(rowChange(count, previous)).toBe(text);
  });
});

describe('numbers', () => {
  it('have thousands separators', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatAverage(1234.56)).toBe('1,234.6');
    expect(formatAverage(28)).toBe('28');
  });
});
