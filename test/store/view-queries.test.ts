import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssignmentEvent, Party } from '../../src/domain/event.ts';
import { NO_FILTERS } from '../../src/domain/filters.ts';
import { resolveRange } from '../../src/domain/range.ts';
import { type AssignmentStore, createAssignmentStore } from '../../src/store/assignment-store.ts';
import type { Engine } from '../../src/store/collection.ts';
import { countByGroup } from '../../src/store/leaderboard-queries.ts';
import { countTimeline, timelineFilter, timelineQuery } from '../../src/store/timeline-queries.ts';
import { AISHA, JOHN, MEI, makeEvent } from '../builders/event.ts';
import { openTestEngine, TEST_ENGINE_NAME, testEngines } from './engines.ts';

/** Thursday 26 Nov 2026, 18:00 in Kuala Lumpur. */
const NOW = new Date('2026-11-26T10:00:00Z');
const ZONE = 'Asia/Kuala_Lumpur';
const ALI: Party = { id: 'u3', name: 'Ali Hassan' };
const WEI: Party = { id: '1234999', name: 'Wei Lim' };
const SUPPORT: Party = { id: 'support', name: 'Support' };

let n = 0;
const at = (iso: string, assignee: Party | null, overrides: Partial<AssignmentEvent> = {}) =>
  makeEvent({
    id: `v${++n}`,
    timestamp: new Date(iso),
    assignee,
    team: assignee ? SUPPORT : null,
    source: assignee ? 'workflow' : 'close_conversation',
    ...overrides,
  });

// Aisha's conversation 88231: Mei, John, Mei again (ping-pong), closed; then her conversation 90001 with Ali.
// Wei Lim's conversation 88232 in between. Times in Kuala Lumpur (UTC+8).
const EVENTS: AssignmentEvent[] = [
  at('2026-11-10T09:00:00+08:00', MEI),
  at('2026-11-20T09:00:00+08:00', JOHN),
  at('2026-11-20T09:00:00+08:00', ALI, { contact: WEI, conversationId: '88232', source: 'bot' }),
  at('2026-11-25T10:00:00+08:00', MEI, { source: 'user', assignedBy: JOHN }),
  at('2026-11-25T11:30:00+08:00', null),
  at('2026-11-26T08:00:00+08:00', ALI, { conversationId: '90001' }),
  // Another Wei Lim, long before.
  at('2026-11-01T09:00:00+08:00', JOHN, { contact: { id: '7777777', name: 'Wei Lim' }, conversationId: '1' }),
];

const ENGINES = testEngines('views');

const names = (rows: { assignee: Party | null }[]) => rows.map((r) => r.assignee?.name ?? 'nobody');

describe('the timeline query', () => {
  it('starts with an equality on the subject, then bounds the time, newest first; only what counts', () => {
    const window = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') };
    expect(Object.keys(timelineFilter({ kind: 'conversation', id: '88231' }, window))).toEqual([
      'conversationId',
      'ts',
      'unchanged',
    ]);
    expect(timelineQuery({ kind: 'contact', id: '1234567' }, {}, 26)).toEqual({
      filter: {
        'contact.id': '1234567',
        ts: { $gte: new Date('2000-01-01T00:00:00Z'), $lt: new Date('2100-01-01T00:00:00Z') },
        unchanged: { $ne: true },
      },
      options: { sort: { ts: -1, _id: -1 }, limit: 26 },
    });
    expect(countTimeline({ kind: 'conversation', id: '1' }, { to: window.to })[0]).toEqual({
      $match: {
        conversationId: '1',
        ts: { $gte: new Date('2000-01-01T00:00:00Z'), $lt: window.to },
        unchanged: { $ne: true },
      },
    });
  });
});

describe.each(ENGINES)('view queries: %s', (_name, openEngine) => {
  let engine: Engine;
  let store: AssignmentStore;

  beforeAll(async () => {
    engine = await openEngine();
    store = createAssignmentStore(engine, () => NOW);
    await store.init();
    expect((await store.ingest(EVENTS)).accepted).toBe(EVENTS.length);
  });

  afterAll(() => engine.close());

  it('reads a conversation’s whole story in order, previous assignees derived', async () => {
    const lookup = await store.timeline({ kind: 'conversation', id: '88231' }, {});
    if (lookup.kind !== 'events') throw new Error(lookup.kind);
    expect(names(lookup.events.rows)).toEqual(['Mei Tan', 'John Doe', 'Mei Tan', 'nobody']);
    expect(lookup.events.rows.map((r) => r.previousAssignee?.name ?? '-')).toEqual([
      '-',
      'Mei Tan',
      'John Doe',
      'Mei Tan',
    ]);
    expect(lookup.events.rows[2]?.assignedBy).toEqual(JOHN);
    expect(lookup.events).toMatchObject({ total: 4, before: null, after: null });
  });

  it('reads a contact across conversations, by id and by its only name (any case)', async () => {
    for (const value of ['1234567', 'aisha RAHMAN']) {
      const lookup = await store.timeline({ kind: 'contact', id: value }, {});
      if (lookup.kind !== 'events') throw new Error(lookup.kind);
      expect(lookup.subject).toEqual({ kind: 'contact', id: AISHA.id });
      expect(lookup.events.rows.map((r) => r.conversationId)).toEqual([
        '88231',
        '88231',
        '88231',
        '88231',
        '90001',
      ]);
    }
    const none = await store.timeline({ kind: 'contact', id: 'Nobody Here' }, {});
    expect(none).toEqual({
      kind: 'events',
      subject: { kind: 'contact', id: 'Nobody Here' },
      events: { rows: [], total: 0, before: null, after: null },
    });
  });

  it('lists the contacts a shared name could mean instead of guessing', async () => {
    const lookup = await store.timeline({ kind: 'contact', id: 'Wei Lim' }, {});
    expect(lookup).toEqual({
      kind: 'several',
      contacts: [
        { id: '1234999', name: 'Wei Lim' },
        { id: '7777777', name: 'Wei Lim' },
      ],
    });
  });

  it('reads a range with the events just before and after it, for the first and last entries', async () => {
    // Wed 25 Nov in Kuala Lumpur.
    const range = resolveRange({ kind: 'dates', from: '2026-11-25', to: '2026-11-25' }, NOW, ZONE);
    const lookup = await store.timeline(
      { kind: 'contact', id: AISHA.id },
      { from: range.from, to: range.to },
    );
    if (lookup.kind !== 'events') throw new Error(lookup.kind);
    expect(names(lookup.events.rows)).toEqual(['Mei Tan', 'nobody']);
    expect(lookup.events.before?.assignee).toEqual(JOHN);
    expect(lookup.events.after?.assignee).toEqual(ALI);
    expect(lookup.events.total).toBe(2);
  });

  it('pages the log newest first, with the count of every matching row', async () => {
    const window = { from: new Date('2026-11-01T00:00:00Z'), to: NOW };
    const first = await store.logPage(window, NO_FILTERS, 1);
    expect(first.page).toMatchObject({ total: EVENTS.length, pages: 1, first: 1, last: EVENTS.length });
    expect(first.rows.map((r) => r.timestamp.getTime())).toEqual(
      [...first.rows.map((r) => r.timestamp.getTime())].sort((a, b) => b - a),
    );
    const filtered = await store.logPage(window, { ...NO_FILTERS, conversations: ['88231'] }, 7);
    expect(filtered.page).toMatchObject({ page: 1, total: 4 });
    expect(names(filtered.rows)).toEqual(['nobody', 'Mei Tan', 'John Doe', 'Mei Tan']);
  });

  it('counts per agent, team, source and local day', async () => {
    const range = resolveRange({ kind: 'last_days', days: 7 }, NOW, ZONE);
    const window = { from: range.from, to: range.to };
    const sorted = (rows: { key: string | null; name: string | null; count: number }[]) =>
      rows.map((r) => `${r.key ?? 'null'}:${r.name ?? '-'}:${r.count}`).sort();
    // Last 7 days there: Fri 20 – Thu 26 Nov. John (20th), Ali for Wei (20th), Mei, nobody (25th), Ali (26th).
    expect(sorted(await store.groupCounts(window, NO_FILTERS, 'agent', ZONE))).toEqual([
      'null:-:1',
      'u1:John Doe:1',
      'u2:Mei Tan:1',
      'u3:Ali Hassan:2',
    ]);
    expect(sorted(await store.groupCounts(window, NO_FILTERS, 'team', ZONE))).toEqual([
      'null:-:1',
      'support:Support:4',
    ]);
    expect(sorted(await store.groupCounts(window, NO_FILTERS, 'source', ZONE))).toEqual([
      'bot:-:1',
      'close_conversation:-:1',
      'user:-:1',
      'workflow:-:2',
    ]);
    expect(sorted(await store.groupCounts(window, NO_FILTERS, 'day', ZONE))).toEqual([
      '2026-11-20:-:2',
      '2026-11-25:-:2',
      '2026-11-26:-:1',
    ]);
    // The same instants in New York, whose last 7 days are 20 – 26 Nov there: 09:00 on the 20th in Kuala Lumpur
    // is the 19th there (outside), and 08:00 on the 26th is 19:00 on the 25th.
    const ny = resolveRange({ kind: 'last_days', days: 7 }, NOW, 'America/New_York');
    expect(
      sorted(await store.groupCounts({ from: ny.from, to: ny.to }, NO_FILTERS, 'day', 'America/New_York')),
    ).toEqual(['2026-11-24:-:2', '2026-11-25:-:1']);
    // Days come from the local midnights computed here: the pipeline names no zone.
    expect(JSON.stringify(countByGroup(window, NO_FILTERS, 'day', ZONE))).not.toMatch(/timezone|Kuala/);
  });
});

describe(`the log past the seed’s cap (${TEST_ENGINE_NAME})`, () => {
  it('pages through the newest 10,000 of 10,001 rows and says how many match', async () => {
    const store = createAssignmentStore(await openTestEngine('logcap'), () => NOW);
    await store.init();
    const start = Date.parse('2026-11-20T00:00:00Z');
    const events = Array.from({ length: 10_001 }, (_, i) =>
      makeEvent({
        id: `cap${i}`,
        timestamp: new Date(start + i * 1000),
        contact: { id: `c${i}`, name: `C ${i}` },
        conversationId: String(i),
      }),
    );
    for (let i = 0; i < events.length; i += 2000) await store.ingest(events.slice(i, i + 2000));
    const window = { from: new Date(start), to: NOW };
    const last = await store.logPage(window, NO_FILTERS, 500);
    expect(last.page).toMatchObject({
      page: 500,
      pages: 500,
      first: 9_981,
      last: 10_000,
      overCap: true,
      total: 10_001,
    });
    // Newest first: page 500 ends with the 10,000th newest, which is event 1 (event 0 is the one left out).
    expect(last.rows.map((r) => r.conversationId)).toEqual(
      Array.from({ length: 20 }, (_, i) => String(20 - i)),
    );
    const first = await store.logPage(window, NO_FILTERS, 1);
    expect(first.rows[0]?.conversationId).toBe('10000');
    await store.close();
  });
});
