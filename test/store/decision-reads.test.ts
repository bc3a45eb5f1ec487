import { describe, expect, it } from 'vitest';
import { createAssignmentStore } from '../../src/store/assignment-store.ts';
import { createMemoryEngine } from '../../src/store/memory-engine.ts';
import { makeEvent } from '../builders/event.ts';
import { aroundEngine, type EngineCall } from './wrap-engine.ts';

// Reads that decide what ingest writes (known keys, contact states, the log around late events, the agents a
// batch names, the sweep) ask for the primary, so that MongoDB never answers them from a lagging secondary that
// MONGODB_URI's read preference might name (mongo-engine.test.ts shows what the driver then sends).

const NOW = new Date('2026-11-30T12:00:00Z');
const at = (iso: string) => new Date(iso);

describe('ingest reads from the primary', () => {
  it('asks for the primary on every read it makes, late events, log rows and the sweep included', async () => {
    const reads: EngineCall[] = [];
    const engine = aroundEngine(createMemoryEngine(), (call, proceed) => {
      if (['find', 'findOne', 'aggregate'].includes(call.method)) reads.push(call);
      return proceed();
    });
    const store = createAssignmentStore(engine, () => NOW);
    await store.init();
    await store.agents.upsert([{ id: 'u9', name: 'Sarah Lee', team: 'Leads' }]);
    reads.length = 0;
    const contact = { id: 'k', name: 'Kay' };
    await store.ingest([makeEvent({ id: 'w', contact, timestamp: at('2026-11-30T08:00:00Z') })], {
      origin: 'webhook',
    });
    await store.ingest([makeEvent({ id: 'late', contact, timestamp: at('2026-11-30T07:00:00Z') })]);
    await store.ingest(
      [
        makeEvent({
          contact,
          timestamp: at('2026-11-30T08:00:30Z'),
          assignee: { id: 'Mei Tan', name: 'Mei Tan' },
          assignedBy: { id: 'Sarah Lee', name: 'Sarah Lee' },
          source: 'user',
        }),
      ],
      { origin: 'csv', enrichWithinMs: 120_000 },
    );
    await store.finishInterrupted(NOW);
    expect(reads.length).toBeGreaterThan(8);
    // find, findOne and aggregate all take their options second.
    const options = (call: EngineCall) => call.args[1] as { primary?: boolean } | undefined;
    expect(
      reads.filter((call) => options(call)?.primary !== true).map((c) => `${c.collection}.${c.method}`),
    ).toEqual([]);
    await store.close();
  });
});
