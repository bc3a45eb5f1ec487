import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { quickchartPublisher } from '../../src/charts/chart-publisher.ts';
import { NO_FILTERS } from '../../src/domain/filters.ts';
import { resolveRange } from '../../src/domain/range.ts';
import { answerReport } from '../../src/reports/answer-report.ts';
import { type AssignmentStore, createAssignmentStore } from '../../src/store/assignment-store.ts';
import type { Doc, Engine } from '../../src/store/collection.ts';
import { createDigestData } from '../../src/store/digest-data.ts';
import { makeEvent } from '../builders/event.ts';
import { testEngines } from './engines.ts';
import { wrapEngine } from './wrap-engine.ts';

// Local days must not depend on the server's tz data. Paraguay has kept UTC-3 all year since October 2024; a
// MongoDB whose tz data predates that still puts America/Asuncion at UTC-4 in July. Before days were computed
// from Node's local midnights, the store sent the zone name to the server and such a server answered days the
// range (computed in Node) did not contain: "day 2026-06-30 is outside 2026-07-01..2026-07-01".

const ASUNCION = 'America/Asuncion';
const NOW = new Date('2026-07-10T12:00:00Z');

/** Rewrites `$dateToString`'s zone as a server with older rules reads it; rejects names it does not know. */
function asOlderServer(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(asOlderServer);
  if (typeof node !== 'object' || node === null || node instanceof Date) return node;
  const out: Doc = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'timezone' && typeof value === 'string') {
      // MongoDB reads zone names exactly: `america/asuncion` is error 40485 there.
      if (value !== ASUNCION && value !== 'UTC')
        throw new Error(`unrecognized time zone identifier: "${value}" (code 40485)`);
      out[key] = value === ASUNCION ? '-04:00' : value;
    } else out[key] = asOlderServer(value);
  }
  return out;
}

/**
 * An engine whose aggregations run as on a server with older tz data, recording every pipeline it is sent.
 * Everything else is the engine's own.
 */
function withOlderTzData(engine: Engine, pipelines: Doc[][]): Engine {
  return wrapEngine(engine, {
    aggregate(c, pipeline, options) {
      pipelines.push(pipeline);
      return c.aggregate(asOlderServer(pipeline) as Doc[], options);
    },
  });
}

describe.each(testEngines('localdays'))('local days on %s', (_, openEngine) => {
  let engine: Engine;
  let store: AssignmentStore;
  const pipelines: Doc[][] = [];

  beforeEach(async () => {
    pipelines.length = 0;
    engine = withOlderTzData(await openEngine(), pipelines);
    store = createAssignmentStore(engine, () => NOW);
    await store.init();
    await store.agents.upsert([{ id: 'u2', name: 'Mei Tan', team: 'Support' }]);
    // 1 July in Asunción (UTC-3) is [03:00Z on 1 July, 03:00Z on 2 July); with the old rules it would be 04:00Z.
    await store.ingest([
      makeEvent({ id: 'a1', timestamp: new Date('2026-07-01T03:30:00Z'), contact: { id: 'c1', name: 'A' } }),
      makeEvent({ id: 'a2', timestamp: new Date('2026-07-01T15:00:00Z'), contact: { id: 'c2', name: 'B' } }),
      makeEvent({ id: 'a3', timestamp: new Date('2026-07-02T02:30:00Z'), contact: { id: 'c3', name: 'C' } }),
      // 00:30 on 2 July there: the next day.
      makeEvent({ id: 'a4', timestamp: new Date('2026-07-02T03:30:00Z'), contact: { id: 'c4', name: 'D' } }),
    ]);
  });

  afterEach(async () => {
    await engine.close();
  });

  it('answers a report of 1 July in Asunción with Node’s rules, whatever the server’s', async () => {
    const answer = await answerReport(
      { store, charts: quickchartPublisher('https://quickchart.example') },
      { text: '2026-07-01 tz:america/asuncion', zone: 'UTC', now: NOW },
    );
    if (answer.kind !== 'report') throw new Error(`expected a report, got ${JSON.stringify(answer)}`);
    expect(answer.report.range.zone).toBe(ASUNCION);
    expect(answer.report.total).toBe(3);
    expect(answer.report.command).toContain('tz:America/Asuncion');
  });

  it('counts a week by day, the By day view and a digest alike, and sends no zone name', async () => {
    const range = resolveRange({ kind: 'dates', from: '2026-06-29', to: '2026-07-05' }, NOW, ASUNCION);
    const report = await store.report(range, NO_FILTERS);
    const total = (day: string) =>
      Object.values(report.byDay.find((d) => d.day === day)?.counts ?? {}).reduce((n, c) => n + c, 0);
    expect([total('2026-06-30'), total('2026-07-01'), total('2026-07-02')]).toEqual([0, 3, 1]);

    const view = await store.groupCounts({ from: range.from, to: range.to }, NO_FILTERS, 'day', ASUNCION);
    expect(view.map((r) => `${r.key}:${r.count}`).sort()).toEqual(['2026-07-01:3', '2026-07-02:1']);

    const digest = await createDigestData(engine).load({
      team: 'Support',
      day: '2026-07-01',
      zone: ASUNCION,
      filters: NO_FILTERS,
    });
    const digestDay = digest.counts.filter((c) => c.day === '2026-07-01').reduce((n, c) => n + c.count, 0);
    expect(digestDay).toBe(3);
    expect(digest.counts.some((c) => c.day < '2026-06-03' || c.day > '2026-07-01')).toBe(false);

    expect(pipelines.length).toBeGreaterThan(0);
    expect(JSON.stringify(pipelines)).not.toMatch(/timezone|Asuncion/i);
  });
});
