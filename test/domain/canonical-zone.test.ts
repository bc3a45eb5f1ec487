import { describe, expect, it } from 'vitest';
import { canonicalZone } from '../../src/domain/canonical-zone.ts';
import { isValidZone } from '../../src/domain/time.ts';

describe('a zone’s canonical name', () => {
  it.each([
    ['asia/kuala_lumpur', 'Asia/Kuala_Lumpur'],
    ['ASIA/KUALA_LUMPUR', 'Asia/Kuala_Lumpur'],
    [' Asia/Kuala_Lumpur ', 'Asia/Kuala_Lumpur'],
    ['Europe/Kiev', 'Europe/Kyiv'],
    ['europe/kyiv', 'Europe/Kyiv'],
    ['Asia/Calcutta', 'Asia/Kolkata'],
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['Asia/Saigon', 'Asia/Ho_Chi_Minh'],
    ['Asia/Katmandu', 'Asia/Kathmandu'],
    ['America/Buenos_Aires', 'America/Argentina/Buenos_Aires'],
    ['America/Godthab', 'America/Nuuk'],
    ['America/Ciudad_Juarez', 'America/Ciudad_Juarez'],
    ['utc', 'UTC'],
    ['Etc/UTC', 'UTC'],
    ['GMT', 'UTC'],
    ['America/Asuncion', 'America/Asuncion'],
  ])('%s is %s', (typed, canonical) => {
    expect(canonicalZone(typed)).toBe(canonical);
  });

  it('is undefined for a name Node does not know', () => {
    expect(canonicalZone('Mars/Olympus_Mons')).toBeUndefined();
    expect(canonicalZone('')).toBeUndefined();
  });

  it('is a name Node knows, and its own canonical name, for every zone Node lists', () => {
    const wrong = Intl.supportedValuesOf('timeZone').flatMap((zone) => {
      const canonical = canonicalZone(zone);
      return canonical && isValidZone(canonical) && canonicalZone(canonical) === canonical ? [] : [zone];
    });
    expect(wrong).toEqual([]);
  });
});
