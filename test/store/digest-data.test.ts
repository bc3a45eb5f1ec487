import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { quickchartPublisher } from '../../src/charts/chart-publisher.ts';
import { type DigestData, summarizeDigest } from '../../src/domain/digest-summary.ts';
import type { AssignmentEvent, Party } from '../../src/domain/event.ts';
import { NO_FILTERS } from '../../src/domain/filters.ts';
import { answerReport } from '../../src/reports/answer-report.ts';
import { type AssignmentStore, createAssignmentStore } from '../../src/store/assignment-store.ts';
import type { Engine } from '../../src/store/collection.ts';
import { createDigestData, DIGEST_LOG_ROWS } from '../../src/store/digest-data.ts';
import { makeEvent } from '../builders/event.ts';
import { testEngines } from './engines.ts';

const SUPPORT: Party = { id: 'support', name: 'Support' };
const SALES: Party = { id: 'sales', name: 'Sales' };
const MEI: Party = { id: 'u2', name: 'Mei Tan' };
const JOHN: Party = { id: 'u1', name: 'John Doe' };
const ALI: Party = { id: 'u9', name: 'Ali Hassan' };

const contact = (id: string): Party => ({ id, name: `Contact ${id}` });

let n = 0;
/** An event with its own id; Support's unless told otherwise. */
function at(iso: string, assignee: Party | null, overrides: Partial<AssignmentEvent> = {}): AssignmentEvent {
  return makeEvent({ id: `e${++n}`, timestamp: new Date(iso), assignee, team: SUPPORT, ...overrides });
}

const ENGINES = testEngines('digest');

let engine: Engine;
let store: AssignmentStore;

async function load(day: string, zone: string, filters = NO_FILTERS, team = 'Support'): Promise<DigestData> {
  return createDigestData(engine).load({ team, day, zone, filters });
}

/** Counts as "day source count" lines. */
function countLines(data: DigestData): string[] {
  return data.counts.map((c) => `${c.day} ${c.source} ${c.count}`).sort();
}

describe.each(ENGINES)('digest data: %s', (_name, openEngine) => {
  beforeEach(async () => {
    engine = await openEngine();
    store = createAssignmentStore(engine);
    await store.init();
  });

  afterEach(() => engine.close());

  describe('a day in Kuala Lumpur', () => {
    // Thursday 26 Nov 2026 there is [2026-11-25T16:00Z, 2026-11-26T16:00Z).
    const DAY = '2026-11-26';
    const ZONE = 'Asia/Kuala_Lumpur';

    beforeEach(async () => {
      await store.ingest([
        // History: 29 days back is outside the window; 28 days back, the day before and last Thursday are in.
        at('2026-10-28T04:00:00Z', MEI, { contact: contact('h1') }),
        at('2026-10-29T04:00:00Z', MEI, { contact: contact('h2') }),
        at('2026-11-19T04:00:00Z', MEI, { contact: contact('h3') }),
        at('2026-11-19T05:00:00Z', JOHN, { contact: contact('h4'), source: 'bot' }),
        // Conversation 100 was Mei's before the day; then John, Sales' Ali, and back to Mei.
        at('2026-11-25T03:00:00Z', MEI, { contact: contact('c1'), conversationId: '100' }),
        // Exactly local midnight: the first instant of the day.
        at('2026-11-25T16:00:00Z', JOHN, { contact: contact('c1'), conversationId: '100', source: 'user' }),
        at('2026-11-26T01:00:00Z', ALI, { contact: contact('c1'), conversationId: '100', team: SALES }),
        at('2026-11-26T02:00:00Z', MEI, { contact: contact('c1'), conversationId: '100', source: 'bot' }),
        // Conversation 200: Mei's, then closed at 23:00 local.
        at('2026-11-26T02:30:00Z', MEI, { contact: contact('c2'), conversationId: '200' }),
        at('2026-11-26T15:00:00Z', null, {
          contact: contact('c2'),
          conversationId: '200',
          source: 'close_conversation',
        }),
        // A contact without a conversation id: John's, then unassigned.
        at('2026-11-26T03:00:00Z', JOHN, { contact: contact('c3'), conversationId: null }),
        at('2026-11-26T04:00:00Z', null, { contact: contact('c3'), conversationId: null, source: 'user' }),
        // Sales' own conversation: not Support's business.
        at('2026-11-26T05:00:00Z', ALI, { contact: contact('c4'), conversationId: '300', team: SALES }),
        // Exactly the next local midnight: Friday's.
        at('2026-11-26T16:00:00Z', JOHN, { contact: contact('c5'), conversationId: '500' }),
      ]);
    });

    it('counts per day and source over the day and the 28 days before it, for the team only', async () => {
      expect(countLines(await load(DAY, ZONE))).toEqual([
        '2026-10-29 workflow 1',
        '2026-11-19 bot 1',
        '2026-11-19 workflow 1',
        '2026-11-25 workflow 1',
        '2026-11-26 bot 1',
        '2026-11-26 close_conversation 1',
        '2026-11-26 user 2',
        '2026-11-26 workflow 2',
      ]);
    });

    it('counts the day by assignee, with unassignments as nobody', async () => {
      const data = await load(DAY, ZONE);
      const byAgent = data.byAgent.map((a) => `${a.agent?.name ?? 'Unassigned'} ${a.count}`).sort();
      expect(byAgent).toEqual(['John Doe 2', 'Mei Tan 2', 'Unassigned 2']);
    });

    it("reads each touched conversation's whole day in order, other teams' moves included but not counted", async () => {
      const data = await load(DAY, ZONE);
      const lines = data.conversations
        .map(
          (c) =>
            `${c.conversationId ?? c.contact.id}: ${c.moves[0]?.previous?.name ?? '-'} > ${c.moves
              .map((m) => `${m.assignee?.name ?? '-'}${m.counted ? '' : ' (not counted)'}`)
              .join(' > ')}`,
        )
        .sort();
      expect(lines).toEqual([
        '100: Mei Tan > John Doe > Ali Hassan (not counted) > Mei Tan',
        '200: - > Mei Tan > -',
        'c3: - > John Doe > -',
      ]);
    });

    it('finds the bounce and what was left unassigned at the end of the day', async () => {
      const summary = summarizeDigest(await load(DAY, ZONE));
      expect(summary.bounced.map((b) => [b.conversationId, b.moves, b.reasons, b.returnedTo?.name])).toEqual([
        ['100', 3, ['many_moves', 'returned'], 'Mei Tan'],
      ]);
      // c3 was unassigned by a user and is still open; 200 was closed, so it is only counted.
      expect(summary.leftUnassigned.map((u) => [u.conversationId ?? u.contact.id, u.from?.name])).toEqual([
        ['c3', 'John Doe'],
      ]);
      expect(summary.closedUnassigned).toBe(1);
      expect(summary.total).toBe(6);
      expect(summary.dayBefore).toBe(1);
      // Thursdays 19 Nov (2), 12 and 5 Nov (0) and 29 Oct (1).
      expect(summary.weekday).toMatchObject({ weeks: 4, average: 0.75 });
    });

    it('keeps the latest log rows of the day, newest first', async () => {
      const data = await load(DAY, ZONE);
      expect(data.latest.map((r) => r.timestamp.toISOString())).toEqual([
        '2026-11-26T15:00:00.000Z',
        '2026-11-26T04:00:00.000Z',
        '2026-11-26T03:00:00.000Z',
        '2026-11-26T02:30:00.000Z',
        '2026-11-26T02:00:00.000Z',
        '2026-11-25T16:00:00.000Z',
      ]);
    });

    it('narrows every part by the filters', async () => {
      const data = await load(DAY, ZONE, { ...NO_FILTERS, sources: ['user'] });
      expect(countLines(data).filter((l) => l.startsWith(DAY))).toEqual(['2026-11-26 user 2']);
      expect(data.byAgent.map((a) => `${a.agent?.name ?? 'Unassigned'} ${a.count}`).sort()).toEqual([
        'John Doe 1',
        'Unassigned 1',
      ]);
      expect(data.latest).toHaveLength(2);
      expect(data.conversations.map((c) => c.conversationId ?? c.contact.id).sort()).toEqual(['100', 'c3']);
    });

    it('matches the team by id or name in any case', async () => {
      expect((await load(DAY, ZONE, NO_FILTERS, 'SUPPORT')).latest).toHaveLength(6);
      expect((await load(DAY, ZONE, NO_FILTERS, 'sales')).latest).toHaveLength(2);
    });

    it(`posts at most ${DIGEST_LOG_ROWS} log rows`, async () => {
      await store.ingest(
        Array.from({ length: 25 }, (_, i) =>
          at(`2026-11-26T06:${String(i).padStart(2, '0')}:00Z`, MEI, { contact: contact(`x${i}`) }),
        ),
      );
      const data = await load(DAY, ZONE);
      expect(data.latest).toHaveLength(DIGEST_LOG_ROWS);
      expect(data.latest[0]?.timestamp.toISOString()).toBe('2026-11-26T15:00:00.000Z');
    });
  });

  describe('DST days in New York', () => {
    const ZONE = 'America/New_York';

    it('reads the 23-hour spring-forward day whole, from local midnight to local midnight', async () => {
      // Sun 8 Mar 2026: [05:00Z (midnight EST), next day 04:00Z (midnight EDT)).
      await store.ingest([
        at('2026-03-08T04:59:59Z', MEI, { contact: contact('before') }),
        at('2026-03-08T05:00:00Z', MEI, { contact: contact('midnight') }),
        at('2026-03-09T03:59:59Z', MEI, { contact: contact('last-second') }),
        at('2026-03-09T04:00:00Z', MEI, { contact: contact('next-midnight') }),
        // The Sunday before, at its local midnight (EST).
        at('2026-03-01T05:00:00Z', JOHN, { contact: contact('last-week') }),
      ]);
      const data = await load('2026-03-08', ZONE);
      expect(countLines(data)).toEqual([
        '2026-03-01 workflow 1',
        '2026-03-07 workflow 1',
        '2026-03-08 workflow 2',
      ]);
      expect(data.latest.map((r) => r.contact.id)).toEqual(['last-second', 'midnight']);
      expect(data.byAgent).toEqual([{ agent: MEI, count: 2 }]);
      const summary = summarizeDigest(data);
      expect(summary.range.to.getTime() - summary.range.from.getTime()).toBe(23 * 3_600_000);
      expect(summary.weekday).toMatchObject({ weekday: 'Sunday', weeks: 1, average: 1 });
    });

    it('reads the 25-hour fall-back day whole, and its command reproduces the numbers from another zone', async () => {
      // Sun 1 Nov 2026: [04:00Z (midnight EDT), next day 05:00Z (midnight EST)).
      await store.ingest([
        at('2026-11-01T03:59:00Z', MEI, { contact: contact('saturday') }),
        at('2026-11-01T04:00:00Z', MEI, { contact: contact('midnight') }),
        at('2026-11-01T05:30:00Z', JOHN, { contact: contact('first-1:30'), source: 'bot' }),
        at('2026-11-01T06:30:00Z', JOHN, { contact: contact('second-1:30'), source: 'bot' }),
        at('2026-11-02T04:30:00Z', null, { contact: contact('midnight'), source: 'close_conversation' }),
        at('2026-11-02T05:00:00Z', MEI, { contact: contact('monday') }),
      ]);
      const data = await load('2026-11-01', ZONE);
      expect(countLines(data).filter((l) => l.startsWith('2026-11-01'))).toEqual([
        '2026-11-01 bot 2',
        '2026-11-01 close_conversation 1',
        '2026-11-01 workflow 1',
      ]);
      const summary = summarizeDigest(data);
      expect(summary.range.to.getTime() - summary.range.from.getTime()).toBe(25 * 3_600_000);
      expect(summary.total).toBe(4);
      expect(summary.leftUnassigned).toEqual([]);
      expect(summary.closedUnassigned).toBe(1);
      expect(summary.command).toBe('/assignments 2026-11-01 team:Support tz:America/New_York');

      const answer = await answerReport(
        { store, charts: quickchartPublisher('https://quickchart.io') },
        { text: summary.command.replace('/assignments ', ''), zone: 'Asia/Kuala_Lumpur', now: new Date() },
      );
      if (answer.kind !== 'report') throw new Error(`expected a report, got ${JSON.stringify(answer)}`);
      expect(answer.report.total).toBe(summary.total);
      expect(answer.report.bySource).toEqual(summary.bySource);
      expect(answer.report.command).toBe(summary.command);
    });
  });
});
