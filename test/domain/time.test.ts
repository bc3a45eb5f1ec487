import { afterEach, describe, expect, it } from 'vitest';
import { formatDate, formatInZone, offsetOf, startOfLocalDay, wallClock } from '../../src/domain/time.ts';

const at = (iso: string): Date => new Date(iso);

// Hosts chosen so that their own DST changes (8 March, 29 March, 5 April, 6 September) coincide with the
// instants below; local-time arithmetic through the host zone gets these wrong by an hour.
const HOSTS = ['UTC', 'America/Los_Angeles', 'Europe/London', 'America/Santiago', 'Asia/Kolkata'];

const savedTz = process.env.TZ;
afterEach(() => {
  process.env.TZ = savedTz;
});

describe.each(HOSTS)('with the host zone set to %s', (host) => {
  const onHost = <T>(fn: () => T): T => {
    process.env.TZ = host;
    return fn();
  };

  it.each([
    ['2026-03-08T10:30:00Z', 'America/New_York', '-04:00', '2026-03-08 06:30:00'],
    ['2026-03-08T06:30:00Z', 'America/New_York', '-05:00', '2026-03-08 01:30:00'],
    ['2026-03-29T01:30:00Z', 'Europe/London', '+01:00', '2026-03-29 02:30:00'],
    ['2026-03-28T15:30:00Z', 'Australia/Sydney', '+11:00', '2026-03-29 02:30:00'],
    ['2026-09-06T05:30:00Z', 'America/Santiago', '-03:00', '2026-09-06 02:30:00'],
    ['2026-11-26T10:00:00Z', 'Asia/Kathmandu', '+05:45', '2026-11-26 15:45:00'],
    ['2026-11-26T10:00:00Z', 'UTC', '+00:00', '2026-11-26 10:00:00'],
    // Wall clocks that do not exist in Los Angeles, London and Santiago respectively.
    ['2026-03-07T21:00:00Z', 'Asia/Kolkata', '+05:30', '2026-03-08 02:30:00'],
    ['2026-03-28T20:00:00Z', 'Asia/Kolkata', '+05:30', '2026-03-29 01:30:00'],
    ['2026-09-05T19:00:00Z', 'Asia/Kolkata', '+05:30', '2026-09-06 00:30:00'],
  ])('%s in %s is %s, %s', (instant, zone, offset, wall) => {
    onHost(() => {
      expect(offsetOf(at(instant), zone)).toBe(offset);
      expect(formatInZone(at(instant), zone, 'YYYY-MM-DD HH:mm:ss')).toBe(wall);
      const w = wallClock(at(instant), zone);
      expect(`${w.date} ${w.time}`).toBe(wall);
    });
  });

  it('formats offsets as Z and ZZ and leaves [escaped] text alone', () => {
    onHost(() => {
      expect(formatInZone(at('2026-11-26T10:00:00Z'), 'Asia/Kathmandu', 'ddd D MMM HH:mm Z [Z] ZZ')).toBe(
        'Thu 26 Nov 15:45 +05:45 Z +0545',
      );
      expect(formatInZone(at('2026-03-29T01:30:00Z'), 'America/Santiago', 'HH:mm Z')).toBe('22:30 -03:00');
    });
  });

  it('starts days at the first instant that exists', () => {
    onHost(() => {
      expect(startOfLocalDay('2026-09-06', 'America/Santiago').toISOString()).toBe(
        '2026-09-06T04:00:00.000Z',
      );
      expect(startOfLocalDay('2026-11-01', 'America/Havana').toISOString()).toBe('2026-11-01T04:00:00.000Z');
      expect(startOfLocalDay('2026-03-29', 'Europe/London').toISOString()).toBe('2026-03-29T00:00:00.000Z');
      expect(startOfLocalDay('2026-10-25', 'America/Los_Angeles').toISOString()).toBe(
        '2026-10-25T07:00:00.000Z',
      );
    });
  });
});

describe('formatDate', () => {
  it('formats a calendar date without a zone', () => {
    expect(formatDate('2026-11-26', 'ddd D MMM YYYY')).toBe('Thu 26 Nov 2026');
  });
});
