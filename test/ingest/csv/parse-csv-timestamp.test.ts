import { afterEach, describe, expect, it } from 'vitest';
import { zonedWallClockToUtc } from '../../../src/domain/time.ts';
import { parseCsvTimestamp } from '../../../src/ingest/csv/parse-csv-timestamp.ts';

const NEW_YORK = 'America/New_York';
const KL = 'Asia/Kuala_Lumpur';

const iso = (text: string, zone: string): string => {
  const parsed = parseCsvTimestamp(text, zone);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.instant.toISOString();
};

const failure = (text: string, zone: string): string => {
  const parsed = parseCsvTimestamp(text, zone);
  if (parsed.ok) throw new Error(`expected a failure, got ${parsed.instant.toISOString()}`);
  return parsed.message;
};

// Hosts whose own DST changes differ from New York's, so that any reading through the host zone shows.
const HOSTS = ['UTC', 'America/Los_Angeles', 'Europe/London', 'Australia/Sydney', 'Asia/Kolkata'];
const savedTz = process.env.TZ;
afterEach(() => {
  process.env.TZ = savedTz;
});

describe.each(HOSTS)('with the host zone set to %s', (host) => {
  it.each([
    // ISO-8601 with an offset: the offset wins over the zone.
    ['2026-05-02T09:14:07Z', KL, '2026-05-02T09:14:07.000Z'],
    ['2026-05-02T09:14:07+08:00', NEW_YORK, '2026-05-02T01:14:07.000Z'],
    ['2026-05-02T09:14:07+0800', NEW_YORK, '2026-05-02T01:14:07.000Z'],
    ['2026-05-02T09:14:07+08', NEW_YORK, '2026-05-02T01:14:07.000Z'],
    ['2026-05-02T09:14:07.250-04:00', KL, '2026-05-02T13:14:07.250Z'],
    ['2026-05-02 09:14:07 +05:45', KL, '2026-05-02T03:29:07.000Z'],
    // ISO-8601 without an offset, and YYYY-MM-DD HH:mm[:ss]: a wall clock in the zone.
    ['2026-05-02T09:14:07', KL, '2026-05-02T01:14:07.000Z'],
    ['2026-05-02T09:14:07.5', KL, '2026-05-02T01:14:07.500Z'],
    ['2026-05-02 09:14:07', KL, '2026-05-02T01:14:07.000Z'],
    ['2026-05-02 09:14', KL, '2026-05-02T01:14:00.000Z'],
    ['2026-05-02 9:14', KL, '2026-05-02T01:14:00.000Z'],
    // DD/MM/YYYY HH:mm, day first.
    ['02/05/2026 09:14', KL, '2026-05-02T01:14:00.000Z'],
    ['2/5/2026 9:14:30', KL, '2026-05-02T01:14:30.000Z'],
    ['13/05/2026 09:14', NEW_YORK, '2026-05-13T13:14:00.000Z'],
    // MMM D, YYYY h:mm A.
    ['May 2, 2026 9:14 AM', KL, '2026-05-02T01:14:00.000Z'],
    ['May 2, 2026 9:14 PM', KL, '2026-05-02T13:14:00.000Z'],
    ['may 2 2026 9:14:05 pm', KL, '2026-05-02T13:14:05.000Z'],
    ['Dec 31, 2026 12:05 AM', KL, '2026-12-30T16:05:00.000Z'],
    ['Dec 31, 2026 12:05 PM', KL, '2026-12-31T04:05:00.000Z'],
    ['September 3, 2026 1:00 p.m.', KL, '2026-09-03T05:00:00.000Z'],
    // New York's spring forward, 8 March 2026: 02:00 EST becomes 03:00 EDT.
    ['2026-03-08 01:59:59', NEW_YORK, '2026-03-08T06:59:59.000Z'],
    ['2026-03-08 03:00:00', NEW_YORK, '2026-03-08T07:00:00.000Z'],
    ['Mar 8, 2026 3:30 AM', NEW_YORK, '2026-03-08T07:30:00.000Z'],
    // Its fall back, 1 November 2026: 01:00–01:59 happens twice; the earlier (EDT) instant is taken.
    ['2026-11-01 00:59:59', NEW_YORK, '2026-11-01T04:59:59.000Z'],
    ['2026-11-01 01:00:00', NEW_YORK, '2026-11-01T05:00:00.000Z'],
    ['01/11/2026 01:30', NEW_YORK, '2026-11-01T05:30:00.000Z'],
    ['2026-11-01 01:59:59', NEW_YORK, '2026-11-01T05:59:59.000Z'],
    ['2026-11-01 02:00:00', NEW_YORK, '2026-11-01T07:00:00.000Z'],
    // An offset picks the second 01:30.
    ['2026-11-01T01:30:00-05:00', NEW_YORK, '2026-11-01T06:30:00.000Z'],
  ])('reads %s in %s as %s', (text, zone, expected) => {
    process.env.TZ = host;
    expect(iso(text, zone)).toBe(expected);
  });

  it.each(['2026-03-08 02:00', '2026-03-08 02:30:00', '08/03/2026 02:59', 'Mar 8, 2026 2:15 AM'])(
    'rejects %s in New York, a wall clock the spring-forward skips, saying how to fix it',
    (text) => {
      process.env.TZ = host;
      expect(failure(text, NEW_YORK)).toBe(
        `"${text}" never happened in America/New_York: the clocks went forward past it (daylight saving). ` +
          'Check the time zone the file was exported in, or write the offset, e.g. 2026-03-08T02:30:00-05:00',
      );
    },
  );
});

describe('parseCsvTimestamp rejects', () => {
  it.each([
    ['yesterday', 'is not a timestamp this import reads'],
    ['2026-05-02', 'is not a timestamp this import reads'],
    ['05/02/2026', 'is not a timestamp this import reads'],
    ['2026-02-30 10:00', 'is not a real date'],
    ['31/04/2026 10:00', 'is not a real date'],
    ['2026-05-02 24:00', 'is not a real time of day'],
    ['2026-05-02 10:60', 'is not a real time of day'],
    ['May 2, 2026 13:00 PM', 'is not a timestamp this import reads'],
    ['Mey 2, 2026 1:00 PM', 'is not a timestamp this import reads'],
    ['2026-05-02T10:00:00+15:00', 'has an offset beyond ±14:59'],
  ])('%s (%s)', (text, message) => {
    expect(failure(text, KL)).toContain(message);
  });

  it('says dates with / are day first when the month is past 12', () => {
    expect(failure('05/13/2026 10:00', KL)).toBe(
      '"05/13/2026 10:00" is not a real date (dates with / are read day first, DD/MM/YYYY)',
    );
  });

  it('lists the formats it reads', () => {
    expect(failure('2026.05.02 10:00', KL)).toBe(
      '"2026.05.02 10:00" is not a timestamp this import reads; use 2026-05-02 09:14:07, ' +
        '2026-05-02T09:14:07+08:00, 02/05/2026 09:14 (day first) or May 2, 2026 9:14 AM',
    );
  });
});

describe('zonedWallClockToUtc', () => {
  it.each([
    // Lord Howe moves by half an hour; Santiago skips midnight; Kathmandu is +05:45.
    ['2026-10-04', '02:15:00', 'Australia/Lord_Howe', undefined],
    ['2026-10-04', '02:30:00', 'Australia/Lord_Howe', '2026-10-03T15:30:00.000Z'],
    ['2026-04-05', '01:45:00', 'Australia/Lord_Howe', '2026-04-04T14:45:00.000Z'],
    ['2026-09-06', '00:30:00', 'America/Santiago', undefined],
    ['2026-09-06', '01:00:00', 'America/Santiago', '2026-09-06T04:00:00.000Z'],
    ['2026-11-26', '15:45:00', 'Asia/Kathmandu', '2026-11-26T10:00:00.000Z'],
    ['2026-11-26', '10:00:00.123', 'UTC', '2026-11-26T10:00:00.123Z'],
  ])('%s %s in %s is %s', (date, time, zone, expected) => {
    expect(zonedWallClockToUtc(date, time, zone)?.toISOString()).toBe(expected);
  });

  it('answers the same for every wall clock of a cached quarter hour', () => {
    expect(zonedWallClockToUtc('2026-11-01', '01:00:00', NEW_YORK)?.toISOString()).toBe(
      '2026-11-01T05:00:00.000Z',
    );
    expect(zonedWallClockToUtc('2026-11-01', '01:14:59', NEW_YORK)?.toISOString()).toBe(
      '2026-11-01T05:14:59.000Z',
    );
  });
});
