import { describe, expect, it } from 'vitest';
import {
  describeOccurrence,
  dueRun,
  formatDelay,
  nextDstGap,
  nextRun,
  occurrenceOn,
} from '../../src/domain/digest-schedule.ts';

const CREATED = new Date('2026-01-01T00:00:00Z');
const digest = (
  at: string,
  zone: string,
  more: { weekdaysOnly?: boolean; paused?: boolean; resumedAt?: Date } = {},
) => ({
  at,
  zone,
  weekdaysOnly: more.weekdaysOnly ?? false,
  paused: more.paused ?? false,
  createdAt: CREATED,
  resumedAt: more.resumedAt ?? null,
});
const utc = (iso: string) => new Date(iso);

describe('when a digest is due', () => {
  it.each([
    // zone, local 09:00 on Fri 27 Nov 2026 in UTC
    ['Asia/Kuala_Lumpur', '2026-11-27T01:00:00Z'],
    ['Asia/Kathmandu', '2026-11-27T03:15:00Z'],
    ['Asia/Kolkata', '2026-11-27T03:30:00Z'],
    ['America/New_York', '2026-11-27T14:00:00Z'],
    ['Pacific/Chatham', '2026-11-26T19:15:00Z'],
    ['UTC', '2026-11-27T09:00:00Z'],
  ])('09:00 in %s is %s', (zone, instant) => {
    const def = digest('09:00', zone);
    const at = utc(instant);
    expect(dueRun(def, new Date(at.getTime() - 60_000))?.localDate).not.toBe('2026-11-27');
    expect(dueRun(def, at)).toMatchObject({
      localDate: '2026-11-27',
      scheduledAt: at,
      lateMs: 0,
      missed: false,
    });
    expect(dueRun(def, new Date(at.getTime() + 59_000))).toMatchObject({
      localDate: '2026-11-27',
      lateMs: 59_000,
    });
  });

  it('Kathmandu (+05:45): the tick at 03:14 UTC is not due yet, 03:15 is', () => {
    const def = digest('09:00', 'Asia/Kathmandu');
    expect(dueRun(def, utc('2026-11-27T03:14:00Z'))?.localDate).toBe('2026-11-26');
    expect(dueRun(def, utc('2026-11-27T03:15:00Z'))?.localDate).toBe('2026-11-27');
  });

  it('DST start: 02:30 in New York on 8 Mar 2026 does not exist, so it is due at 03:00 local (07:00 UTC), once', () => {
    const def = digest('02:30', 'America/New_York');
    expect(occurrenceOn(def, '2026-03-08')).toEqual({
      localDate: '2026-03-08',
      scheduledAt: utc('2026-03-08T07:00:00Z'),
      shiftedTo: '03:00',
    });
    // 06:59 UTC is 01:59 EST: the day before is still the latest occurrence.
    expect(dueRun(def, utc('2026-03-08T06:59:00Z'))?.localDate).toBe('2026-03-07');
    // Every minute from 03:00 EDT on is the same run (one local date, one key): it can only be claimed once.
    const keys = new Set<string>();
    for (
      let t = utc('2026-03-08T07:00:00Z').getTime();
      t < utc('2026-03-08T12:00:00Z').getTime();
      t += 60_000
    )
      keys.add(dueRun(def, new Date(t))?.localDate ?? 'none');
    expect([...keys]).toEqual(['2026-03-08']);
    // The day after is 02:30 EDT again.
    expect(occurrenceOn(def, '2026-03-09')?.scheduledAt).toEqual(utc('2026-03-09T06:30:00Z'));
  });

  it('DST end: 01:30 happens twice in New York on 1 Nov 2026; the first one is the run, the second finds it', () => {
    const def = digest('01:30', 'America/New_York');
    const first = utc('2026-11-01T05:30:00Z'); // 01:30 EDT
    const second = utc('2026-11-01T06:30:00Z'); // 01:30 EST
    expect(occurrenceOn(def, '2026-11-01')).toEqual({
      localDate: '2026-11-01',
      scheduledAt: first,
      shiftedTo: null,
    });
    expect(dueRun(def, first)).toMatchObject({ localDate: '2026-11-01', lateMs: 0 });
    // At the second 01:30 the due run is still that day's, an hour late: the claim key is taken, nothing posts.
    expect(dueRun(def, second)).toMatchObject({ localDate: '2026-11-01', lateMs: 3_600_000 });
  });

  it('London spring-forward: 01:30 runs at 02:00 BST on 29 Mar 2026', () => {
    expect(occurrenceOn(digest('01:30', 'Europe/London'), '2026-03-29')).toEqual({
      localDate: '2026-03-29',
      scheduledAt: utc('2026-03-29T01:00:00Z'),
      shiftedTo: '02:00',
    });
  });

  it('catch-up: hours after the scheduled minute it is still that day, late; more than 12 h late it is missed', () => {
    const def = digest('09:00', 'Asia/Kuala_Lumpur');
    expect(dueRun(def, utc('2026-11-27T03:05:00Z'))).toMatchObject({
      localDate: '2026-11-27',
      lateMs: (2 * 60 + 5) * 60_000,
      missed: false,
    });
    expect(dueRun(def, utc('2026-11-27T13:00:00Z'))).toMatchObject({ lateMs: 12 * 3_600_000, missed: false });
    expect(dueRun(def, utc('2026-11-27T13:01:00Z'))).toMatchObject({ localDate: '2026-11-27', missed: true });
  });

  it('a 23:30 digest whose bot came back after midnight is yesterday’s run, delayed', () => {
    const def = digest('23:30', 'UTC');
    expect(dueRun(def, utc('2026-11-28T01:00:00Z'))).toMatchObject({
      localDate: '2026-11-27',
      lateMs: 90 * 60_000,
    });
  });

  it('weekdays: nothing is due for Saturday or Sunday; on Monday before 09:00 the latest is Friday', () => {
    const def = digest('09:00', 'UTC', { weekdaysOnly: true });
    expect(occurrenceOn(def, '2026-11-28')).toBeNull(); // Saturday
    expect(occurrenceOn(def, '2026-11-29')).toBeNull(); // Sunday
    expect(dueRun(def, utc('2026-11-28T10:00:00Z'))?.localDate).toBe('2026-11-27');
    expect(dueRun(def, utc('2026-11-30T08:00:00Z'))).toMatchObject({ localDate: '2026-11-27', missed: true });
    expect(dueRun(def, utc('2026-11-30T09:00:00Z'))).toMatchObject({
      localDate: '2026-11-30',
      missed: false,
    });
    expect(nextRun(def, utc('2026-11-27T10:00:00Z'))?.localDate).toBe('2026-11-30');
  });

  it('paused: never due and no next run; resumed: its next occurrence, not the one it slept through', () => {
    expect(dueRun(digest('09:00', 'UTC', { paused: true }), utc('2026-11-27T09:00:00Z'))).toBeNull();
    expect(nextRun(digest('09:00', 'UTC', { paused: true }), utc('2026-11-27T09:00:00Z'))).toBeNull();
    const resumed = digest('09:00', 'UTC', { resumedAt: utc('2026-11-27T10:00:00Z') });
    expect(dueRun(resumed, utc('2026-11-27T10:00:00Z'))).toBeNull();
    expect(dueRun(resumed, utc('2026-11-28T09:00:00Z'))?.localDate).toBe('2026-11-28');
  });

  it('a digest added after today’s time starts tomorrow', () => {
    const def = { ...digest('09:00', 'UTC'), createdAt: utc('2026-11-27T09:30:00Z') };
    expect(dueRun(def, utc('2026-11-27T09:31:00Z'))).toBeNull();
    expect(nextRun(def, utc('2026-11-27T09:31:00Z'))?.localDate).toBe('2026-11-28');
  });
});

describe('next run and DST notes', () => {
  it('next: the first occurrence after now, described in the digest’s zone', () => {
    const def = digest('09:00', 'Asia/Kuala_Lumpur');
    const next = nextRun(def, utc('2026-11-26T10:00:00Z'));
    expect(next && describeOccurrence(next, def.zone)).toBe('Fri 27 Nov 09:00 Asia/Kuala_Lumpur');
    const sameDay = nextRun(def, utc('2026-11-26T00:59:00Z'));
    expect(sameDay && describeOccurrence(sameDay, def.zone)).toBe('Thu 26 Nov 09:00 Asia/Kuala_Lumpur');
  });

  it('finds the next day a time falls in a DST gap, and none for a zone without DST', () => {
    expect(nextDstGap(digest('02:30', 'America/New_York'), utc('2026-01-10T00:00:00Z'))).toMatchObject({
      localDate: '2026-03-08',
      shiftedTo: '03:00',
    });
    expect(nextDstGap(digest('00:15', 'America/Santiago'), utc('2026-01-10T00:00:00Z'))).toMatchObject({
      localDate: '2026-09-06',
      shiftedTo: '01:00',
    });
    expect(nextDstGap(digest('09:00', 'America/New_York'), utc('2026-01-10T00:00:00Z'))).toBeNull();
    expect(nextDstGap(digest('02:30', 'Asia/Kathmandu'), utc('2026-01-10T00:00:00Z'))).toBeNull();
  });

  it('says how late', () => {
    expect(formatDelay(45 * 60_000)).toBe('45 min');
    expect(formatDelay(125 * 60_000)).toBe('2 h 5 min');
    expect(formatDelay(3 * 3_600_000)).toBe('3 h');
  });
});
