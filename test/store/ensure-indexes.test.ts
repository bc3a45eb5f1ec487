import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ASSIGNMENT_INDEXES, EVENT_INDEXES, EVENTS } from '../../src/store/assignment-store.ts';
import type { Engine, IndexSpec } from '../../src/store/collection.ts';
import {
  checkIndexesAtStart,
  ensureIndexes,
  type IndexNote,
  type IndexSet,
} from '../../src/store/ensure-indexes.ts';
import { STORE_INDEXES } from '../../src/store/store-indexes.ts';
import { openTestEngine, TEST_ENGINE_NAME } from './engines.ts';
import { wrapEngine } from './wrap-engine.ts';

// Start-up's index check on real databases: indexes already there under other names, conflicts, users without
// the privilege, managed deployments that create indexes themselves, and builds that take minutes.

const names = (specs: { name: string }[]) => specs.map((s) => s.name).sort();
const wanted = (set: IndexSet) => set.indexes.map((i) => i.name);
const messages = (notes: IndexNote[]) => notes.map((n) => `${n.level}: ${n.message}`);

describe(`the index check at start (${TEST_ENGINE_NAME})`, () => {
  let engine: Engine;

  beforeEach(async () => {
    engine = await openTestEngine('indexes');
  });
  afterEach(() => engine.close());

  it('creates what is missing, then finds everything there', async () => {
    const first = await ensureIndexes(engine, STORE_INDEXES);
    expect(first.findings.every((f) => f.kind === 'created')).toBe(true);
    expect(first.findings).toHaveLength(STORE_INDEXES.reduce((n, s) => n + s.indexes.length, 0));
    for (const set of STORE_INDEXES)
      expect(names(await engine.collection(set.collection).listIndexes())).toEqual(
        ['_id_', ...wanted(set)].sort(),
      );

    const second = await ensureIndexes(engine, STORE_INDEXES);
    expect(second.findings.map((f) => f.kind)).toEqual(second.findings.map(() => 'present'));
    expect(second.notes).toEqual([]);
  });

  it('accepts an equivalent index under another name, and creates nothing beside it', async () => {
    await engine.collection(EVENTS).createIndexes([{ name: 'by_time', keys: { ts: -1, _id: -1 } }]);
    const check = await ensureIndexes(engine, ASSIGNMENT_INDEXES);
    expect(check.findings.find((f) => f.index.name === 'ts')).toMatchObject({
      kind: 'present',
      as: 'by_time',
    });
    expect(messages(check.notes)).toContain(
      'info: index ts on assignments is there as by_time (an equivalent index under another name)',
    );
    const listed = names(await engine.collection(EVENTS).listIndexes());
    expect(listed).toContain('by_time');
    expect(listed).not.toContain('ts');
  });

  it('names the index, its keys and the fix when one of that name has other keys, and creates the rest', async () => {
    await engine.collection(EVENTS).createIndexes([{ name: 'ts', keys: { ts: 1 } }]);
    const check = await ensureIndexes(engine, ASSIGNMENT_INDEXES);
    expect(check.findings.find((f) => f.index.name === 'ts')?.kind).toBe('failed');
    expect(messages(check.notes)).toContain(
      "warn: index ts on assignments was not created: an index of that name already has keys { ts: 1 }, not { ts: -1, _id: -1 }: drop it (`db.assignments.dropIndex('ts')`) and start again",
    );
    expect(names(await engine.collection(EVENTS).listIndexes())).toEqual(
      ['_id_', ...EVENT_INDEXES.map((i) => i.name)].sort(),
    );
  });

  it('says which role is missing when the user may not create indexes, and goes on', async () => {
    const readOnly = wrapEngine(engine, {
      async createIndexes() {
        throw Object.assign(new Error('not authorized on handoff to execute command { createIndexes: … }'), {
          code: 13,
        });
      },
    });
    const check = await ensureIndexes(readOnly, ASSIGNMENT_INDEXES, { dbName: 'handoff' });
    expect(check.findings.every((f) => f.kind === 'failed')).toBe(true);
    expect(messages(check.notes)[0]).toBe(
      "warn: index ts on assignments was not created: the database user may not create indexes: it needs the createIndex action on handoff (the readWrite or dbAdmin role). Ask an administrator to run `db.assignments.createIndex({ ts: -1, _id: -1 }, { name: 'ts' })`, or set MONGODB_CREATE_INDEXES=false to stop trying",
    );
  });

  it('with MONGODB_CREATE_INDEXES=false creates nothing and lists what is missing', async () => {
    const check = await ensureIndexes(engine, ASSIGNMENT_INDEXES, { create: false });
    expect(check.findings.every((f) => f.kind === 'missing')).toBe(true);
    expect(await engine.collection(EVENTS).listIndexes()).toEqual([]);
    const [note, ...others] = check.notes;
    expect(others).toEqual([]);
    expect(note?.level).toBe('warn');
    expect(note?.message).toMatch(
      /^MONGODB_CREATE_INDEXES=false: 11 indexes are missing, so the queries they serve/,
    );
    expect(note?.message).toContain(
      "db.assignments.createIndex({ 'keys.team': 1, ts: -1, _id: -1 }, { name: 'team_ts_id' })",
    );
    expect(note?.message).toContain("db.agents.createIndex({ name: 1 }, { name: 'name' })");
    expect(note?.message).toContain(
      `db.contact_state.createIndex({ 'pending.since': 1 }, { name: 'pending_since', partialFilterExpression: {"pending.since":{"$exists":true}} })`,
    );
  });

  it('tells the owner of an index earlier versions created that it may be dropped', async () => {
    await engine
      .collection(EVENTS)
      .createIndexes([{ name: 'contact_ts', keys: { 'contact.id': 1, ts: -1 } }]);
    const check = await ensureIndexes(engine, ASSIGNMENT_INDEXES);
    expect(messages(check.notes)).toContain(
      "info: index contact_ts on assignments is no longer used (a newer one replaces it); it may be dropped: db.assignments.dropIndex('contact_ts')",
    );
  });

  it('goes on without a build that takes long, and says so when it ends', async () => {
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = wrapEngine(engine, {
      async createIndexes(c, specs) {
        await released;
        return c.createIndexes(specs);
      },
    });
    const logged: IndexNote[] = [];
    const check = await checkIndexesAtStart(slow, ASSIGNMENT_INDEXES, {
      waitMs: 0,
      log: (n) => logged.push(n),
    });
    expect(check.findings.map((f) => f.kind)).toEqual(check.findings.map(() => 'building'));
    expect(messages(logged)).toEqual([
      'warn: still building ts on assignments, conversation_ts_id on assignments, contact_ts_id on assignments, assignee_ts_id on assignments, contact_keys_ts_id on assignments, team_ts_id on assignments, assigned_by_ts_id on assignments, source_ts_id on assignments, name on agents, name_key on agents, pending_since on contact_state in the background; the queries they serve are slow until they are built',
    ]);
    release();
    const done = await check.building;
    expect(done?.findings.every((f) => f.kind === 'created')).toBe(true);
    expect(messages(logged)).toContain('info: built index name on agents');
  });

  it('never puts two array fields in one index', () => {
    const arrays = (index: IndexSpec) => Object.keys(index.keys).filter((k) => k.startsWith('keys.'));
    for (const set of STORE_INDEXES)
      for (const index of set.indexes) expect(arrays(index).length).toBeLessThan(2);
  });
});
