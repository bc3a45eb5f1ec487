import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssignmentEvent, Party } from '../../src/domain/event.ts';
import type { ExportRow } from '../../src/domain/export.ts';
import { NO_FILTERS, type ReportFilters } from '../../src/domain/filters.ts';
import { SOURCES } from '../../src/domain/sources.ts';
import { type AssignmentStore, createAssignmentStore, EVENTS } from '../../src/store/assignment-store.ts';
import type { Engine } from '../../src/store/collection.ts';
import { COUNTED } from '../../src/store/pipelines.ts';
import { testEngines } from './engines.ts';

const START = Date.UTC(2026, 10, 1);
const AGENTS: Party[] = ['Mei Tan', 'John Doe', 'Priya Nair', 'Wei Lim'].map((name, i) => ({
  id: `u${i}`,
  name,
}));

/**
 * 3,000 events over 10 days: every source, unassignments, contacts reassigned in turn, and many instants shared
 * by several events (ties the export breaks by `_id`).
 */
function events(): AssignmentEvent[] {
  return Array.from({ length: 3000 }, (_, i) => {
    const source = SOURCES[i % SOURCES.length] ?? 'workflow';
    return {
      id: `e${(i * 7919) % 3000}`,
      // Four events per instant.
      timestamp: new Date(START + Math.floor(i / 4) * 1_150_000),
      conversationId: i % 11 === 0 ? null : String(80_000 + (i % 97)),
      contact: { id: `c${i % 500}`, name: `Contact ${i % 500}` },
      // Each contact's events alternate agents, so none is "unchanged".
      assignee: source === 'close_conversation' ? null : (AGENTS[(i + Math.floor(i / 500)) % 4] ?? null),
      source,
      assignedBy: source === 'user' ? { id: 'u9', name: 'Sarah Lee' } : null,
      team: null,
    };
  });
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const window = { from: new Date(START + 2 * 86_400_000), to: new Date(START + 7 * 86_400_000) };
const filters = (partial: Partial<ReportFilters>): ReportFilters => ({ ...NO_FILTERS, ...partial });

describe.each(testEngines('exportrows'))('exportRows on the %s', (_name, open: () => Promise<Engine>) => {
  let engine: Engine;
  let store: AssignmentStore;
  let all: ExportRow[];

  beforeAll(async () => {
    engine = await open();
    store = createAssignmentStore(engine);
    await store.init();
    const input = events();
    for (let i = 0; i < input.length; i += 1000) await store.ingest(input.slice(i, i + 1000));
    // Every stored event; the first test checks its order against a plain sort.
    all = await collect(store.exportRows({ from: new Date(0), to: new Date(START * 2) }, NO_FILTERS));
  }, 60_000);

  afterAll(() => store.close());

  it('answers every stored event once, oldest first, ties broken by event id', async () => {
    let stored = 0;
    for await (const _ of engine.collection(EVENTS).find(COUNTED)) stored++;
    expect(all).toHaveLength(stored);
    expect(stored).toBeGreaterThan(2500);
    const sorted = [...all].sort(
      (a, b) =>
        a.timestamp.getTime() - b.timestamp.getTime() ||
        (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0),
    );
    expect(all.map((r) => r.eventId)).toEqual(sorted.map((r) => r.eventId));
    expect(new Set(all.map((r) => r.eventId)).size).toBe(all.length);
    expect(all[0]).toMatchObject({ eventId: expect.stringMatching(/^id:e/), contact: { name: 'Contact 0' } });
  });

  it.each([
    ['no filter', filters({})],
    ['a source', filters({ sources: ['user', 'bot'] })],
    ['unassignments', filters({ assignees: ['none'] })],
    ['an assignee by name', filters({ assignees: ['mei tan'] })],
    ['a conversation', filters({ conversations: ['80005'] })],
    ['a contact', filters({ contacts: ['c42'] })],
  ])('keeps to the window and %s, in order', async (_label, f) => {
    const got = await collect(store.exportRows(window, f));
    const expected = all.filter(
      (r) =>
        r.timestamp >= window.from &&
        r.timestamp < window.to &&
        (f.sources.length === 0 || f.sources.includes(r.source)) &&
        (f.assignees.length === 0 ||
          (f.assignees.includes('none')
            ? r.assignee === null
            : r.assignee?.name.toLowerCase() === 'mei tan')) &&
        (f.conversations.length === 0 || f.conversations.includes(r.conversationId ?? '')) &&
        (f.contacts.length === 0 || f.contacts.includes(r.contact.id)),
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(got).toEqual(expected);
  });
});
