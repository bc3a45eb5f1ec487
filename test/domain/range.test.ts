import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_RANGE,
  daysOfRange,
  PRESETS,
  type Preset,
  type RangeSpec,
  type ResolvedRange,
  rangeText,
  resolveRange,
  weekEarlier,
} from '../../src/domain/range.ts';
import {
  addDays,
  addMonths,
  daysBetween,
  firstOfMonth,
  isLocalDate,
  isValidZone,
  type LocalDate,
  localDateOf,
  weekdayOf,
} from '../../src/domain/time.ts';

const HOUR = 3_600_000;
const NEW_YORK = 'America/New_York';
const LONDON = 'Europe/London';
const SANTIAGO = 'America/Santiago';
const KATHMANDU = 'Asia/Kathmandu';
const SYDNEY = 'Australia/Sydney';
const HAVANA = 'America/Havana';

// Hosts whose own DST changes fall on other days than the zones under test; London's 25 October is the one
// that used to move America/Los_Angeles's day boundaries when dayjs read wall clocks through the host.
const HOST_ZONES = ['America/Los_Angeles', 'Asia/Kolkata', 'Europe/London'];

const preset = (name: Preset): RangeSpec => ({ kind: 'preset', preset: name });
const day = (date: LocalDate): RangeSpec => ({ kind: 'dates', from: date, to: date });
const at = (iso: string): Date => new Date(iso);

function hours(r: { from: Date; to: Date }): number {
  return (r.to.getTime() - r.from.getTime()) / HOUR;
}

/** The parts of a resolved range a test compares, with instants as ISO strings. */
function summary(r: ResolvedRange) {
  return {
    firstDay: r.firstDay,
    lastDay: r.lastDay,
    from: r.from.toISOString(),
    to: r.to.toISOString(),
    days: r.days,
    label: r.label,
    text: r.text,
    comparison: {
      firstDay: r.comparison.firstDay,
      lastDay: r.comparison.lastDay,
      from: r.comparison.from.toISOString(),
      to: r.comparison.to.toISOString(),
      label: r.comparison.label,
    },
  };
}

/** Node re-reads TZ whenever it is assigned, so this switches the zone `Date` uses for local time. */
function setHostZone(zone: string | undefined): void {
  if (zone === undefined) Reflect.deleteProperty(process.env, 'TZ');
  else process.env.TZ = zone;
}

function withHostZone<T>(zone: string, fn: () => T): T {
  const saved = process.env.TZ;
  setHostZone(zone);
  try {
    return fn();
  } finally {
    setHostZone(saved);
  }
}

// Thursday 26 November 2026, 10:00 in New York (EST, -05:00); New York left DST on Sunday 1 November.
const THANKSGIVING = at('2026-11-26T15:00:00Z');

const PRESET_CASES: [Preset, ReturnType<typeof summary>][] = [
  [
    'today',
    {
      firstDay: '2026-11-26',
      lastDay: '2026-11-26',
      from: '2026-11-26T05:00:00.000Z',
      to: '2026-11-27T05:00:00.000Z',
      days: 1,
      label: 'Today, Thu 26 Nov 2026',
      text: 'today',
      comparison: {
        firstDay: '2026-11-25',
        lastDay: '2026-11-25',
        from: '2026-11-25T05:00:00.000Z',
        to: '2026-11-25T15:00:00.000Z',
        label: 'yesterday to 10:00',
      },
    },
  ],
  [
    'yesterday',
    {
      firstDay: '2026-11-25',
      lastDay: '2026-11-25',
      from: '2026-11-25T05:00:00.000Z',
      to: '2026-11-26T05:00:00.000Z',
      days: 1,
      label: 'Yesterday, Wed 25 Nov 2026',
      text: 'yesterday',
      comparison: {
        firstDay: '2026-11-24',
        lastDay: '2026-11-24',
        from: '2026-11-24T05:00:00.000Z',
        to: '2026-11-25T05:00:00.000Z',
        label: 'Tue 24 Nov',
      },
    },
  ],
  [
    'last_7_days',
    {
      firstDay: '2026-11-20',
      lastDay: '2026-11-26',
      from: '2026-11-20T05:00:00.000Z',
      to: '2026-11-27T05:00:00.000Z',
      days: 7,
      label: 'Last 7 days, Fri 20 Nov – Thu 26 Nov 2026',
      text: 'last 7 days',
      comparison: {
        // The same span before it, up to the same time of day.
        firstDay: '2026-11-13',
        lastDay: '2026-11-19',
        from: '2026-11-13T05:00:00.000Z',
        to: '2026-11-19T15:00:00.000Z',
        label: '13–19 Nov to 10:00',
      },
    },
  ],
  [
    'last_14_days',
    {
      firstDay: '2026-11-13',
      lastDay: '2026-11-26',
      from: '2026-11-13T05:00:00.000Z',
      to: '2026-11-27T05:00:00.000Z',
      days: 14,
      label: 'Last 14 days, Fri 13 Nov – Thu 26 Nov 2026',
      text: 'last 14 days',
      comparison: {
        // 30 October is still EDT (-04:00).
        firstDay: '2026-10-30',
        lastDay: '2026-11-12',
        from: '2026-10-30T04:00:00.000Z',
        to: '2026-11-12T15:00:00.000Z',
        label: '30 Oct – 12 Nov to 10:00',
      },
    },
  ],
  [
    'last_30_days',
    {
      firstDay: '2026-10-28',
      lastDay: '2026-11-26',
      from: '2026-10-28T04:00:00.000Z',
      to: '2026-11-27T05:00:00.000Z',
      days: 30,
      label: 'Last 30 days, Wed 28 Oct – Thu 26 Nov 2026',
      text: 'last 30 days',
      comparison: {
        // 10:00 on 27 October is EDT: 14:00Z.
        firstDay: '2026-09-28',
        lastDay: '2026-10-27',
        from: '2026-09-28T04:00:00.000Z',
        to: '2026-10-27T14:00:00.000Z',
        label: '28 Sep – 27 Oct to 10:00',
      },
    },
  ],
  [
    'this_month',
    {
      firstDay: '2026-11-01',
      lastDay: '2026-11-26',
      from: '2026-11-01T04:00:00.000Z',
      to: '2026-11-27T05:00:00.000Z',
      days: 26,
      label: 'This month, Sun 1 Nov – Thu 26 Nov 2026',
      text: 'this month',
      comparison: {
        // The month before, to the same day and time.
        firstDay: '2026-10-01',
        lastDay: '2026-10-26',
        from: '2026-10-01T04:00:00.000Z',
        to: '2026-10-26T14:00:00.000Z',
        label: '1–26 Oct to 10:00',
      },
    },
  ],
  [
    'last_month',
    {
      firstDay: '2026-10-01',
      lastDay: '2026-10-31',
      from: '2026-10-01T04:00:00.000Z',
      to: '2026-11-01T04:00:00.000Z',
      days: 31,
      label: 'Last month, Thu 1 Oct – Sat 31 Oct 2026',
      text: 'last month',
      comparison: {
        // The calendar month before.
        firstDay: '2026-09-01',
        lastDay: '2026-09-30',
        from: '2026-09-01T04:00:00.000Z',
        to: '2026-10-01T04:00:00.000Z',
        label: 'September',
      },
    },
  ],
];

/** Single local days whose length is known by hand: [zone, day, from, to, hours]. */
const DAY_LENGTHS: [string, LocalDate, string, string, number][] = [
  [NEW_YORK, '2026-03-08', '2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z', 23],
  [NEW_YORK, '2026-03-09', '2026-03-09T04:00:00.000Z', '2026-03-10T04:00:00.000Z', 24],
  [NEW_YORK, '2026-11-01', '2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z', 25],
  [LONDON, '2026-03-29', '2026-03-29T00:00:00.000Z', '2026-03-29T23:00:00.000Z', 23],
  [LONDON, '2026-10-25', '2026-10-24T23:00:00.000Z', '2026-10-26T00:00:00.000Z', 25],
  // Santiago springs forward at local midnight: 00:00 -04 does not exist, the day starts at 01:00 -03.
  [SANTIAGO, '2026-09-05', '2026-09-05T04:00:00.000Z', '2026-09-06T04:00:00.000Z', 24],
  [SANTIAGO, '2026-09-06', '2026-09-06T04:00:00.000Z', '2026-09-07T03:00:00.000Z', 23],
  // At 00:00 -03 on 5 April clocks go back to 23:00 -04 on the 4th: the Saturday has 25 hours.
  [SANTIAGO, '2026-04-04', '2026-04-04T03:00:00.000Z', '2026-04-05T04:00:00.000Z', 25],
  [SANTIAGO, '2026-04-05', '2026-04-05T04:00:00.000Z', '2026-04-06T04:00:00.000Z', 24],
  [SYDNEY, '2026-10-04', '2026-10-03T14:00:00.000Z', '2026-10-04T13:00:00.000Z', 23],
  [SYDNEY, '2026-04-05', '2026-04-04T13:00:00.000Z', '2026-04-05T14:00:00.000Z', 25],
  // Havana skips midnight in March and has it twice in November; the day starts at the first one.
  [HAVANA, '2026-03-08', '2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z', 23],
  [HAVANA, '2026-11-01', '2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z', 25],
  [KATHMANDU, '2026-11-25', '2026-11-24T18:15:00.000Z', '2026-11-25T18:15:00.000Z', 24],
  // An ordinary day in Los Angeles that is the host's fall-back day when the host is in London.
  ['America/Los_Angeles', '2026-10-25', '2026-10-25T07:00:00.000Z', '2026-10-26T07:00:00.000Z', 24],
];

/** [zone, now, expected local date]: instants at and right around local midnights. */
const LOCAL_DATES: [string, string, LocalDate][] = [
  [NEW_YORK, '2026-03-08T04:59:59.999Z', '2026-03-07'],
  [NEW_YORK, '2026-03-08T05:00:00.000Z', '2026-03-08'],
  [NEW_YORK, '2026-03-09T03:59:59.999Z', '2026-03-08'],
  [NEW_YORK, '2026-03-09T04:00:00.000Z', '2026-03-09'],
  [NEW_YORK, '2026-11-01T03:59:59.999Z', '2026-10-31'],
  [NEW_YORK, '2026-11-01T04:00:00.000Z', '2026-11-01'],
  [NEW_YORK, '2026-11-02T04:59:59.999Z', '2026-11-01'],
  [NEW_YORK, '2026-11-02T05:00:00.000Z', '2026-11-02'],
  [LONDON, '2026-03-29T23:00:00.000Z', '2026-03-30'],
  [LONDON, '2026-10-24T22:59:59.999Z', '2026-10-24'],
  [LONDON, '2026-10-24T23:00:00.000Z', '2026-10-25'],
  [LONDON, '2026-10-25T23:59:59.999Z', '2026-10-25'],
  [LONDON, '2026-10-26T00:00:00.000Z', '2026-10-26'],
  [SANTIAGO, '2026-09-06T03:59:59.999Z', '2026-09-05'],
  [SANTIAGO, '2026-09-06T04:00:00.000Z', '2026-09-06'],
  [SANTIAGO, '2026-04-05T03:59:59.999Z', '2026-04-04'],
  [SANTIAGO, '2026-04-05T04:00:00.000Z', '2026-04-05'],
  [SYDNEY, '2026-10-03T13:59:59.999Z', '2026-10-03'],
  [SYDNEY, '2026-10-03T14:00:00.000Z', '2026-10-04'],
  [SYDNEY, '2026-04-05T13:59:59.999Z', '2026-04-05'],
  [SYDNEY, '2026-04-05T14:00:00.000Z', '2026-04-06'],
  [KATHMANDU, '2026-11-25T18:14:59.999Z', '2026-11-25'],
  [KATHMANDU, '2026-11-25T18:15:00.000Z', '2026-11-26'],
];

describe.each(HOST_ZONES)('with the host zone set to %s', (hostZone) => {
  let saved: string | undefined;
  beforeAll(() => {
    saved = process.env.TZ;
    setHostZone(hostZone);
  });
  afterAll(() => {
    setHostZone(saved);
  });

  it('really runs in that host zone', () => {
    // getTimezoneOffset() in January and July, in minutes west of UTC.
    const offsets: Record<string, [number, number]> = {
      'America/Los_Angeles': [480, 420],
      'Asia/Kolkata': [-330, -330],
      'Europe/London': [0, -60],
    };
    expect([new Date(2026, 0, 15).getTimezoneOffset(), new Date(2026, 6, 15).getTimezoneOffset()]).toEqual(
      offsets[hostZone],
    );
  });

  describe('resolveRange presets in New York on Thursday 26 November 2026', () => {
    it.each(PRESET_CASES)('%s', (name, expected) => {
      expect(summary(resolveRange(preset(name), THANKSGIVING, NEW_YORK))).toEqual(expected);
    });

    it('covers every preset', () => {
      expect(PRESET_CASES.map(([name]) => name).sort()).toEqual([...PRESETS].sort());
    });

    it('defaults to the last 7 days', () => {
      expect(resolveRange(DEFAULT_RANGE, THANKSGIVING, NEW_YORK).label).toBe(
        'Last 7 days, Fri 20 Nov – Thu 26 Nov 2026',
      );
    });

    it('counts the extra hour of 1 November in this month', () => {
      expect(hours(resolveRange(preset('this_month'), THANKSGIVING, NEW_YORK))).toBe(26 * 24 + 1);
    });
  });

  describe('last N days', () => {
    it.each([1, 2, 7, 10, 30, 400])('is today and the %i - 1 days before', (n) => {
      const r = resolveRange({ kind: 'last_days', days: n }, THANKSGIVING, NEW_YORK);
      expect(r.lastDay).toBe('2026-11-26');
      expect(r.firstDay).toBe(addDays('2026-11-26', 1 - n));
      expect(r.days).toBe(n);
      expect(daysOfRange(r)).toHaveLength(n);
      expect(r.text).toBe(`${n}d`);
    });

    it('writes label and instants for 10 days', () => {
      const r = resolveRange({ kind: 'last_days', days: 10 }, THANKSGIVING, NEW_YORK);
      expect(r.label).toBe('Last 10 days, Tue 17 Nov – Thu 26 Nov 2026');
      expect(r.from.toISOString()).toBe('2026-11-17T05:00:00.000Z');
      expect(r.to.toISOString()).toBe('2026-11-27T05:00:00.000Z');
    });

    it('is one hour short across the spring-forward day', () => {
      const r = resolveRange(preset('last_7_days'), at('2026-03-10T15:00:00Z'), NEW_YORK);
      expect([r.firstDay, r.lastDay]).toEqual(['2026-03-04', '2026-03-10']);
      expect(r.from.toISOString()).toBe('2026-03-04T05:00:00.000Z');
      expect(r.to.toISOString()).toBe('2026-03-11T04:00:00.000Z');
      expect(hours(r)).toBe(7 * 24 - 1);
    });

    it('names both years when the range crosses New Year', () => {
      const r = resolveRange(preset('last_30_days'), at('2026-01-10T15:00:00Z'), NEW_YORK);
      expect(r.label).toBe('Last 30 days, Fri 12 Dec 2025 – Sat 10 Jan 2026');
    });
  });

  describe('months', () => {
    it('this month and last month in January reach back into December', () => {
      const now = at('2026-01-15T12:00:00Z');
      expect(summary(resolveRange(preset('this_month'), now, NEW_YORK))).toEqual({
        firstDay: '2026-01-01',
        lastDay: '2026-01-15',
        from: '2026-01-01T05:00:00.000Z',
        to: '2026-01-16T05:00:00.000Z',
        days: 15,
        label: 'This month, Thu 1 Jan – Thu 15 Jan 2026',
        text: 'this month',
        comparison: {
          firstDay: '2025-12-01',
          lastDay: '2025-12-15',
          from: '2025-12-01T05:00:00.000Z',
          to: '2025-12-15T12:00:00.000Z',
          label: '1–15 Dec 2025 to 07:00',
        },
      });
      expect(summary(resolveRange(preset('last_month'), now, NEW_YORK))).toEqual({
        firstDay: '2025-12-01',
        lastDay: '2025-12-31',
        from: '2025-12-01T05:00:00.000Z',
        to: '2026-01-01T05:00:00.000Z',
        days: 31,
        label: 'Last month, Mon 1 Dec – Wed 31 Dec 2025',
        text: 'last month',
        comparison: {
          // 1 November 2025 is still EDT; New York fell back on 2 November 2025.
          firstDay: '2025-11-01',
          lastDay: '2025-11-30',
          from: '2025-11-01T04:00:00.000Z',
          to: '2025-12-01T05:00:00.000Z',
          label: 'November 2025',
        },
      });
    });

    it('on 31 May, this month has 31 days and last month 30', () => {
      const now = at('2026-05-31T16:00:00Z');
      const thisMonth = resolveRange(preset('this_month'), now, NEW_YORK);
      expect([thisMonth.firstDay, thisMonth.lastDay, thisMonth.days]).toEqual([
        '2026-05-01',
        '2026-05-31',
        31,
      ]);
      expect(summary(resolveRange(preset('last_month'), now, NEW_YORK))).toEqual({
        firstDay: '2026-04-01',
        lastDay: '2026-04-30',
        from: '2026-04-01T04:00:00.000Z',
        to: '2026-05-01T04:00:00.000Z',
        days: 30,
        label: 'Last month, Wed 1 Apr – Thu 30 Apr 2026',
        text: 'last month',
        comparison: {
          firstDay: '2026-03-01',
          lastDay: '2026-03-31',
          from: '2026-03-01T05:00:00.000Z',
          to: '2026-04-01T04:00:00.000Z',
          label: 'March',
        },
      });
    });

    it('on 31 March, last month is February with 28 days (29 in 2028)', () => {
      const feb = resolveRange(preset('last_month'), at('2026-03-31T16:00:00Z'), NEW_YORK);
      expect([feb.firstDay, feb.lastDay, feb.days, feb.label]).toEqual([
        '2026-02-01',
        '2026-02-28',
        28,
        'Last month, Sun 1 Feb – Sat 28 Feb 2026',
      ]);
      const leap = resolveRange(preset('last_month'), at('2028-03-31T16:00:00Z'), NEW_YORK);
      expect([leap.firstDay, leap.lastDay, leap.days]).toEqual(['2028-02-01', '2028-02-29', 29]);
    });

    it('on the 1st at 00:30 local, this month is that one day', () => {
      const r = resolveRange(preset('this_month'), at('2026-11-01T04:30:00Z'), NEW_YORK);
      expect([r.firstDay, r.lastDay, r.days, r.label]).toEqual([
        '2026-11-01',
        '2026-11-01',
        1,
        'This month, Sun 1 Nov 2026',
      ]);
      expect(resolveRange(preset('last_month'), at('2026-11-01T04:30:00Z'), NEW_YORK).firstDay).toBe(
        '2026-10-01',
      );
    });
  });

  describe('what a range is compared with', () => {
    it.each([['yesterday', 'last_7_days', 'last_14_days', 'last_30_days'] as const].flat())(
      '%s: as many days, ending where the range starts',
      (name) => {
        const r = resolveRange(preset(name), THANKSGIVING, NEW_YORK);
        expect(r.comparison.firstDay).toBe(addDays(r.firstDay, -r.days));
        expect(daysBetween(r.comparison.firstDay, r.comparison.lastDay) + 1).toBe(r.days);
      },
    );

    it('a range that ends before today is compared with whole days', () => {
      const r = resolveRange(preset('yesterday'), THANKSGIVING, NEW_YORK);
      expect(r.soFar).toBeNull();
      expect(r.comparison.to.getTime()).toBe(r.from.getTime());
    });

    it('today at 01:57 UTC is compared with yesterday to 01:57, not with the whole of yesterday', () => {
      const r = resolveRange(preset('today'), at('2026-12-02T01:57:00Z'), 'UTC');
      expect(r.soFar?.time).toBe('01:57:00');
      expect([r.comparison.from.toISOString(), r.comparison.to.toISOString(), r.comparison.label]).toEqual([
        '2026-12-01T00:00:00.000Z',
        '2026-12-01T01:57:00.000Z',
        'yesterday to 01:57',
      ]);
    });

    it('compares the 1st of a month, alone, with the day before it, not with the 1st of the month before', () => {
      const r = resolveRange(preset('yesterday'), at('2026-12-02T01:00:00Z'), 'UTC');
      expect([r.firstDay, r.comparison.firstDay, r.comparison.label]).toEqual([
        '2026-12-01',
        '2026-11-30',
        'Mon 30 Nov',
      ]);
      const thisMonth = resolveRange(preset('this_month'), at('2026-12-01T09:41:00Z'), 'UTC');
      expect(thisMonth.comparison.label).toBe('Sun 1 Nov to 09:41');
    });

    it('a month that runs to the 31st against a 30-day month is compared with all of it', () => {
      const r = resolveRange(preset('this_month'), at('2026-12-31T12:00:00Z'), 'UTC');
      expect([r.comparison.firstDay, r.comparison.lastDay, r.comparison.label]).toEqual([
        '2026-11-01',
        '2026-11-30',
        'November',
      ]);
      const march = resolveRange(preset('this_month'), at('2026-03-31T12:00:00Z'), 'UTC');
      expect([march.comparison.lastDay, march.comparison.label]).toEqual(['2026-02-28', 'February']);
    });

    it('the same time of day inside a DST gap is as long after midnight as now is', () => {
      // 02:30 on 8 March 2026 does not exist in New York; 9 March 02:30 EDT is 2.5 h after its midnight.
      const r = resolveRange(preset('today'), at('2026-03-09T06:30:00Z'), NEW_YORK);
      expect(r.comparison.to.toISOString()).toBe('2026-03-08T07:30:00.000Z');
    });

    it('compares By day with the same weekday a week earlier, up to now for today', () => {
      const r = resolveRange(preset('last_7_days'), THANKSGIVING, NEW_YORK);
      const week = weekEarlier(r);
      expect([week.from.toISOString(), week.to.toISOString()]).toEqual([
        '2026-11-13T05:00:00.000Z',
        '2026-11-19T15:00:00.000Z',
      ]);
      const done = weekEarlier(resolveRange(preset('yesterday'), THANKSGIVING, NEW_YORK));
      expect([done.from.toISOString(), done.to.toISOString()]).toEqual([
        '2026-11-18T05:00:00.000Z',
        '2026-11-19T05:00:00.000Z',
      ]);
    });

    it('drops the year from the short label when every day is in the current year', () => {
      expect(resolveRange(preset('yesterday'), THANKSGIVING, NEW_YORK).shortLabel).toBe(
        'Yesterday, Wed 25 Nov',
      );
      expect(resolveRange(preset('last_30_days'), at('2026-01-10T15:00:00Z'), NEW_YORK).shortLabel).toBe(
        'Last 30 days, Fri 12 Dec 2025 – Sat 10 Jan 2026',
      );
    });
  });

  describe('date ranges', () => {
    it('resolves 2026-11-01..2026-11-15 without a name', () => {
      expect(
        summary(
          resolveRange({ kind: 'dates', from: '2026-11-01', to: '2026-11-15' }, THANKSGIVING, NEW_YORK),
        ),
      ).toEqual({
        firstDay: '2026-11-01',
        lastDay: '2026-11-15',
        from: '2026-11-01T04:00:00.000Z',
        to: '2026-11-16T05:00:00.000Z',
        days: 15,
        label: 'Sun 1 Nov – Sun 15 Nov 2026',
        text: '2026-11-01..2026-11-15',
        comparison: {
          // Days from the 1st: the same days of the month before.
          firstDay: '2026-10-01',
          lastDay: '2026-10-15',
          from: '2026-10-01T04:00:00.000Z',
          to: '2026-10-16T04:00:00.000Z',
          label: '1–15 Oct',
        },
      });
    });

    it('labels a single date and one across years', () => {
      expect(resolveRange(day('2026-11-03'), THANKSGIVING, NEW_YORK).label).toBe('Tue 3 Nov 2026');
      expect(resolveRange(day('2026-11-03'), THANKSGIVING, NEW_YORK).text).toBe('2026-11-03');
      expect(
        resolveRange({ kind: 'dates', from: '2025-12-20', to: '2026-01-05' }, THANKSGIVING, NEW_YORK).label,
      ).toBe('Sat 20 Dec 2025 – Mon 5 Jan 2026');
    });
  });

  describe('DST and odd offsets', () => {
    it.each(DAY_LENGTHS)('%s %s runs %s → %s (%i h)', (zone, date, from, to, length) => {
      const r = resolveRange(day(date), THANKSGIVING, zone);
      expect(r.from.toISOString()).toBe(from);
      expect(r.to.toISOString()).toBe(to);
      expect(hours(r)).toBe(length);
    });

    it('yesterday from 2026-11-26T10:00Z in Kathmandu (+05:45)', () => {
      const r = resolveRange(preset('yesterday'), at('2026-11-26T10:00:00Z'), KATHMANDU);
      expect([r.firstDay, r.from.toISOString(), r.to.toISOString(), r.label]).toEqual([
        '2026-11-25',
        '2026-11-24T18:15:00.000Z',
        '2026-11-25T18:15:00.000Z',
        'Yesterday, Wed 25 Nov 2026',
      ]);
    });

    it('yesterday in Santiago after the skipped midnight starts at 01:00 local = 04:00Z', () => {
      const r = resolveRange(preset('yesterday'), at('2026-09-07T12:00:00Z'), SANTIAGO);
      expect([r.firstDay, r.from.toISOString(), r.to.toISOString()]).toEqual([
        '2026-09-06',
        '2026-09-06T04:00:00.000Z',
        '2026-09-07T03:00:00.000Z',
      ]);
      expect(r.comparison.from.toISOString()).toBe('2026-09-05T04:00:00.000Z');
    });

    it.each([
      // [zone, 00:30 local (or the first half hour after a skipped midnight), local day, its first instant]
      [NEW_YORK, '2026-03-08T05:30:00Z', '2026-03-08', '2026-03-08T05:00:00.000Z'],
      [NEW_YORK, '2026-11-01T04:30:00Z', '2026-11-01', '2026-11-01T04:00:00.000Z'],
      [LONDON, '2026-03-29T00:30:00Z', '2026-03-29', '2026-03-29T00:00:00.000Z'],
      [LONDON, '2026-10-24T23:30:00Z', '2026-10-25', '2026-10-24T23:00:00.000Z'],
      [SANTIAGO, '2026-09-06T04:30:00Z', '2026-09-06', '2026-09-06T04:00:00.000Z'],
      [SANTIAGO, '2026-04-05T04:30:00Z', '2026-04-05', '2026-04-05T04:00:00.000Z'],
      [SYDNEY, '2026-10-03T14:30:00Z', '2026-10-04', '2026-10-03T14:00:00.000Z'],
      [SYDNEY, '2026-04-04T13:30:00Z', '2026-04-05', '2026-04-04T13:00:00.000Z'],
      [KATHMANDU, '2026-11-25T18:45:00Z', '2026-11-26', '2026-11-25T18:15:00.000Z'],
      // Havana's first and second 00:30 on 1 November are the same local day.
      [HAVANA, '2026-11-01T04:30:00Z', '2026-11-01', '2026-11-01T04:00:00.000Z'],
      [HAVANA, '2026-11-01T05:30:00Z', '2026-11-01', '2026-11-01T04:00:00.000Z'],
    ])('today in %s at %s is %s from %s', (zone, now, date, from) => {
      const r = resolveRange(preset('today'), at(now), zone);
      expect(r.firstDay).toBe(date);
      expect(r.lastDay).toBe(date);
      expect(r.from.toISOString()).toBe(from);
    });

    it.each(LOCAL_DATES)('today in %s at exactly/just before midnight %s is %s', (zone, now, date) => {
      const r = resolveRange(preset('today'), at(now), zone);
      expect(r.firstDay).toBe(date);
      expect(r.from.getTime()).toBeLessThanOrEqual(at(now).getTime());
      expect(r.to.getTime()).toBeGreaterThan(at(now).getTime());
    });

    it('yesterday at New York midnight after spring forward is the 23-hour day', () => {
      const r = resolveRange(preset('yesterday'), at('2026-03-09T04:00:00Z'), NEW_YORK);
      expect([r.firstDay, hours(r)]).toEqual(['2026-03-08', 23]);
    });
  });

  describe('localDateOf', () => {
    it.each(LOCAL_DATES)('in %s, %s is %s', (zone, instant, date) => {
      expect(localDateOf(at(instant), zone)).toBe(date);
    });
  });
});

describe('results do not depend on the host zone', () => {
  const cases: [RangeSpec, string, string][] = [
    ...PRESETS.map((name): [RangeSpec, string, string] => [
      preset(name),
      THANKSGIVING.toISOString(),
      NEW_YORK,
    ]),
    ...DAY_LENGTHS.map(([zone, date]): [RangeSpec, string, string] => [
      day(date),
      THANKSGIVING.toISOString(),
      zone,
    ]),
    [preset('yesterday'), '2026-11-26T10:00:00Z', KATHMANDU],
    [preset('today'), '2026-10-25T07:30:00Z', 'America/Los_Angeles'],
    [preset('last_7_days'), '2026-10-27T12:00:00Z', 'America/Los_Angeles'],
  ];

  it('is identical in UTC and every host zone under test', () => {
    const resolveAll = () => cases.map(([spec, now, zone]) => summary(resolveRange(spec, at(now), zone)));
    const inUtc = withHostZone('UTC', resolveAll);
    for (const host of HOST_ZONES) expect(withHostZone(host, resolveAll)).toEqual(inUtc);
  });

  it('leaves the process zone as it found it', () => {
    expect(process.env.TZ).toBe('UTC');
    expect(new Date(2026, 6, 1).getTimezoneOffset()).toBe(0);
  });
});

describe('rangeText', () => {
  it('writes the words that reproduce a range', () => {
    expect(rangeText(preset('last_30_days'))).toBe('last 30 days');
    expect(rangeText({ kind: 'last_days', days: 14 })).toBe('14d');
    expect(rangeText(day('2026-11-03'))).toBe('2026-11-03');
    expect(rangeText({ kind: 'dates', from: '2026-11-01', to: '2026-11-15' })).toBe('2026-11-01..2026-11-15');
  });
});

describe('daysOfRange', () => {
  it('lists every day in order across a month end', () => {
    expect(daysOfRange({ firstDay: '2026-02-26', days: 5 })).toEqual([
      '2026-02-26',
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
    ]);
  });
});

describe('calendar arithmetic', () => {
  it.each([
    ['2026-11-26', 0, '2026-11-26'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2028-03-01', -1, '2028-02-29'],
    ['2026-03-08', 1, '2026-03-09'],
    ['2026-11-26', -29, '2026-10-28'],
    ['2026-01-01', 365, '2027-01-01'],
  ])('addDays(%s, %i) = %s', (date, n, expected) => {
    expect(addDays(date, n)).toBe(expected);
  });

  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-05-31', 1, '2026-06-30'],
    ['2026-01-15', -1, '2025-12-15'],
    ['2026-12-01', 1, '2027-01-01'],
    ['2026-01-31', 13, '2027-02-28'],
    ['2026-11-01', -1, '2026-10-01'],
  ])('addMonths(%s, %i) = %s', (date, n, expected) => {
    expect(addMonths(date, n)).toBe(expected);
  });

  it('daysBetween, firstOfMonth and weekdayOf', () => {
    expect(daysBetween('2026-11-01', '2026-11-15')).toBe(14);
    expect(daysBetween('2026-11-15', '2026-11-01')).toBe(-14);
    expect(daysBetween('2026-03-01', '2026-03-31')).toBe(30);
    expect(firstOfMonth('2026-11-26')).toBe('2026-11-01');
    expect(weekdayOf('2026-11-26')).toBe(4);
    expect(weekdayOf('2026-11-01')).toBe(0);
  });

  it.each([
    ['2026-02-28', true],
    ['2028-02-29', true],
    ['2026-12-31', true],
    ['2026-02-29', false],
    ['2026-02-30', false],
    ['2026-04-31', false],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-11-00', false],
    ['2026-1-3', false],
    ['2026-11-03T00:00', false],
    ['', false],
  ])('isLocalDate(%j) is %s', (text, expected) => {
    expect(isLocalDate(text)).toBe(expected);
  });

  it.each([
    ['UTC', true],
    ['GMT', true],
    ['Asia/Kathmandu', true],
    ['America/Santiago', true],
    ['Etc/GMT+5', true],
    ['Mars/Olympus', false],
    ['America/New York', false],
    ['', false],
    [`Europe/${'x'.repeat(64)}`, false],
  ])('isValidZone(%j) is %s', (zone, expected) => {
    expect(isValidZone(zone)).toBe(expected);
  });
});
