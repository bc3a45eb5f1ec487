import { describe, expect, it } from 'vitest';
import { type DigestSummary, summarizeDigest } from '../../src/domain/digest-summary.ts';
import type { Party } from '../../src/domain/event.ts';
import {
  AISHA,
  CARLOS,
  conversation,
  countsOn,
  JOHN,
  MEI,
  makeDigestData,
  PRIYA,
} from '../builders/digest.ts';

/** Bounced conversations as "id: reasons, chain", easy to compare with what was worked out by hand. */
function bounces(summary: DigestSummary): string[] {
  return summary.bounced.map(
    (b) =>
      `${b.conversationId ?? b.contact.id}: ${b.reasons.join('+')}${b.returnedTo ? ` to ${b.returnedTo.name}` : ''}, ${b.chain.map((p) => p?.name ?? '-').join(' > ')}`,
  );
}

function bouncesOf(...conversations: Parameters<typeof conversation>[]): string[] {
  return bounces(
    summarizeDigest(makeDigestData({ conversations: conversations.map((c) => conversation(...c)) })),
  );
}

describe('summarizeDigest: the day', () => {
  it('totals the day by source in the report order, with whole percentages that add up to 100', () => {
    const summary = summarizeDigest(
      makeDigestData({ counts: countsOn(0, { workflow: 1, bot: 1, user: 1 }) }),
    );
    expect(summary.total).toBe(3);
    expect(summary.bySource.filter((s) => s.count > 0)).toEqual([
      { source: 'workflow', label: 'Workflow', count: 1, percent: 34 },
      { source: 'bot', label: 'Bot', count: 1, percent: 33 },
      { source: 'user', label: 'User', count: 1, percent: 33 },
    ]);
    expect(summary.bySource).toHaveLength(8);
  });

  it('names the day in its zone and compares it with the day before', () => {
    const summary = summarizeDigest(
      makeDigestData({
        counts: [...countsOn(0, { workflow: 120, bot: 80 }), ...countsOn(1, { workflow: 90 })],
      }),
    );
    expect(summary.range.label).toBe('Thu 26 Nov 2026');
    expect(summary.range.from.toISOString()).toBe('2026-11-25T16:00:00.000Z');
    expect(summary.total).toBe(200);
    expect(summary.dayBefore).toBe(90);
  });

  it('writes the command that reproduces it, with the team and the zone', () => {
    const summary = summarizeDigest(makeDigestData({ filters: { sources: ['workflow'] } }));
    expect(summary.command).toBe('/assignments 2026-11-26 source:workflow team:Support tz:Asia/Kuala_Lumpur');
  });
});

describe('summarizeDigest: the same weekday over 4 weeks', () => {
  it('averages the four previous Thursdays, per source too', () => {
    const summary = summarizeDigest(
      makeDigestData({
        counts: [
          ...countsOn(0, { workflow: 30 }),
          ...countsOn(7, { workflow: 10 }),
          ...countsOn(14, { workflow: 20, bot: 4 }),
          ...countsOn(21, { workflow: 30 }),
          ...countsOn(28, { workflow: 40 }),
          // Not Thursdays: left out.
          ...countsOn(1, { workflow: 500 }),
          ...countsOn(6, { workflow: 500 }),
        ],
      }),
    );
    expect(summary.weekday).toMatchObject({ weekday: 'Thursday', weeks: 4, average: 26 });
    expect(summary.weekday?.bySource.workflow).toBe(25);
    expect(summary.weekday?.bySource.bot).toBe(1);
  });

  it('leaves out the weeks before anything was recorded, and counts a recorded quiet Thursday as 0', () => {
    const summary = summarizeDigest(
      makeDigestData({
        counts: [
          ...countsOn(0, { workflow: 9 }),
          ...countsOn(7, { workflow: 12 }),
          // Thursday two weeks back had nothing, but the day before it did: a real zero.
          ...countsOn(15, { bot: 3 }),
        ],
      }),
    );
    expect(summary.weekday).toMatchObject({ weekday: 'Thursday', weeks: 2, average: 6 });
  });

  it('has no weekday comparison (and no callout) before any earlier Thursday was recorded', () => {
    const summary = summarizeDigest(
      makeDigestData({ counts: [...countsOn(0, { workflow: 50 }), ...countsOn(3, { workflow: 2 })] }),
    );
    expect(summary.weekday).toBeNull();
    expect(summary.callout).toBeNull();
  });

  it('compares with one week when only last Thursday is recorded', () => {
    const summary = summarizeDigest(
      makeDigestData({ counts: [...countsOn(0, { workflow: 50 }), ...countsOn(7, { workflow: 20 })] }),
    );
    expect(summary.weekday).toMatchObject({ weeks: 1, average: 20 });
  });
});

describe('summarizeDigest: the callout', () => {
  /** Today's counts against the same counts on each of the four previous Thursdays. */
  function calloutOf(today: Parameters<typeof countsOn>[1], before: Parameters<typeof countsOn>[1]) {
    const counts = [7, 14, 21, 28].flatMap((d) => countsOn(d, before));
    return summarizeDigest(makeDigestData({ counts: [...countsOn(0, today), ...counts] })).callout;
  }

  it('calls out a source that rose 40% against its weekday average', () => {
    expect(calloutOf({ workflow: 14, bot: 5 }, { workflow: 10, bot: 5 })).toEqual({
      source: 'workflow',
      label: 'Workflow',
      count: 14,
      average: 10,
      percent: 40,
    });
  });

  it('calls out a fall as a negative change', () => {
    expect(calloutOf({ bot: 10 }, { bot: 40 })).toMatchObject({ source: 'bot', percent: -75 });
  });

  it('calls out exactly 30% at exactly 10 assignments', () => {
    expect(calloutOf({ workflow: 13 }, { workflow: 10 })).toMatchObject({ source: 'workflow', percent: 30 });
    expect(calloutOf({ workflow: 10 }, { workflow: 7 })).toMatchObject({ source: 'workflow', percent: 43 });
  });

  it('keeps quiet under 10 assignments on both sides, however large the change', () => {
    expect(calloutOf({ zapier: 9 }, { zapier: 3 })).toBeNull();
    expect(calloutOf({ zapier: 1 }, { zapier: 9 })).toBeNull();
  });

  it('keeps quiet under a 30% change, however large the numbers', () => {
    expect(calloutOf({ workflow: 129 }, { workflow: 100 })).toBeNull();
    expect(calloutOf({ workflow: 71 }, { workflow: 100 })).toBeNull();
  });

  it('calls out a source that was not used on those Thursdays, without a percentage', () => {
    expect(calloutOf({ zapier: 12, workflow: 5 }, { workflow: 5 })).toEqual({
      source: 'zapier',
      label: 'Zapier',
      count: 12,
      average: 0,
      percent: null,
    });
  });

  it('names the largest move when several sources moved sharply', () => {
    // Workflow +4 (+40%), Bot −10 (−50%).
    expect(calloutOf({ workflow: 14, bot: 10 }, { workflow: 10, bot: 20 })).toMatchObject({
      source: 'bot',
      percent: -50,
    });
  });
});

describe('summarizeDigest: by agent', () => {
  it("gives each agent's count, share and load against the team mean, with unassignments last", () => {
    const summary = summarizeDigest(
      makeDigestData({
        byAgent: [
          { agent: JOHN, count: 3 },
          { agent: null, count: 2 },
          { agent: MEI, count: 6 },
          { agent: PRIYA, count: 3 },
        ],
      }),
    );
    // Mean 12 / 3 agents = 4; shares of 14 add up to 100.
    expect(summary.teamMean).toBe(4);
    expect(summary.byAgent.map((a) => [a.agent?.name ?? 'Unassigned', a.count, a.percent, a.load])).toEqual([
      ['Mei Tan', 6, 43, 1.5],
      ['John Doe', 3, 22, 0.75],
      ['Priya Nair', 3, 21, 0.75],
      ['Unassigned', 2, 14, null],
    ]);
    // 1.5× the team mean is the threshold: Mei Tan needs a look, the others do not.
    expect(summary.heavyLoad.map((a) => a.agent?.name)).toEqual(['Mei Tan']);
  });

  it('flags no heavy load just under 1.5× the team mean, nor for a team of one', () => {
    const under = summarizeDigest(
      makeDigestData({
        byAgent: [
          { agent: MEI, count: 29 },
          { agent: JOHN, count: 21 },
        ],
      }),
    );
    // Mean 25: Mei Tan is at 1.16×.
    expect(under.heavyLoad).toEqual([]);
    expect(summarizeDigest(makeDigestData({ byAgent: [{ agent: MEI, count: 9 }] })).heavyLoad).toEqual([]);
  });

  it('merges an agent known only by name (a CSV import) into the same agent known by id', () => {
    const summary = summarizeDigest(
      makeDigestData({
        byAgent: [
          { agent: { id: 'Mei Tan', name: 'Mei Tan' }, count: 2 },
          { agent: MEI, count: 4 },
          { agent: JOHN, count: 5 },
        ],
      }),
    );
    expect(summary.byAgent.map((a) => [a.agent?.id, a.count])).toEqual([
      ['u2', 6],
      ['u1', 5],
    ]);
  });

  it('gives no load for a team of one, and no mean without agents', () => {
    expect(summarizeDigest(makeDigestData({ byAgent: [{ agent: MEI, count: 5 }] })).byAgent).toEqual([
      { agent: MEI, count: 5, percent: 100, load: null },
    ]);
    const unassignedOnly = summarizeDigest(makeDigestData({ byAgent: [{ agent: null, count: 5 }] }));
    expect(unassignedOnly.teamMean).toBeNull();
  });
});

describe('summarizeDigest: bounced conversations', () => {
  it('counts the holder before the day: Mei had it, John took it, Mei got it back (A → B → A)', () => {
    expect(bouncesOf(['88231', [MEI, JOHN, MEI]])).toEqual([
      '88231: returned to Mei Tan, Mei Tan > John Doe > Mei Tan',
    ]);
  });

  it('does not call two moves from nobody a bounce', () => {
    expect(bouncesOf(['88231', [null, MEI, JOHN]])).toEqual([]);
  });

  it('calls 3 moves in the day a bounce, wherever they went', () => {
    expect(bouncesOf(['88232', [null, MEI, JOHN, PRIYA]])).toEqual([
      '88232: many_moves, - > Mei Tan > John Doe > Priya Nair',
    ]);
  });

  it('counts an unassignment as a move', () => {
    expect(bouncesOf(['88233', [MEI, JOHN, null, PRIYA]])).toEqual([
      '88233: many_moves, Mei Tan > John Doe > - > Priya Nair',
    ]);
  });

  it('does not call closed and reopened with the same agent a bounce', () => {
    expect(bouncesOf(['88234', [MEI, null, MEI]])).toEqual([]);
  });

  it('sees a return through nobody in between, and gives both reasons', () => {
    expect(bouncesOf(['88235', [MEI, JOHN, null, MEI]])).toEqual([
      '88235: many_moves+returned to Mei Tan, Mei Tan > John Doe > - > Mei Tan',
    ]);
  });

  it('knows an agent named in a CSV row is the same agent', () => {
    expect(bouncesOf(['88236', [{ id: 'Mei Tan', name: 'Mei Tan' }, JOHN, MEI]])).toEqual([
      '88236: returned to Mei Tan, Mei Tan > John Doe > Mei Tan',
    ]);
  });

  it('uses the contact for events without a conversation, and lists most moves first', () => {
    const ben: Party = { id: '1234570', name: 'Ben Lim' };
    expect(
      bouncesOf(['88237', [MEI, JOHN, MEI]], [null, [null, MEI, JOHN, PRIYA, CARLOS], { contact: ben }]),
    ).toEqual([
      '1234570: many_moves, - > Mei Tan > John Doe > Priya Nair > Carlos Diaz',
      '88237: returned to Mei Tan, Mei Tan > John Doe > Mei Tan',
    ]);
  });
});

describe('summarizeDigest: left unassigned', () => {
  it('lists open conversations whose day ended with one of the digest’s unassignments, longest waiting first', () => {
    const summary = summarizeDigest(
      makeDigestData({
        conversations: [
          conversation('1', [MEI, null], { source: 'user' }),
          // Unassigned, then taken again: not left.
          conversation('2', [MEI, null, JOHN]),
          // The last unassignment is another team's (not counted by this digest).
          conversation('3', [JOHN, PRIYA, null], { counted: [true, false] }),
          conversation(null, [null, JOHN, null], { contact: AISHA, source: 'workflow' }),
          // Closed: nobody needs to act, so it is only counted.
          conversation('5', [PRIYA, null]),
          conversation('6', [MEI, null]),
        ],
      }),
    );
    expect(
      summary.leftUnassigned.map((u) => [u.conversationId ?? u.contact.name, u.from?.name, u.source]),
    ).toEqual([
      ['1', 'Mei Tan', 'user'],
      ['Aisha Rahman', 'John Doe', 'workflow'],
    ]);
    expect(summary.closedUnassigned).toBe(2);
    expect(summary.leftUnassigned[0]?.at.getTime()).toBeLessThan(
      summary.leftUnassigned[1]?.at.getTime() ?? 0,
    );
  });
});
