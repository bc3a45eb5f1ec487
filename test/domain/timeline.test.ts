import { describe, expect, it } from 'vitest';
import type { Party } from '../../src/domain/event.ts';
import { NO_FILTERS, type ReportFilters } from '../../src/domain/filters.ts';
import { resolveRange } from '../../src/domain/range.ts';
import type { LogRow } from '../../src/domain/report.ts';
import type { Source } from '../../src/domain/sources.ts';
import {
  BUSY_DAY_LIMIT,
  buildTimeline,
  QUIET_AFTER_MS,
  type Timeline,
  type TimelineEvents,
  timelinePage,
  timelineSubjectOf,
} from '../../src/domain/timeline.ts';

const ZONE = 'Asia/Kuala_Lumpur';
const NOW = new Date('2026-11-26T10:00:00Z');
const HOUR = 3_600_000;
const MIN = 60_000;

const MEI: Party = { id: 'u2', name: 'Mei Tan' };
const JOHN: Party = { id: 'u1', name: 'John Doe' };
const ALI: Party = { id: 'u3', name: 'Ali Hassan' };
const AISHA: Party = { id: '1234567', name: 'Aisha Rahman' };

/** A row at an ISO time handing the conversation from `from` to `to`. */
function row(iso: string, from: Party | null, to: Party | null, source: Source = 'workflow'): LogRow {
  return {
    timestamp: new Date(iso),
    conversationId: '88231',
    contact: AISHA,
    previousAssignee: from,
    assignee: to,
    source,
    assignedBy: null,
  };
}

/** Rows where each hands over from the one before, starting from nobody. */
function chain(steps: [string, Party | null, Source?][]): LogRow[] {
  let holder: Party | null = null;
  return steps.map(([iso, to, source]) => {
    const r = row(iso, holder, to, source ?? (to ? 'workflow' : 'close_conversation'));
    holder = to;
    return r;
  });
}

function timeline(rows: LogRow[], extra: Partial<TimelineEvents> = {}, zone = ZONE, now = NOW): Timeline {
  return buildTimeline({
    subject: { kind: 'conversation', id: '88231' },
    range: undefined,
    zone,
    now,
    events: { rows, total: rows.length, before: null, after: null, ...extra },
    command: '/assignments conversation:88231',
  });
}

const flagsOf = (t: Timeline) => t.entries.map((e) => e.flags.map((f) => f.kind));

describe('timelineSubjectOf', () => {
  const f = (partial: Partial<ReportFilters>): ReportFilters => ({ ...NO_FILTERS, ...partial });

  it('is a timeline when one conversation or one contact is the only filter', () => {
    expect(timelineSubjectOf(f({ conversations: ['88231'] }))).toEqual({ kind: 'conversation', id: '88231' });
    expect(timelineSubjectOf(f({ contacts: ['1234567'] }))).toEqual({ kind: 'contact', id: '1234567' });
  });

  it.each([
    ['no filter', f({})],
    ['two conversations', f({ conversations: ['1', '2'] })],
    ['two contacts', f({ contacts: ['1', '2'] })],
    ['a conversation and a contact', f({ conversations: ['1'], contacts: ['2'] })],
    ['a conversation and a source', f({ conversations: ['1'], sources: ['bot'] })],
    ['a contact and an assignee', f({ contacts: ['1'], assignees: ['Mei'] })],
    ['a team alone', f({ teams: ['Support'] })],
  ])('stays a report with %s', (_, filters) => {
    expect(timelineSubjectOf(filters)).toBeUndefined();
  });
});

describe('buildTimeline durations', () => {
  it('measures each holding until the next entry, and the last up to now', () => {
    const t = timeline(
      chain([
        ['2026-11-26T08:00:00+08:00', MEI],
        ['2026-11-26T10:15:00+08:00', JOHN],
        ['2026-11-26T11:00:00+08:00', null],
        ['2026-11-26T17:00:00+08:00', MEI],
      ]),
    );
    expect(t.entries.map((e) => [e.heldMs, e.until])).toEqual([
      [2 * HOUR + 15 * MIN, 'next'],
      [45 * MIN, 'next'],
      [6 * HOUR, 'next'],
      // 17:00 in Kuala Lumpur is 09:00Z; now is 10:00Z.
      [HOUR, 'now'],
    ]);
    expect(t.holders).toEqual([
      { holder: null, ms: 6 * HOUR, times: 1 },
      { holder: MEI, ms: 3 * HOUR + 15 * MIN, times: 2 },
      { holder: JOHN, ms: 45 * MIN, times: 1 },
    ]);
  });

  it('ends the last holding at the first event after the range, not now', () => {
    const rows = chain([['2026-11-20T08:00:00+08:00', MEI]]);
    const after = row('2026-11-21T08:00:00+08:00', MEI, JOHN);
    const t = timeline(rows, { after });
    expect(t.entries[0]).toMatchObject({ heldMs: 24 * HOUR, until: 'after_window' });
  });

  it('counts a DST day as it really is: 23 hours from midnight to midnight in New York in spring', () => {
    // Sun 8 Mar 2026: clocks go from 02:00 to 03:00 in New York.
    const t = timeline(
      chain([
        ['2026-03-08T00:00:00-05:00', MEI],
        ['2026-03-09T00:00:00-04:00', JOHN],
        ['2026-11-01T00:00:00-04:00', ALI],
        ['2026-11-02T00:00:00-05:00', MEI],
      ]),
      {},
      'America/New_York',
      new Date('2026-11-02T06:00:00Z'),
    );
    expect(t.entries[0]?.heldMs).toBe(23 * HOUR);
    // Sun 1 Nov 2026: clocks go back from 02:00 to 01:00, a 25-hour day.
    expect(t.entries[2]?.heldMs).toBe(25 * HOUR);
    expect(t.entries[3]).toMatchObject({ heldMs: HOUR, until: 'now' });
  });

  it('never shows a negative holding when an event is later than now (a sender clock ahead)', () => {
    const t = timeline(chain([['2026-11-26T10:05:00Z', MEI]]));
    expect(t.entries[0]?.heldMs).toBe(0);
  });

  it('has no entries, holders or flags when nothing happened', () => {
    const t = timeline([]);
    expect(t).toMatchObject({
      entries: [],
      holders: [],
      pingPongs: 0,
      busyDays: [],
      afterQuiet: 0,
      contact: null,
    });
  });
});

describe('buildTimeline flags', () => {
  it('flags ping-pong when it goes back to someone who had it before', () => {
    const t = timeline(
      chain([
        ['2026-11-25T08:00:00+08:00', MEI],
        ['2026-11-25T09:00:00+08:00', JOHN],
        ['2026-11-25T10:00:00+08:00', MEI],
      ]),
    );
    expect(flagsOf(t)).toEqual([[], [], ['ping_pong']]);
    expect(t.entries[2]?.flags[0]).toEqual({ kind: 'ping_pong', back: MEI });
    expect(t.pingPongs).toBe(1);
  });

  it('does not call it ping-pong when the one who had it last gets it back after an unassignment', () => {
    const t = timeline(
      chain([
        ['2026-11-25T08:00:00+08:00', MEI],
        ['2026-11-25T09:00:00+08:00', null],
        ['2026-11-25T10:00:00+08:00', MEI],
        ['2026-11-25T10:30:00+08:00', JOHN],
        ['2026-11-25T10:45:00+08:00', null],
        ['2026-11-25T10:50:00+08:00', MEI],
      ]),
    );
    // The last one is back to Mei after John held it in between: ping-pong.
    expect(t.entries.map((e) => e.flags.some((f) => f.kind === 'ping_pong'))).toEqual([
      false,
      false,
      false,
      false,
      false,
      true,
    ]);
  });

  it('knows who had it before the first entry (its previous assignee, or the event before the range)', () => {
    const fromPrevious = timeline([
      row('2026-11-25T08:00:00+08:00', MEI, JOHN),
      row('2026-11-25T09:00:00+08:00', JOHN, MEI),
    ]);
    expect(flagsOf(fromPrevious)).toEqual([[], ['ping_pong']]);
    // Ali gave it up an hour before the range starts.
    const before = row('2026-11-25T07:00:00+08:00', ALI, MEI);
    const fromBefore = timeline(
      [row('2026-11-25T08:00:00+08:00', MEI, JOHN), row('2026-11-25T09:00:00+08:00', JOHN, ALI)],
      {
        before,
      },
    );
    expect(fromBefore.entries[1]?.flags).toContainEqual({ kind: 'ping_pong', back: ALI });
  });

  it('flags ping-pong only for a return within 24 hours of giving it up, never a return after months', () => {
    const t = timeline([
      row('2026-09-20T08:00:00+08:00', null, MEI),
      row('2026-09-20T09:00:00+08:00', MEI, JOHN),
      // Two months later the contact is back and Mei takes it again: not ping-pong.
      row('2026-11-20T10:00:00+08:00', JOHN, MEI),
      // John gave it up an hour ago: ping-pong; and so on, each back within the hour.
      row('2026-11-20T11:00:00+08:00', MEI, JOHN),
      row('2026-11-20T12:00:00+08:00', JOHN, MEI),
      row('2026-11-20T13:00:00+08:00', MEI, JOHN),
      // Exactly 24 hours after Mei gave it up: still within.
      row('2026-11-21T13:00:00+08:00', JOHN, MEI),
      // 24 hours and a minute after John gave it up: no longer.
      row('2026-11-22T13:01:00+08:00', MEI, JOHN),
    ]);
    expect(flagsOf(t).map((f) => f.includes('ping_pong'))).toEqual([
      false,
      false,
      false,
      true,
      true,
      true,
      true,
      false,
    ]);
    expect(t.pingPongs).toBe(4);
  });

  it('matches a name-only agent (a CSV row) with the same agent known by id', () => {
    const csvMei: Party = { id: 'Mei Tan', name: 'Mei Tan' };
    const t = timeline([
      row('2026-11-25T08:00:00+08:00', null, MEI),
      row('2026-11-25T09:00:00+08:00', MEI, JOHN),
      row('2026-11-25T10:00:00+08:00', JOHN, csvMei),
    ]);
    expect(flagsOf(t)[2]).toEqual(['ping_pong']);
    expect(t.holders.map((h) => [h.holder?.name, h.times])).toContainEqual(['Mei Tan', 2]);
  });

  it(`flags the assignments past ${BUSY_DAY_LIMIT} in one local day, unassignments included`, () => {
    // Five on Wed 25 Nov in Kuala Lumpur (00:30 local is still the 25th there, 16:30Z on the 24th).
    const t = timeline(
      chain([
        ['2026-11-25T00:30:00+08:00', MEI],
        ['2026-11-25T09:00:00+08:00', JOHN],
        ['2026-11-25T10:00:00+08:00', null],
        ['2026-11-25T11:00:00+08:00', ALI],
        ['2026-11-25T23:59:00+08:00', MEI],
        ['2026-11-26T00:00:00+08:00', JOHN],
      ]),
    );
    const busy = t.entries.map((e) => e.flags.find((f) => f.kind === 'busy_day'));
    expect(busy).toEqual([
      undefined,
      undefined,
      undefined,
      { kind: 'busy_day', day: '2026-11-25', nth: 4 },
      { kind: 'busy_day', day: '2026-11-25', nth: 5 },
      undefined,
    ]);
    expect(t.busyDays).toEqual([{ day: '2026-11-25', count: 5 }]);
  });

  it('counts days in the requester’s zone: the same instants are two quiet days in New York', () => {
    const rows = chain([
      ['2026-11-25T00:30:00+08:00', MEI],
      ['2026-11-25T09:00:00+08:00', JOHN],
      // 01:00 and 02:00 on Wed 25 Nov in New York; the two above are Tue 24 Nov there.
      ['2026-11-25T14:00:00+08:00', ALI],
      ['2026-11-25T15:00:00+08:00', MEI],
    ]);
    expect(timeline(rows).busyDays).toHaveLength(1);
    expect(timeline(rows, {}, 'America/New_York').busyDays).toEqual([]);
  });

  it('counts a DST day’s assignments on the local day they happened', () => {
    // Four on Sun 1 Nov 2026 in New York, the 25-hour day; the first two are both 01:30 local, an hour apart.
    const t = timeline(
      chain([
        ['2026-11-01T01:30:00-04:00', MEI],
        ['2026-11-01T01:30:00-05:00', JOHN],
        ['2026-11-01T12:00:00-05:00', ALI],
        ['2026-11-01T23:59:00-05:00', MEI],
      ]),
      {},
      'America/New_York',
      new Date('2026-11-02T12:00:00Z'),
    );
    expect(t.entries[0]?.heldMs).toBe(HOUR);
    expect(t.busyDays).toEqual([{ day: '2026-11-01', count: 4 }]);
  });

  it(`flags an assignment after nobody held it for ${QUIET_AFTER_MS / HOUR} h or more, not after a long hold`, () => {
    const t = timeline(
      chain([
        ['2026-11-20T08:00:00+08:00', MEI],
        ['2026-11-21T07:59:59+08:00', null],
        ['2026-11-22T07:59:58+08:00', JOHN],
        ['2026-11-23T08:00:00+08:00', null],
        ['2026-11-24T08:00:00+08:00', ALI],
        ['2026-11-26T09:00:00+08:00', MEI],
      ]),
    );
    // Unassigned just under a day: no. Unassigned exactly a day: yes. Held by Ali for 49 hours: Ali had it, no.
    expect(t.entries.map((e) => e.flags.find((f) => f.kind === 'after_quiet'))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      { kind: 'after_quiet', quietMs: 24 * HOUR },
      undefined,
    ]);
    expect(t.afterQuiet).toBe(1);
  });

  it('measures quiet from the event before the range for the first entry, and not at all without one', () => {
    const first = [row('2026-11-25T08:00:00+08:00', MEI, JOHN)];
    expect(flagsOf(timeline(first))).toEqual([[]]);
    const before = row('2026-11-20T08:00:00+08:00', MEI, null, 'close_conversation');
    expect(timeline(first, { before }).entries[0]?.flags).toEqual([
      { kind: 'after_quiet', quietMs: 5 * 24 * HOUR },
    ]);
  });
});

describe('timelinePage', () => {
  const at = (i: number) => new Date(Date.UTC(2026, 10, 1) + i * HOUR).toISOString();
  const long = (n: number) =>
    timeline(chain(Array.from({ length: n }, (_, i) => [at(i), i % 2 ? MEI : JOHN] as [string, Party])));

  it.each([
    [0, 1, { page: 1, pages: 1, first: 0, last: 0, shown: 0 }],
    [1, 1, { page: 1, pages: 1, first: 1, last: 1, shown: 1 }],
    [25, 1, { page: 1, pages: 1, first: 1, last: 25, shown: 25 }],
    [26, 2, { page: 2, pages: 2, first: 26, last: 26, shown: 1 }],
    [312, 2, { page: 2, pages: 13, first: 26, last: 50, shown: 25 }],
    [312, 13, { page: 13, pages: 13, first: 301, last: 312, shown: 12 }],
    [312, 99, { page: 13, pages: 13, first: 301, last: 312, shown: 12 }],
    [312, 0, { page: 1, pages: 13, first: 1, last: 25, shown: 25 }],
  ])('%i entries, page %i', (n, page, expected) => {
    const p = timelinePage(long(n), page);
    expect({ page: p.page, pages: p.pages, first: p.first, last: p.last, shown: p.entries.length }).toEqual(
      expected,
    );
  });

  it('numbers entries from the first of the window when the cap left earlier ones out', () => {
    const t = timeline(
      chain([
        [at(0), MEI],
        [at(1), JOHN],
      ]),
      { total: 10_002 },
    );
    expect(t.omitted).toBe(10_000);
    expect(timelinePage(t, 1)).toMatchObject({ first: 10_001, last: 10_002 });
  });
});

describe('timeline over a range', () => {
  it('keeps the range it was asked for', () => {
    const range = resolveRange({ kind: 'preset', preset: 'last_7_days' }, NOW, ZONE);
    const t = buildTimeline({
      subject: { kind: 'contact', id: '1234567' },
      range,
      zone: ZONE,
      now: NOW,
      events: { rows: chain([['2026-11-25T08:00:00+08:00', MEI]]), total: 1, before: null, after: null },
      command: '/assignments last 7 days contact:1234567',
    });
    expect(t.range?.firstDay).toBe('2026-11-20');
    expect(t.contact).toEqual(AISHA);
  });
});
