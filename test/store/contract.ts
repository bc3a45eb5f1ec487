import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AssignmentEvent,
  type Party,
  type StoredEvent,
  storedEventSchema,
} from '../../src/domain/event.ts';
import { NO_FILTERS, type ReportFilters } from '../../src/domain/filters.ts';
import { type RangeSpec, resolveRange } from '../../src/domain/range.ts';
import type { LogRow, Report } from '../../src/domain/report.ts';
import {
  type AssignmentStore,
  createAssignmentStore,
  EVENTS,
  type IngestSummary,
} from '../../src/store/assignment-store.ts';
import type { Doc, Engine, StoreCollection } from '../../src/store/collection.ts';
import { localDayOfTs } from '../../src/store/local-day.ts';
import { COUNTED } from '../../src/store/pipelines.ts';
import { AISHA, JOHN, MEI, makeEvent } from '../builders/event.ts';

// One suite, run against every engine: the in-process one must answer exactly as MongoDB does. Every expected
// number below is worked out by hand from the events each test ingests.

const at = (iso: string): Date => new Date(iso);
const RECEIVED = at('2026-11-26T10:00:00Z');
/** Thursday 26 Nov 2026, 18:00 in Kuala Lumpur. */
const NOW = at('2026-11-26T10:00:00Z');
const KUALA_LUMPUR = 'Asia/Kuala_Lumpur';

const BEN: Party = { id: '1234570', name: 'Ben Lim' };
const CHEN: Party = { id: '1234571', name: 'Chen Wei' };
const RAVI: Party = { id: 'u3', name: 'Ravi Kumar' };
const SITI: Party = { id: 'u4', name: 'Siti Nur' };
const FARAH: Party = { id: 'u7', name: 'Farah Aziz' };
const SUPPORT: Party = { id: 't1', name: 'Support' };
const SALES: Party = { id: 't2', name: 'Sales' };

const filters = (partial: Partial<ReportFilters> = {}): ReportFilters => ({ ...NO_FILTERS, ...partial });
const summary = (accepted: number, duplicates: number, unchanged: number, enriched = 0): IngestSummary => ({
  accepted,
  duplicates,
  unchanged,
  enriched,
});

const addSummaries = (a: IngestSummary, b: IngestSummary): IngestSummary =>
  summary(a.accepted + b.accepted, a.duplicates + b.duplicates, a.unchanged + b.unchanged);

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Stored events that count (not those kept as unchanged), oldest first, optionally of one contact. */
async function storedEvents(engine: Engine, contactId?: string): Promise<StoredEvent[]> {
  const filter = { ...(contactId === undefined ? {} : { 'contact.id': contactId }), ...COUNTED };
  const docs = await collect(engine.collection(EVENTS).find(filter, { sort: { ts: 1, _id: 1 } }));
  return docs.map((doc) => storedEventSchema.parse(doc));
}

const who = (party: Party | null): string => party?.id ?? '-';

/** A contact's stored events as `previous→assignee`, oldest first. */
async function links(engine: Engine, contactId = AISHA.id): Promise<string[]> {
  return (await storedEvents(engine, contactId)).map((e) => `${who(e.previousAssignee)}→${who(e.assignee)}`);
}

/** The assignees met following previous→assignee from `start`; stops rather than loop. */
function walkChain(events: StoredEvent[], start: string): string[] {
  const byPrevious = new Map(events.map((e) => [who(e.previousAssignee), e]));
  const order: string[] = [];
  let current = start;
  for (let e = byPrevious.get(current); e && order.length < events.length; e = byPrevious.get(current)) {
    current = who(e.assignee);
    order.push(current);
  }
  return order;
}

const ids = (docs: Doc[]): string[] => docs.map((d) => String(d._id)).sort();

/** mulberry32: the same "random" instants on every run and engine. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The local date of an instant by brute force: Intl's own wall clock, no caching. */
function intlDay(instant: Date, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

const dayTotals = (report: Report): [string, number][] =>
  report.byDay.map(({ day, counts }) => [day, Object.values(counts).reduce((a, b) => a + b, 0)]);

const sourceCounts = (report: Report) =>
  Object.fromEntries(report.bySource.filter((s) => s.count > 0).map((s) => [s.source, s.count]));

const describeRow = (row: LogRow): string =>
  `${row.contact.name}: ${row.previousAssignee?.name ?? 'none'} → ${row.assignee?.name ?? 'none'}`;

/**
 * Three contacts over Fri 20 – Thu 26 Nov 2026 in Kuala Lumpur (`last 7 days` at NOW), two events in the seven
 * days before and one just after. Ids are chosen so that ties on time sort differently from the numbering.
 */
function reportEvents(): AssignmentEvent[] {
  const e = (id: string, local: string, overrides: Partial<AssignmentEvent>) =>
    makeEvent({ id, timestamp: at(`${local}+08:00`), ...overrides });
  return [
    // What the range is compared with: the seven days before, up to 18:00 (NOW's time of day) on the last.
    e('k-90', '2026-11-15T10:00:00', { assignee: JOHN, source: 'workflow' }),
    e('k-91', '2026-11-19T17:59:59.999', { assignee: MEI, source: 'bot' }),
    // After that time on the last compared day: not compared, as today has no assignments after 18:00 yet.
    e('k-92', '2026-11-19T18:00:00', {
      contact: { id: '1234599', name: 'Late Evening' },
      assignee: MEI,
      source: 'zapier',
    }),
    // Fri 20 Nov, from its first instant.
    e('k-01', '2026-11-20T00:00:00', { assignee: JOHN, source: 'workflow' }),
    e('k-02', '2026-11-20T09:00:00', {
      contact: BEN,
      assignee: MEI,
      source: 'user',
      assignedBy: FARAH,
      team: SUPPORT,
    }),
    e('k-03', '2026-11-21T14:00:00', {
      contact: BEN,
      assignee: null,
      source: 'close_conversation',
      conversationId: null,
    }),
    // Sun 22 Nov: nothing. Mon 23 Nov: two at the same instant.
    e('k-07', '2026-11-23T08:00:00', {
      contact: CHEN,
      assignee: MEI,
      source: 'developer_api',
      team: SALES,
      conversationId: '90001',
    }),
    e('k-12', '2026-11-23T08:00:00', { assignee: MEI, source: 'zapier' }),
    e('k-06', '2026-11-24T12:00:00', { contact: CHEN, assignee: JOHN, source: 'bot', team: SALES }),
    e('k-04', '2026-11-25T08:15:00', { assignee: null, source: 'user', assignedBy: FARAH, team: SUPPORT }),
    e('k-08', '2026-11-25T18:00:00', { contact: BEN, assignee: JOHN, source: 'contact_import' }),
    // Thu 26 Nov: three at 07:00.
    e('k-20', '2026-11-26T07:00:00', {
      contact: CHEN,
      assignee: MEI,
      source: 'workflow',
      team: SUPPORT,
      conversationId: '90001',
    }),
    e('k-31', '2026-11-26T07:00:00', { contact: BEN, assignee: MEI, source: 'workflow' }),
    e('k-05', '2026-11-26T07:00:00', { assignee: JOHN, source: 'bot' }),
    e('k-09', '2026-11-26T09:30:00', { contact: CHEN, assignee: null, source: 'workflow' }),
    // The first instant after the range.
    e('k-99', '2026-11-27T00:00:00', { assignee: MEI, source: 'workflow' }),
  ];
}

/** A day and the instant it starts, in some zone. */
interface MidnightCase {
  zone: string;
  /** Consecutive local days. */
  days: string[];
  /** The first instant of each day, and of the day after the last: worked out by hand. */
  starts: string[];
}

const MIDNIGHTS: [string, MidnightCase][] = [
  [
    'Kuala Lumpur (+08:00)',
    {
      zone: KUALA_LUMPUR,
      days: ['2026-11-25', '2026-11-26'],
      starts: ['2026-11-24T16:00:00.000Z', '2026-11-25T16:00:00.000Z', '2026-11-26T16:00:00.000Z'],
    },
  ],
  [
    'New York, spring forward on 8 Mar',
    {
      zone: 'America/New_York',
      days: ['2026-03-07', '2026-03-08', '2026-03-09'],
      starts: [
        '2026-03-07T05:00:00.000Z',
        '2026-03-08T05:00:00.000Z',
        '2026-03-09T04:00:00.000Z',
        '2026-03-10T04:00:00.000Z',
      ],
    },
  ],
  [
    'New York, fall back on 1 Nov',
    {
      zone: 'America/New_York',
      days: ['2026-10-31', '2026-11-01', '2026-11-02'],
      starts: [
        '2026-10-31T04:00:00.000Z',
        '2026-11-01T04:00:00.000Z',
        '2026-11-02T05:00:00.000Z',
        '2026-11-03T05:00:00.000Z',
      ],
    },
  ],
  [
    'London, spring forward on 29 Mar',
    {
      zone: 'Europe/London',
      days: ['2026-03-28', '2026-03-29', '2026-03-30'],
      starts: [
        '2026-03-28T00:00:00.000Z',
        '2026-03-29T00:00:00.000Z',
        '2026-03-29T23:00:00.000Z',
        '2026-03-30T23:00:00.000Z',
      ],
    },
  ],
  [
    'London, fall back on 25 Oct',
    {
      zone: 'Europe/London',
      days: ['2026-10-24', '2026-10-25', '2026-10-26'],
      starts: [
        '2026-10-23T23:00:00.000Z',
        '2026-10-24T23:00:00.000Z',
        '2026-10-26T00:00:00.000Z',
        '2026-10-27T00:00:00.000Z',
      ],
    },
  ],
  [
    'Santiago, where 6 Sep starts at 01:00',
    {
      zone: 'America/Santiago',
      days: ['2026-09-05', '2026-09-06', '2026-09-07'],
      starts: [
        '2026-09-05T04:00:00.000Z',
        '2026-09-06T04:00:00.000Z',
        '2026-09-07T03:00:00.000Z',
        '2026-09-08T03:00:00.000Z',
      ],
    },
  ],
  [
    'Kathmandu (+05:45)',
    {
      zone: 'Asia/Kathmandu',
      days: ['2026-11-25', '2026-11-26'],
      starts: ['2026-11-24T18:15:00.000Z', '2026-11-25T18:15:00.000Z', '2026-11-26T18:15:00.000Z'],
    },
  ],
  [
    'UTC',
    {
      zone: 'UTC',
      days: ['2026-11-25', '2026-11-26'],
      starts: ['2026-11-25T00:00:00.000Z', '2026-11-26T00:00:00.000Z', '2026-11-27T00:00:00.000Z'],
    },
  ],
];

/** The shared suite: `openEngine` gives a fresh, empty engine for every test, closed after it. */
export function describeStoreContract(name: string, openEngine: () => Promise<Engine>): void {
  describe(`store contract: ${name}`, () => {
    let engine: Engine;
    let store: AssignmentStore;

    beforeEach(async () => {
      engine = await openEngine();
      store = createAssignmentStore(engine, () => RECEIVED);
      await store.init();
    });

    afterEach(async () => {
      await engine.close();
    });

    describe('team directory and enrichment', () => {
      const at2 = (iso: string) => new Date(iso);
      const week = () =>
        resolveRange({ kind: 'preset', preset: 'last_7_days' }, new Date('2026-11-27T10:00:00Z'), 'UTC');

      it("gives an event without a team its assignee's team, and an unassignment the previous assignee's", async () => {
        expect(
          await store.agents.upsert([
            { id: 'u2', name: 'Mei Tan', team: 'Support' },
            { id: 'u1', name: 'John Doe', team: 'Sales' },
          ]),
        ).toEqual({ added: 2, updated: 0 });
        await store.ingest([
          makeEvent({ id: 't1', timestamp: at2('2026-11-25T08:00:00Z'), assignee: MEI }),
          makeEvent({ id: 't2', timestamp: at2('2026-11-25T09:00:00Z'), assignee: null }),
          makeEvent({
            id: 't3',
            timestamp: at2('2026-11-25T10:00:00Z'),
            assignee: JOHN,
            team: { id: 'x', name: 'Given' },
          }),
        ]);
        expect((await store.report(week(), filters({ teams: ['support'] }))).total).toBe(2);
        expect((await store.report(week(), filters({ teams: ['Given'] }))).total).toBe(1);
      });

      it('keeps the team an event was given when the agent moves later', async () => {
        await store.agents.upsert([{ id: 'u2', name: 'Mei Tan', team: 'Support' }]);
        await store.ingest([makeEvent({ id: 'm1', timestamp: at2('2026-11-25T08:00:00Z'), assignee: MEI })]);
        expect(await store.agents.upsert([{ id: 'u2', name: 'Mei Tan', team: 'Sales' }])).toEqual({
          added: 0,
          updated: 1,
        });
        await store.ingest([
          makeEvent({ id: 'm2', contact: CHEN, timestamp: at2('2026-11-25T09:00:00Z'), assignee: MEI }),
        ]);
        expect((await store.report(week(), filters({ teams: ['Support'] }))).total).toBe(1);
        expect((await store.report(week(), filters({ teams: ['Sales'] }))).total).toBe(1);
      });

      it('enriches a webhook event from a matching log row within 2 minutes, once, and re-imports add nothing', async () => {
        await store.ingest(
          [
            makeEvent({
              id: 'wh-1',
              timestamp: at2('2026-11-25T08:00:00Z'),
              assignee: MEI,
              source: 'unknown',
            }),
          ],
          { origin: 'webhook' },
        );
        const row = makeEvent({
          timestamp: at2('2026-11-25T08:01:30Z'),
          assignee: { id: 'Mei Tan', name: 'Mei Tan' },
          previousAssignee: { id: 'John Doe', name: 'John Doe' },
          source: 'user',
          assignedBy: { id: 'Sarah Lee', name: 'Sarah Lee' },
        });
        const options = { enrichWithinMs: 120_000 };
        expect(await store.ingest([row], options)).toEqual(summary(0, 0, 0, 1));
        expect(await store.ingest([row], options)).toEqual(summary(0, 1, 0, 0));
        const report = await store.report(week(), NO_FILTERS);
        expect(report.total).toBe(1);
        expect(report.latest[0]).toMatchObject({
          source: 'user',
          assignedBy: { name: 'Sarah Lee' },
          previousAssignee: { name: 'John Doe' },
          assignee: { id: 'u2', name: 'Mei Tan' },
        });
        expect((await store.report(week(), filters({ assignedBy: ['sarah lee'] }))).total).toBe(1);
      });

      it('does not enrich outside the window or for another assignee; a name-only row equal to the state is unchanged', async () => {
        await store.ingest(
          [
            makeEvent({
              id: 'wh-2',
              timestamp: at2('2026-11-25T08:00:00Z'),
              assignee: MEI,
              source: 'unknown',
            }),
          ],
          { origin: 'webhook' },
        );
        const late = makeEvent({
          timestamp: at2('2026-11-25T08:02:01Z'),
          assignee: { id: 'John Doe', name: 'John Doe' },
          source: 'workflow',
        });
        expect(await store.ingest([late], { enrichWithinMs: 120_000 })).toEqual(summary(1, 0, 0, 0));
        const same = makeEvent({
          timestamp: at2('2026-11-25T09:00:00Z'),
          assignee: { id: 'john doe', name: 'John Doe' },
          source: 'workflow',
        });
        expect(await store.ingest([same], { enrichWithinMs: 120_000 })).toEqual(summary(0, 0, 1, 0));
      });
    });

    describe('ingest', () => {
      it('counts accepted, duplicate and unchanged events of one batch', async () => {
        const result = await store.ingest([
          makeEvent({ id: 'a1', timestamp: at('2026-11-26T08:15:00+08:00'), assignee: MEI }),
          makeEvent({ id: 'a2', timestamp: at('2026-11-26T09:00:00+08:00'), assignee: JOHN }),
          makeEvent({ id: 'a3', timestamp: at('2026-11-26T09:30:00+08:00'), assignee: JOHN }),
          makeEvent({ id: 'a1', timestamp: at('2026-11-26T08:15:00+08:00'), assignee: MEI }),
        ]);
        expect(result).toEqual(summary(2, 1, 1));
        expect(await links(engine)).toEqual(['-→u2', 'u2→u1']);
      });

      it('treats a known id as a duplicate in a later call, whatever the event says', async () => {
        expect(await store.ingest([makeEvent({ id: 'x-1' })])).toEqual(summary(1, 0, 0));
        const resent = makeEvent({ id: 'x-1', timestamp: at('2026-11-26T09:00:00+08:00'), assignee: JOHN });
        expect(await store.ingest([resent])).toEqual(summary(0, 1, 0));
        expect(await links(engine)).toEqual(['-→u2']);
      });

      it('recognises a resend without an id by its content', async () => {
        expect(await store.ingest([makeEvent()])).toEqual(summary(1, 0, 0));
        expect(await store.ingest([makeEvent()])).toEqual(summary(0, 1, 0));
        // A minute later it is another event, and no change.
        const later = makeEvent({ timestamp: at('2026-11-26T08:16:00+08:00') });
        expect(await store.ingest([later])).toEqual(summary(0, 0, 1));
        expect(await links(engine)).toEqual(['-→u2']);
      });

      it('counts an assignee equal to the current one (by id) as unchanged, which counts nowhere', async () => {
        await store.ingest([makeEvent({ id: 'a1' })]);
        const again = makeEvent({
          id: 'a2',
          timestamp: at('2026-11-26T10:00:00+08:00'),
          assignee: { id: 'u2', name: 'Mei T.' },
          source: 'bot',
        });
        expect(await store.ingest([again])).toEqual(summary(0, 0, 1));
        expect(await links(engine)).toEqual(['-→u2']);
      });

      it('stores and counts an unassignment; unassigning nobody is no change', async () => {
        const result = await store.ingest([
          makeEvent({ id: 'a1' }),
          makeEvent({ id: 'a2', timestamp: at('2026-11-26T09:00:00+08:00'), assignee: null }),
          makeEvent({ id: 'b1', contact: BEN, assignee: null }),
        ]);
        expect(result).toEqual(summary(2, 0, 1));
        expect(await links(engine)).toEqual(['-→u2', 'u2→-']);
        expect(await links(engine, BEN.id)).toEqual([]);
      });

      it('derives an omitted previous assignee from the contact’s current one, null for a new contact', async () => {
        await store.ingest([makeEvent({ id: 'a1' })]);
        await store.ingest([
          makeEvent({
            id: 'a2',
            timestamp: at('2026-11-26T09:00:00+08:00'),
            assignee: JOHN,
            source: 'user',
            assignedBy: FARAH,
            team: SUPPORT,
          }),
        ]);
        const [first, second] = await storedEvents(engine);
        expect(first?.previousAssignee).toBeNull();
        expect(second).toMatchObject({
          ts: at('2026-11-26T01:00:00Z'),
          conversationId: '88231',
          contact: AISHA,
          previousAssignee: MEI,
          assignee: JOHN,
          source: 'user',
          assignedBy: FARAH,
          team: SUPPORT,
          keys: {
            assignee: ['u1', 'john doe'],
            assignedBy: ['u7', 'farah aziz'],
            contact: ['1234567', 'aisha rahman'],
            team: ['t1', 'support'],
          },
          receivedAt: RECEIVED,
        });
      });

      it('keeps an explicit previous assignee as given, null included, and moves on from the new one', async () => {
        await store.ingest([makeEvent({ id: 'a1' })]);
        await store.ingest([
          makeEvent({
            id: 'a2',
            timestamp: at('2026-11-26T09:00:00+08:00'),
            assignee: JOHN,
            previousAssignee: RAVI,
          }),
          makeEvent({
            id: 'a3',
            timestamp: at('2026-11-26T10:00:00+08:00'),
            assignee: SITI,
            previousAssignee: null,
          }),
        ]);
        await store.ingest([
          makeEvent({ id: 'a4', timestamp: at('2026-11-26T11:00:00+08:00'), assignee: MEI }),
        ]);
        expect(await links(engine)).toEqual(['-→u2', 'u3→u1', '-→u4', 'u4→u2']);
      });

      it('places a late event in time order: it takes the assignee before it, the one after follows it', async () => {
        await store.ingest([
          makeEvent({ id: 'e1', timestamp: at('2026-11-26T08:00:00+08:00'), assignee: MEI }),
          makeEvent({ id: 'e2', timestamp: at('2026-11-26T10:00:00+08:00'), assignee: JOHN }),
        ]);
        const late = makeEvent({ id: 'late', timestamp: at('2026-11-26T09:00:00+08:00'), assignee: RAVI });
        expect(await store.ingest([late])).toEqual(summary(1, 0, 0));
        // The next event still follows John, the newest assignee, not the late Ravi.
        const next = makeEvent({ id: 'e3', timestamp: at('2026-11-26T11:00:00+08:00'), assignee: SITI });
        expect(await store.ingest([next])).toEqual(summary(1, 0, 0));
        // John's event, whose sender did not say who had it before, now comes after Ravi's.
        expect(await links(engine)).toEqual(['-→u2', 'u2→u3', 'u3→u1', 'u1→u4']);
      });

      it('judges late events against the log: no change, nobody before, an explicit null kept', async () => {
        await store.ingest([
          makeEvent({ id: 'e1', timestamp: at('2026-11-26T08:00:00+08:00'), assignee: MEI }),
          makeEvent({ id: 'e2', timestamp: at('2026-11-26T10:00:00+08:00'), assignee: JOHN }),
        ]);
        const result = await store.ingest([
          // Mei already had the contact at 09:00.
          makeEvent({ id: 'same', timestamp: at('2026-11-26T09:00:00+08:00'), assignee: MEI }),
          // Before anything in the log.
          makeEvent({ id: 'first', timestamp: at('2026-11-26T07:00:00+08:00'), assignee: RAVI }),
          makeEvent({
            id: 'explicit',
            timestamp: at('2026-11-26T09:30:00+08:00'),
            assignee: SITI,
            previousAssignee: null,
          }),
        ]);
        expect(result).toEqual(summary(2, 0, 1));
        // In time order: Ravi first; Mei after Ravi; Mei again (no change); Siti from nobody, as her sender
        // said; John after Siti.
        expect(await links(engine)).toEqual(['-→u3', 'u3→u2', '-→u4', 'u4→u1']);
      });

      it('never gives concurrent events for one contact the same previous assignee', async () => {
        await store.ingest([makeEvent({ id: 'start', timestamp: at('2026-11-26T08:00:00+08:00') })]);
        const newcomers = ['u11', 'u12', 'u13', 'u14', 'u15', 'u16'].map((id) => ({
          id,
          name: `Agent ${id}`,
        }));
        const sameSecond = at('2026-11-26T09:00:00+08:00');
        const calls = [AISHA, BEN].flatMap((contact) =>
          newcomers.map((assignee) =>
            store.ingest([makeEvent({ timestamp: sameSecond, contact, assignee })]),
          ),
        );
        const results = await Promise.all(calls);
        expect(results.reduce(addSummaries)).toEqual(summary(12, 0, 0));

        const aisha = await storedEvents(engine, AISHA.id);
        expect(new Set(aisha.map((e) => who(e.previousAssignee))).size).toBe(7);
        const aishaChain = walkChain(aisha, '-');
        expect(aishaChain.slice(0, 1)).toEqual(['u2']);
        expect([...aishaChain].sort()).toEqual(['u11', 'u12', 'u13', 'u14', 'u15', 'u16', 'u2']);

        const ben = await storedEvents(engine, BEN.id);
        expect(new Set(ben.map((e) => who(e.previousAssignee))).size).toBe(6);
        const benChain = walkChain(ben, '-');
        expect([...benChain].sort()).toEqual(['u11', 'u12', 'u13', 'u14', 'u15', 'u16']);

        // The contact's state ended where the chain ends.
        await store.ingest([
          makeEvent({ id: 'after', timestamp: at('2026-11-26T10:00:00+08:00'), assignee: MEI }),
        ]);
        const last = (await storedEvents(engine, AISHA.id)).at(-1);
        expect(last?.previousAssignee?.id).toBe(aishaChain.at(-1));
      });

      it('stores an event sent twice at once exactly once', async () => {
        const event = makeEvent({ id: 'twice' });
        const results = await Promise.all([store.ingest([event]), store.ingest([event])]);
        expect(results.map((r) => r.accepted).sort()).toEqual([0, 1]);
        expect(results.map((r) => r.duplicates).sort()).toEqual([0, 1]);
        expect(await links(engine)).toEqual(['-→u2']);
      });

      it('records events for many contacts in one batch, each contact in time order', async () => {
        const contacts = Array.from({ length: 50 }, (_, i) => ({ id: `c${i}`, name: `Contact ${i}` }));
        const steps: [string, Party][] = [
          ['2026-11-26T10:00:00+08:00', RAVI],
          ['2026-11-26T09:00:00+08:00', JOHN],
          ['2026-11-26T08:00:00+08:00', MEI],
        ];
        // Newest first, contacts interleaved: the store must sort each contact's events itself.
        const batch = steps.flatMap(([time, assignee]) =>
          contacts.map((contact) => makeEvent({ timestamp: at(time), contact, assignee })),
        );
        expect(await store.ingest(batch)).toEqual(summary(150, 0, 0));
        const stored = await storedEvents(engine);
        expect(stored).toHaveLength(150);
        for (const contact of contacts)
          expect(await links(engine, contact.id)).toEqual(['-→u2', 'u2→u1', 'u1→u3']);
      });

      it('counts duplicates within a batch, by id and by content', async () => {
        const result = await store.ingest([
          makeEvent({ id: 'x' }),
          makeEvent({ id: 'x', assignee: JOHN }),
          makeEvent({ contact: BEN }),
          makeEvent({ contact: BEN }),
          makeEvent({ contact: CHEN }),
        ]);
        expect(result).toEqual(summary(3, 2, 0));
        // Sent twice, an event that changes nothing is one no-change and one duplicate.
        const noChange = makeEvent({ id: 'y', timestamp: at('2026-11-26T09:00:00+08:00') });
        expect(await store.ingest([noChange, noChange])).toEqual(summary(0, 1, 1));
        expect(await storedEvents(engine)).toHaveLength(3);
        expect(await collect(engine.collection(EVENTS).find({ unchanged: true }))).toHaveLength(1);
      });
    });

    describe('report', () => {
      const LAST_7_DAYS = resolveRange({ kind: 'preset', preset: 'last_7_days' }, NOW, KUALA_LUMPUR);

      beforeEach(async () => {
        // Newest first: ingest orders each contact's events itself.
        expect(await store.ingest(reportEvents().reverse())).toEqual(summary(16, 0, 0));
      });

      it('totals the range per source, per day and for the period before', async () => {
        const report = await store.report(LAST_7_DAYS, NO_FILTERS);
        expect(LAST_7_DAYS.from).toEqual(at('2026-11-19T16:00:00Z'));
        expect(report.total).toBe(12);
        expect(report.previousTotal).toBe(2);
        expect(sourceCounts(report)).toEqual({
          developer_api: 1,
          workflow: 4,
          bot: 2,
          zapier: 1,
          user: 2,
          contact_import: 1,
          close_conversation: 1,
        });
        expect(dayTotals(report)).toEqual([
          ['2026-11-20', 2],
          ['2026-11-21', 1],
          ['2026-11-22', 0],
          ['2026-11-23', 2],
          ['2026-11-24', 1],
          ['2026-11-25', 2],
          ['2026-11-26', 4],
        ]);
        expect(report.byDay.at(-1)?.counts).toEqual({
          developer_api: 0,
          workflow: 3,
          bot: 1,
          zapier: 0,
          user: 0,
          contact_import: 0,
          close_conversation: 0,
          unknown: 0,
        });
        expect(report.notices).toEqual([]);
      });

      it('lists the latest ten, newest first, ties on time broken the same way every time', async () => {
        const report = await store.report(LAST_7_DAYS, NO_FILTERS);
        expect(report.latest.map(describeRow)).toEqual([
          'Chen Wei: Mei Tan → none',
          'Ben Lim: John Doe → Mei Tan',
          'Chen Wei: John Doe → Mei Tan',
          'Aisha Rahman: none → John Doe',
          'Ben Lim: none → John Doe',
          'Aisha Rahman: Mei Tan → none',
          'Chen Wei: Mei Tan → John Doe',
          'Aisha Rahman: John Doe → Mei Tan',
          'Chen Wei: none → Mei Tan',
          'Ben Lim: Mei Tan → none',
        ]);
        expect(report.latest.map((r) => r.timestamp.toISOString())).toEqual([
          '2026-11-26T01:30:00.000Z',
          '2026-11-25T23:00:00.000Z',
          '2026-11-25T23:00:00.000Z',
          '2026-11-25T23:00:00.000Z',
          '2026-11-25T10:00:00.000Z',
          '2026-11-25T00:15:00.000Z',
          '2026-11-24T04:00:00.000Z',
          '2026-11-23T00:00:00.000Z',
          '2026-11-23T00:00:00.000Z',
          '2026-11-21T06:00:00.000Z',
        ]);
        expect(report.latest[5]).toEqual({
          timestamp: at('2026-11-25T00:15:00Z'),
          conversationId: '88231',
          contact: AISHA,
          previousAssignee: MEI,
          assignee: null,
          source: 'user',
          assignedBy: FARAH,
        });
        const again = await store.report(LAST_7_DAYS, NO_FILTERS, 4);
        expect(again.latest.map(describeRow)).toEqual(report.latest.slice(0, 4).map(describeRow));
      });

      it.each<[string, Partial<ReportFilters>, number, number]>([
        ['source:workflow', { sources: ['workflow'] }, 4, 1],
        ['source:workflow,bot', { sources: ['workflow', 'bot'] }, 6, 2],
        ['assignee:u2 (an id)', { assignees: ['u2'] }, 5, 1],
        ['assignee:"MEI TAN" (a name, any case)', { assignees: ['MEI TAN'] }, 5, 1],
        ['assignee:"john doe"', { assignees: ['john doe'] }, 4, 1],
        ['assignee:none (unassignments only)', { assignees: ['none'] }, 3, 0],
        ['assignee:none,u1', { assignees: ['none', 'u1'] }, 7, 1],
        ['by:u7', { assignedBy: ['u7'] }, 2, 0],
        ['by:"farah aziz"', { assignedBy: ['farah aziz'] }, 2, 0],
        ['contact:1234570 (an id)', { contacts: ['1234570'] }, 4, 0],
        ['contact:"Chen Wei" (a name)', { contacts: ['Chen Wei'] }, 4, 0],
        ['contact:"aisha rahman"', { contacts: ['aisha rahman'] }, 4, 2],
        ['conversation:90001', { conversations: ['90001'] }, 2, 0],
        ['conversation:88231', { conversations: ['88231'] }, 9, 2],
        ['team:support (a name)', { teams: ['support'] }, 3, 0],
        ['team:T2 (an id)', { teams: ['T2'] }, 2, 0],
        ['source:workflow assignee:"mei tan"', { sources: ['workflow'], assignees: ['mei tan'] }, 2, 0],
        ['contact:1234567 source:bot', { contacts: ['1234567'], sources: ['bot'] }, 1, 1],
      ])('filters by %s', async (_, partial, total, previousTotal) => {
        const report = await store.report(LAST_7_DAYS, filters(partial));
        expect([report.total, report.previousTotal]).toEqual([total, previousTotal]);
        expect(report.latest).toHaveLength(Math.min(total, 10));
        expect(dayTotals(report).reduce((a, [, n]) => a + n, 0)).toBe(total);
      });

      it('shows only unassignments, per day and in the log, for assignee:none', async () => {
        const report = await store.report(LAST_7_DAYS, filters({ assignees: ['none'] }));
        expect(sourceCounts(report)).toEqual({ workflow: 1, user: 1, close_conversation: 1 });
        expect(dayTotals(report).filter(([, n]) => n !== 0)).toEqual([
          ['2026-11-21', 1],
          ['2026-11-25', 1],
          ['2026-11-26', 1],
        ]);
        expect(report.latest.map(describeRow)).toEqual([
          'Chen Wei: Mei Tan → none',
          'Aisha Rahman: Mei Tan → none',
          'Ben Lim: Mei Tan → none',
        ]);
      });

      it('says there is no applicable data when the filters match nothing', async () => {
        const report = await store.report(LAST_7_DAYS, filters({ sources: ['zapier'], assignees: ['none'] }));
        expect(report.total).toBe(0);
        expect(report.latest).toEqual([]);
        expect(dayTotals(report).every(([, n]) => n === 0)).toBe(true);
        expect(report.notices).toEqual([
          'No applicable data: no assignments match `source:zapier assignee:none` in this range.',
        ]);
      });

      it('says the range is empty when nothing happened in it', async () => {
        const range = resolveRange(
          { kind: 'dates', from: '2026-01-05', to: '2026-01-06' },
          NOW,
          KUALA_LUMPUR,
        );
        const report = await store.report(range, NO_FILTERS);
        expect([report.total, report.previousTotal, report.latest.length]).toEqual([0, 0, 0]);
        expect(report.notices).toEqual(['No assignments in this range.']);
      });
    });

    describe('days start at local midnight', () => {
      it.each(MIDNIGHTS)('%s', async (_, { zone, days, starts }) => {
        // An event at each day's first instant and one a millisecond before it, each for its own contact.
        const events = starts.flatMap((start, i) => [
          makeEvent({ timestamp: at(start), contact: { id: `m${i}`, name: `At ${start}` } }),
          makeEvent({
            timestamp: new Date(at(start).getTime() - 1),
            contact: { id: `b${i}`, name: `Before ${start}` },
          }),
        ]);
        expect(await store.ingest(events)).toEqual(summary(events.length, 0, 0));
        const first = days[0] ?? '';
        const last = days.at(-1) ?? '';
        const spec: RangeSpec = { kind: 'dates', from: first, to: last };
        // Resolved once the days are over, so that they are compared with the whole days before them.
        const range = resolveRange(spec, at(starts.at(-1) ?? ''), zone);
        expect([range.from.toISOString(), range.to.toISOString()]).toEqual([starts[0], starts.at(-1)]);

        const report = await store.report(range, NO_FILTERS);
        // Each day has its own first instant and the millisecond before the next day's.
        expect(dayTotals(report)).toEqual(days.map((day) => [day, 2]));
        // The millisecond before the first day is the day before; the last start is outside the range.
        expect(report.previousTotal).toBe(1);
        expect(report.latest.at(-1)?.timestamp).toEqual(at(starts[0] ?? ''));
      });
    });

    describe('engine', () => {
      let c: StoreCollection;

      beforeEach(() => {
        c = engine.collection('contract_scratch');
      });

      const insert = (docs: Doc[]) =>
        c.upsertMany(docs.map(({ _id, ...rest }) => ({ filter: { _id }, update: { $setOnInsert: rest } })));

      it('upserts with $setOnInsert once; the second call matches without changing', async () => {
        const first = await c.updateOne(
          { _id: 'a' },
          { $setOnInsert: { owner: 'x', n: 1 }, $set: { seen: 1 } },
          { upsert: true },
        );
        expect(first).toEqual({ matched: 0, modified: 0, upserted: true });
        const second = await c.updateOne(
          { _id: 'a' },
          { $setOnInsert: { owner: 'y', n: 2 } },
          { upsert: true },
        );
        expect(second).toEqual({ matched: 1, modified: 0, upserted: false });
        expect(await c.findOne({ _id: 'a' })).toEqual({ _id: 'a', owner: 'x', n: 1, seen: 1 });
        const third = await c.updateOne({ _id: 'a' }, { $setOnInsert: { owner: 'z' }, $set: { seen: 2 } });
        expect(third).toEqual({ matched: 1, modified: 1, upserted: false });
        expect(await c.findOne({ _id: 'a' })).toEqual({ _id: 'a', owner: 'x', n: 1, seen: 2 });
      });

      it('counts an update that sets what is already there as matched, not modified', async () => {
        await insert([{ _id: 'a', owner: 'x', at: at('2026-11-26T00:00:00Z'), who: { id: 'u1' } }]);
        const plain = await c.updateOne(
          { _id: 'a' },
          { $set: { owner: 'x', at: at('2026-11-26T00:00:00Z') } },
        );
        expect(plain).toEqual({ matched: 1, modified: 0, upserted: false });
        const dotted = await c.updateOne({ _id: 'a' }, { $set: { 'who.id': 'u1' } });
        expect(dotted).toEqual({ matched: 1, modified: 0, upserted: false });
        const missing = await c.updateOne({ _id: 'b' }, { $set: { owner: 'x' } });
        expect(missing).toEqual({ matched: 0, modified: 0, upserted: false });
      });

      it('answers upsertMany with which ops inserted', async () => {
        expect(await c.upsertMany([])).toEqual({ inserted: [] });
        await insert([{ _id: 'b', n: 1 }]);
        const result = await c.upsertMany([
          { filter: { _id: 'a' }, update: { $setOnInsert: { n: 10 } } },
          { filter: { _id: 'b' }, update: { $setOnInsert: { n: 20 } } },
          { filter: { _id: 'c' }, update: { $setOnInsert: { n: 30 } } },
        ]);
        expect(result).toEqual({ inserted: [true, false, true] });
        expect(await collect(c.find({}, { sort: { _id: 1 } }))).toEqual([
          { _id: 'a', n: 10 },
          { _id: 'b', n: 1 },
          { _id: 'c', n: 30 },
        ]);
      });

      it('finds with sort, skip and limit', async () => {
        await insert(
          [3, 9, 0, 7, 1, 8, 2, 6, 4, 5].map((n) => ({
            _id: `d${n}`,
            n,
            group: n % 2 === 0 ? 'even' : 'odd',
          })),
        );
        const page = await collect(c.find({ group: 'even' }, { sort: { n: -1 }, skip: 1, limit: 3 }));
        expect(page.map((d) => d.n)).toEqual([6, 4, 2]);
        const byTwoKeys = await collect(c.find({}, { sort: { group: 1, n: 1 }, limit: 6 }));
        expect(byTwoKeys.map((d) => d._id)).toEqual(['d0', 'd2', 'd4', 'd6', 'd8', 'd1']);
        expect(await c.findOne({ n: { $gte: 4 } }, { sort: { n: 1 } })).toEqual({
          _id: 'd4',
          n: 4,
          group: 'even',
        });
        expect(await c.findOne({ n: 42 })).toBeNull();
        expect(await c.deleteMany({ group: 'odd' })).toBe(5);
        expect(ids(await collect(c.find({})))).toEqual(['d0', 'd2', 'd4', 'd6', 'd8']);
      });

      it('groups 2,000 instants by local day exactly as Intl does, in five zones, from local midnights', async () => {
        const random = seededRandom(20261126);
        const yearStart = Date.UTC(2026, 0, 1);
        const yearMs = Date.UTC(2027, 0, 1) - yearStart;
        const quarterHour = 15 * 60 * 1000;
        // Half anywhere, half on or a millisecond before a quarter hour, where every local midnight falls.
        const instants = Array.from({ length: 2000 }, (_, i) => {
          const t = yearStart + Math.floor(random() * yearMs);
          return new Date(
            i % 2 === 0 ? t : Math.floor(t / quarterHour) * quarterHour - (i % 4 === 1 ? 1 : 0),
          );
        });
        await insert(instants.map((ts, i) => ({ _id: `t${i}`, ts })));
        const year = {
          from: new Date(yearStart - 86_400_000),
          to: new Date(yearStart + yearMs + 86_400_000),
        };

        for (const zone of [
          'Asia/Kathmandu',
          'America/Santiago',
          'Australia/Lord_Howe',
          'America/New_York',
          'UTC',
        ]) {
          const expected = new Map<string, number>();
          for (const instant of instants) {
            const day = intlDay(instant, zone);
            expected.set(day, (expected.get(day) ?? 0) + 1);
          }
          // The expression the store sends: it compares with instants, and names no zone.
          const day = localDayOfTs(year, zone);
          expect(JSON.stringify(day)).not.toContain(zone);
          const grouped = await c.aggregate([{ $group: { _id: day, count: { $sum: 1 } } }]);
          const actual = grouped.map((g) => [g._id, g.count]).sort();
          expect(actual, zone).toEqual([...expected].sort());

          const perDoc = await c.aggregate([{ $project: { day } }]);
          const wrong = perDoc.filter(
            (d) => d.day !== intlDay(instants[Number(String(d._id).slice(1))] ?? NOW, zone),
          );
          expect(wrong, zone).toEqual([]);
        }
      });

      it('leaves stored documents alone when a pipeline or a caller changes what it got', async () => {
        await insert([{ _id: 'a', nested: { n: 1 }, tags: ['x'] }]);
        const out = await c.aggregate([{ $set: { 'nested.n': 2, extra: true } }, { $unset: 'tags' }]);
        expect(out).toEqual([{ _id: 'a', nested: { n: 2 }, extra: true }]);
        const found = await c.findOne({ _id: 'a' });
        if (Array.isArray(found?.tags)) found.tags.push('y');
        for (const doc of await collect(c.find({}))) (doc.nested as { n: number }).n = 3;
        expect(await c.findOne({ _id: 'a' })).toEqual({ _id: 'a', nested: { n: 1 }, tags: ['x'] });
      });

      describe('indexed lookups answer as a plain scan does', () => {
        it('an _id $in lookup', async () => {
          await insert(Array.from({ length: 40 }, (_, n) => ({ _id: `d${n}`, n })));
          const scan = await collect(c.find({}));
          const wanted = ['d17', 'd3', 'missing', 'd39', 'd3'];
          const found = await collect(c.find({ _id: { $in: wanted } }));
          expect(ids(found)).toEqual(['d17', 'd3', 'd39']);
          expect(ids(found)).toEqual(ids(scan.filter((d) => wanted.includes(String(d._id)))));
          const narrowed = await collect(c.find({ _id: { $in: wanted }, n: { $gt: 10 } }));
          expect(ids(narrowed)).toEqual(['d17', 'd39']);
          expect(await c.findOne({ _id: 'd17' })).toEqual({ _id: 'd17', n: 17 });
          expect(await c.findOne({ _id: 'missing' })).toBeNull();
        });

        it('equality on indexed fields after updates change them', async () => {
          await c.createIndexes([
            { name: 'owner', keys: { owner: 1 } },
            { name: 'tags', keys: { tags: 1 } },
            { name: 'who_id', keys: { 'who.id': 1, n: -1 } },
          ]);
          await insert(
            Array.from({ length: 20 }, (_, n) => ({
              _id: `d${String(n).padStart(2, '0')}`,
              n,
              owner: n % 2 === 0 ? 'a' : 'b',
              tags: n % 3 === 0 ? ['x', 'y'] : ['y'],
              who: { id: `w${n % 4}` },
            })),
          );
          await c.updateOne({ _id: 'd01' }, { $set: { owner: 'c' } });
          await c.updateOne({ _id: 'd02' }, { $set: { owner: 'c' }, $inc: { n: 100 } });
          await c.updateOne({ owner: 'c', n: 102 }, { $set: { owner: 'a' } });
          await c.updateOne({ _id: 'd04' }, { $set: { 'who.id': 'w9' } });
          await c.updateOne({ _id: 'd05' }, { $push: { tags: 'x' } });
          await c.updateOne({ _id: 'd06' }, { $pull: { tags: 'x' } });
          await c.updateOne(
            { _id: 'd20' },
            { $set: { owner: 'c', tags: ['x'], who: { id: 'w9' } } },
            { upsert: true },
          );
          expect(await c.deleteMany({ _id: 'd08' })).toBe(1);

          const scan = await collect(c.find({}));
          const cases: [Doc, (d: Doc) => boolean, string[]][] = [
            [{ owner: 'c' }, (d) => d.owner === 'c', ['d01', 'd20']],
            [
              { owner: 'a' },
              (d) => d.owner === 'a',
              ['d00', 'd02', 'd04', 'd06', 'd10', 'd12', 'd14', 'd16', 'd18'],
            ],
            [{ owner: { $in: ['zzz', 'c'] } }, (d) => d.owner === 'c', ['d01', 'd20']],
            [
              { tags: 'x' },
              (d) => (d.tags as string[]).includes('x'),
              ['d00', 'd03', 'd05', 'd09', 'd12', 'd15', 'd18', 'd20'],
            ],
            [{ 'who.id': 'w9' }, (d) => (d.who as Doc).id === 'w9', ['d04', 'd20']],
            [{ 'who.id': 'w0' }, (d) => (d.who as Doc).id === 'w0', ['d00', 'd12', 'd16']],
            [
              { owner: 'a', tags: 'x' },
              (d) => d.owner === 'a' && (d.tags as string[]).includes('x'),
              ['d00', 'd12', 'd18'],
            ],
          ];
          for (const [filter, test, expected] of cases) {
            const found = await collect(c.find(filter));
            expect(ids(found), JSON.stringify(filter)).toEqual(expected);
            expect(ids(found), JSON.stringify(filter)).toEqual(ids(scan.filter(test)));
            const one = await c.findOne(filter);
            expect(one && expected.includes(String(one._id)), JSON.stringify(filter)).toBe(true);
          }
        });

        it('a $match, $sort, $limit top-k with many ties on ts', async () => {
          await c.createIndexes([{ name: 'ts', keys: { ts: -1, _id: -1 } }]);
          const day = (d: number) => at(`2026-11-2${d}T00:00:00Z`);
          const instants = [1, 2, 3, 4, 5, 6].map(day);
          // _ids in no relation to insertion order or time.
          await insert(
            Array.from({ length: 240 }, (_, i) => ({
              _id: String((919 * i) % 1000).padStart(3, '0'),
              ts: instants[i % 6],
              kind: i % 3 === 0 ? 'x' : 'y',
            })),
          );
          const window = { $gte: day(2), $lt: day(6) };
          const check = async (label: string) => {
            const scan = await collect(c.find({}));
            const sorts: [Record<string, 1 | -1>, number][] = [
              [{ ts: -1, _id: -1 }, 7],
              [{ ts: -1, _id: -1 }, 1],
              [{ ts: 1, _id: 1 }, 9],
              [{ ts: -1, _id: 1 }, 45],
              [{ ts: -1, _id: -1 }, 1000],
            ];
            for (const [sort, limit] of sorts) {
              const pipeline = [{ $match: { ts: window, kind: 'x' } }, { $sort: sort }, { $limit: limit }];
              const got = (await c.aggregate(pipeline)).map((d) => d._id);
              const expected = scan
                .filter(
                  (d) => d.kind === 'x' && d.ts instanceof Date && d.ts >= window.$gte && d.ts < window.$lt,
                )
                .sort((a, b) => {
                  const dt = ((a.ts as Date).getTime() - (b.ts as Date).getTime()) * (sort.ts ?? 1);
                  return dt || (String(a._id) < String(b._id) ? -1 : 1) * (sort._id ?? 1);
                })
                .slice(0, limit)
                .map((d) => d._id);
              expect(got, `${label} ${JSON.stringify(sort)} ${limit}`).toEqual(expected);
            }
          };
          await check('as inserted');
          // Move documents in time (one within the window) and add one at the newest instant: the index must follow.
          await c.updateOne({ _id: '000' }, { $set: { ts: day(5) } });
          await c.updateOne({ _id: '838' }, { $set: { ts: day(5), kind: 'x' } });
          await c.updateOne({ _id: '919' }, { $set: { ts: day(1), kind: 'x' } });
          await c.updateOne({ _id: 'new' }, { $set: { ts: day(5), kind: 'x' } }, { upsert: true });
          await check('after updates');
          expect(await c.deleteMany({ ts: day(4), _id: { $lt: '500' } })).toBeGreaterThan(0);
          await check('after a delete');
        });
      });
    });
  });
}
