import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seeded } from '../../src/demo/seeded-random.ts';
import type { AssignmentEvent, Party } from '../../src/domain/event.ts';
import { storedEventSchema } from '../../src/domain/event.ts';
import { NO_FILTERS, type ReportFilters } from '../../src/domain/filters.ts';
import { type RangeSpec, resolveRange } from '../../src/domain/range.ts';
import { SOURCES, type Source } from '../../src/domain/sources.ts';
import { type AssignmentStore, createAssignmentStore, EVENTS } from '../../src/store/assignment-store.ts';
import type { Engine } from '../../src/store/collection.ts';
import { eventKey } from '../../src/store/event-key.ts';
import { COUNTED } from '../../src/store/pipelines.ts';
import { testEngines } from './engines.ts';
import { aroundEngine } from './wrap-engine.ts';

// A differential test: random streams of events (previous assignees given and left out, unassignments, no-change
// events, resends, late and same-instant events, CSV rows overlapping webhooks) go into the store in random
// batches, and every report is checked against a small model of the counting rules written here, from the rules
// as README states them, not from the store's code: sort each contact's events by time then key, walk them.

const NOW = new Date('2026-11-03T18:00:00Z');
const ENRICH_MS = 120_000;
const AGENTS: Party[] = [
  { id: 'u1', name: 'Mei Tan' },
  { id: 'u2', name: 'John Doe' },
  { id: 'u3', name: 'Ravi Kumar' },
  { id: 'u4', name: 'Siti Nur' },
];
const CONTACTS: Party[] = Array.from({ length: 7 }, (_, i) => ({ id: `c${i}`, name: `Contact ${i}` }));
/** Instants events share, around New York's fall back (1 Nov 2026) and midnights in three zones. */
const INSTANTS = [
  '2026-10-31T23:59:59.999Z',
  '2026-11-01T00:00:00Z',
  '2026-11-01T04:00:00Z',
  '2026-11-01T05:30:00Z',
  '2026-11-01T06:00:00Z',
  '2026-11-02T05:00:00Z',
  '2026-11-02T18:15:00Z',
  '2026-11-03T00:00:00Z',
].map((iso) => new Date(iso));
const FROM = new Date('2026-10-30T00:00:00Z').getTime();
const SPAN = NOW.getTime() - FROM;

type Origin = 'api' | 'webhook' | 'csv';
interface Sent {
  event: AssignmentEvent;
  origin: Origin;
}

/** The stream: webhooks and API events interleaved, resends among them, then CSV rows in batches. */
function makeStream(seed: number): Sent[][] {
  const random = seeded(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const time = () => (random() < 0.25 ? pick(INSTANTS) : new Date(FROM + Math.floor(random() * SPAN)));
  const agent = (): Party | null => (random() < 0.2 ? null : pick(AGENTS));
  const live: Sent[] = [];
  for (let i = 0; i < 160; i++) {
    if (live.length > 5 && random() < 0.08) {
      live.push(pick(live));
      continue;
    }
    const webhook = random() < 0.4;
    const previous = random();
    const event: AssignmentEvent = {
      ...(random() < 0.7 ? { id: `e${seed}-${i}` } : {}),
      timestamp: time(),
      conversationId: random() < 0.2 ? null : `v${Math.floor(random() * 9)}`,
      contact: pick(CONTACTS),
      // Left out (derived), someone, or nobody.
      ...(webhook || previous < 0.5 ? {} : { previousAssignee: previous < 0.8 ? agent() : null }),
      assignee: agent(),
      source: webhook ? 'unknown' : pick(SOURCES.filter((s) => s !== 'unknown')),
      assignedBy: random() < 0.2 ? { id: 'u9', name: 'Sarah Lee' } : null,
      team: null,
    };
    live.push({ event, origin: webhook ? 'webhook' : 'api' });
  }
  // Rows of the platform's log: most repeat a webhook (a few seconds to 100 s off, names only), some are new.
  const webhooks = live.filter((s) => s.origin === 'webhook');
  const rows: Sent[] = [];
  for (let i = 0; i < 50; i++) {
    const base = random() < 0.7 ? pick(webhooks).event : undefined;
    const assignee = base ? base.assignee : agent();
    const name = (p: Party | null) => (p ? { id: p.name, name: p.name } : null);
    const event: AssignmentEvent = {
      timestamp: base ? new Date(base.timestamp.getTime() + Math.floor((random() - 0.5) * 200_000)) : time(),
      conversationId: `v${Math.floor(random() * 9)}`,
      contact: base ? base.contact : pick(CONTACTS),
      ...(random() < 0.6 ? { previousAssignee: name(agent()) } : {}),
      assignee: name(assignee),
      source: pick(['workflow', 'user', 'bot'] as const),
      assignedBy: null,
      team: null,
    };
    rows.push({ event, origin: 'csv' });
    if (random() < 0.1) rows.push({ event, origin: 'csv' });
  }
  // Batches of up to 12, each of one origin (a request comes from one place).
  const batches: Sent[][] = [];
  const cut = (list: Sent[]) => {
    for (let i = 0; i < list.length; ) {
      const origin = list[i]?.origin;
      const size = 1 + Math.floor(random() * 12);
      const batch: Sent[] = [];
      while (i < list.length && batch.length < size && list[i]?.origin === origin)
        batch.push(list[i++] as Sent);
      batches.push(batch);
    }
  };
  cut(live);
  cut(rows);
  return batches;
}

// ---- The model -------------------------------------------------------------------------------------------

interface ModelEvent {
  key: string;
  ts: Date;
  contact: Party;
  conversationId: string | null;
  given: Party | null | undefined;
  assignee: Party | null;
  source: Source;
  assignedBy: Party | null;
  webhook: boolean;
  enriched: boolean;
}

interface Counted {
  key: string;
  ts: Date;
  previous: Party | null;
  event: ModelEvent;
}

const nameOnly = (p: Party) => p.id === p.name;
function same(a: Party | null, b: Party | null): boolean {
  if (a === null || b === null) return a === b;
  return a.id === b.id || ((nameOnly(a) || nameOnly(b)) && a.name.toLowerCase() === b.name.toLowerCase());
}

/** Code point order, as MongoDB orders strings. */
const byCodePoint = (a: string, b: string) => {
  const x = [...a].map((c) => c.codePointAt(0) ?? 0);
  const y = [...b].map((c) => c.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  return x.length - y.length;
};

const modelEvent = (key: string, event: AssignmentEvent, webhook: boolean): ModelEvent => ({
  key,
  ts: event.timestamp,
  contact: event.contact,
  conversationId: event.conversationId,
  given: event.previousAssignee,
  assignee: event.assignee,
  source: event.source,
  assignedBy: event.assignedBy,
  webhook,
  enriched: false,
});

function model(batches: Sent[][]): Counted[] {
  const events = new Map<string, ModelEvent>();
  const aliases = new Set<string>();
  for (const batch of batches) {
    const rows: { key: string; event: AssignmentEvent }[] = [];
    for (const { event, origin } of batch) {
      const key = eventKey(event);
      if (events.has(key) || aliases.has(key) || rows.some((r) => r.key === key)) continue;
      if (origin === 'csv') {
        rows.push({ key, event });
        continue;
      }
      events.set(key, modelEvent(key, event, origin === 'webhook'));
    }
    // A row completes the earliest webhook event of its contact with its new assignee within 2 minutes.
    rows.sort(
      (a, b) => a.event.timestamp.getTime() - b.event.timestamp.getTime() || byCodePoint(a.key, b.key),
    );
    for (const { key, event } of rows) {
      const candidates = [...events.values()]
        .filter(
          (w) =>
            w.webhook &&
            !w.enriched &&
            w.contact.id === event.contact.id &&
            Math.abs(w.ts.getTime() - event.timestamp.getTime()) <= ENRICH_MS &&
            (w.assignee === null || event.assignee === null
              ? w.assignee === event.assignee
              : [w.assignee.id, w.assignee.name].some(
                  (v) => v.toLowerCase() === event.assignee?.name.toLowerCase(),
                )),
        )
        .sort((a, b) => a.ts.getTime() - b.ts.getTime() || byCodePoint(a.key, b.key));
      const w = candidates[0];
      if (w) {
        aliases.add(key);
        w.enriched = true;
        w.source = event.source;
        w.assignedBy = event.assignedBy;
        w.conversationId = event.conversationId ?? w.conversationId;
        if (event.previousAssignee !== undefined) w.given = event.previousAssignee;
        continue;
      }
      events.set(key, modelEvent(key, event, false));
    }
  }
  const counted: Counted[] = [];
  for (const contact of CONTACTS) {
    const log = [...events.values()]
      .filter((e) => e.contact.id === contact.id)
      .sort((a, b) => a.ts.getTime() - b.ts.getTime() || byCodePoint(a.key, b.key));
    let holder: Party | null = null;
    for (const e of log) {
      const previous = e.given === undefined ? holder : e.given;
      if (!same(previous, e.assignee)) counted.push({ key: e.key, ts: e.ts, previous, event: e });
      holder = e.assignee;
    }
  }
  return counted;
}

function dayIn(instant: Date, zone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

function matches(c: Counted, f: ReportFilters): boolean {
  const e = c.event;
  const keys = (p: Party | null) => (p ? [p.id.toLowerCase(), p.name.toLowerCase()] : []);
  const any = (wanted: string[], have: string[]) => wanted.some((w) => have.includes(w.toLowerCase()));
  if (f.sources.length && !f.sources.includes(e.source)) return false;
  if (
    f.assignees.length &&
    !(
      any(
        f.assignees.filter((a) => a !== 'none'),
        keys(e.assignee),
      ) ||
      (f.assignees.includes('none') && e.assignee === null)
    )
  )
    return false;
  if (f.assignedBy.length && !any(f.assignedBy, keys(e.assignedBy))) return false;
  if (f.contacts.length && !any(f.contacts, keys(e.contact))) return false;
  if (f.conversations.length && !f.conversations.includes(e.conversationId ?? '')) return false;
  return true;
}

// ---- The test --------------------------------------------------------------------------------------------

const RANGES: RangeSpec[] = [
  { kind: 'preset', preset: 'today' },
  { kind: 'preset', preset: 'yesterday' },
  { kind: 'preset', preset: 'last_7_days' },
  { kind: 'preset', preset: 'this_month' },
  { kind: 'dates', from: '2026-10-31', to: '2026-11-01' },
  { kind: 'dates', from: '2026-11-01', to: '2026-11-01' },
];
const ZONES = ['UTC', 'America/New_York', 'Asia/Kathmandu'];
const FILTERS: ReportFilters[] = [
  NO_FILTERS,
  { ...NO_FILTERS, sources: ['unknown'] },
  { ...NO_FILTERS, sources: ['workflow', 'user'] },
  { ...NO_FILTERS, assignees: ['none'] },
  { ...NO_FILTERS, assignees: ['mei tan'] },
  { ...NO_FILTERS, assignees: ['u2', 'none'] },
  { ...NO_FILTERS, assignedBy: ['Sarah Lee'] },
  { ...NO_FILTERS, contacts: ['c3'] },
  { ...NO_FILTERS, conversations: ['v4'] },
];

describe.each(testEngines('differential'))(
  'the store against a model of the rules, on the %s',
  (_name, open) => {
    for (const seed of [11, 29]) {
      describe(`stream ${seed}`, () => {
        let engine: Engine;
        let store: AssignmentStore;
        const batches = makeStream(seed);
        const expected = model(batches);

        beforeAll(async () => {
          engine = await open();
          store = createAssignmentStore(engine, () => NOW);
          await store.init();
          for (const batch of batches) {
            const origin = batch[0]?.origin ?? 'api';
            await store.ingest(
              batch.map((s) => s.event),
              origin === 'csv' ? { origin, enrichWithinMs: ENRICH_MS } : { origin },
            );
          }
        }, 60_000);
        afterAll(() => engine.close());

        it('keeps exactly the events the model counts, each with the previous assignee the model gives', async () => {
          const stored: string[] = [];
          for await (const doc of engine.collection(EVENTS).find(COUNTED)) {
            const e = storedEventSchema.parse(doc);
            stored.push(`${e._id} ${e.previousAssignee?.id ?? '-'}→${e.assignee?.id ?? '-'} ${e.source}`);
          }
          const want = expected.map(
            (c) => `${c.key} ${c.previous?.id ?? '-'}→${c.event.assignee?.id ?? '-'} ${c.event.source}`,
          );
          expect(stored.sort()).toEqual(want.sort());
          // The stream exercises what it should: late and same-instant events, rows that complete webhooks.
          expect(expected.length).toBeGreaterThan(60);
          expect(expected.some((c) => c.event.enriched)).toBe(true);
        });

        it('agrees with the model on every range, zone and filter, per day and source', async () => {
          for (const zone of ZONES)
            for (const spec of RANGES) {
              const range = resolveRange(spec, NOW, zone);
              for (const filters of FILTERS) {
                const report = await store.report(range, filters);
                const inRange = expected.filter(
                  (c) => c.ts >= range.from && c.ts < range.to && matches(c, filters),
                );
                const days = new Map<string, number>();
                for (const c of inRange) days.set(dayIn(c.ts, zone), (days.get(dayIn(c.ts, zone)) ?? 0) + 1);
                const got = report.byDay
                  .map((d) => [d.day, Object.values(d.counts).reduce((a, b) => a + b, 0)] as const)
                  .filter(([, n]) => n > 0);
                const label = `${zone} ${range.text} ${JSON.stringify(filters)}`;
                expect({ label, total: report.total, days: got }).toEqual({
                  label,
                  total: inRange.length,
                  days: [...days].sort(([a], [b]) => a.localeCompare(b)),
                });
              }
            }
        });
      });
    }

    it('stores the same whether batches arrive one by one or all at once, interleaved', async () => {
      const batches = makeStream(5).filter((b) => b[0]?.origin !== 'csv');
      const sequential = await open();
      const one = createAssignmentStore(sequential, () => NOW);
      await one.init();
      for (const batch of batches)
        await one.ingest(
          batch.map((s) => s.event),
          { origin: batch[0]?.origin ?? 'api' },
        );
      const base = await open();
      // Every call waits a seeded 0–2 ms, so the concurrent batches interleave between store calls.
      let state = 7;
      const jittery = aroundEngine(base, async (_call, proceed) => {
        state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
        await new Promise((resolve) => setTimeout(resolve, state % 3));
        return proceed();
      });
      const all = createAssignmentStore(jittery, () => NOW);
      await all.init();
      // Every batch twice, all at once.
      await Promise.all(
        [...batches, ...batches].map((batch) =>
          all.ingest(
            batch.map((s) => s.event),
            { origin: batch[0]?.origin ?? 'api' },
          ),
        ),
      );
      const read = async (engine: Engine) => {
        const out: string[] = [];
        for await (const doc of engine.collection(EVENTS).find({}, { sort: { ts: 1, _id: 1 } })) {
          const e = storedEventSchema.parse(doc);
          out.push(
            `${e.unchanged ? '=' : '+'}${e._id} ${e.previousAssignee?.id ?? '-'}→${e.assignee?.id ?? '-'}`,
          );
        }
        return out;
      };
      expect(await read(base)).toEqual(await read(sequential));
      expect((await read(base)).length).toBeGreaterThan(100);
      await sequential.close();
      await base.close();
    });
  },
);
