import type { AssignmentEvent, Party } from '../../src/domain/event.ts';
import { NO_FILTERS, type ReportFilters } from '../../src/domain/filters.ts';
import { GROUPINGS } from '../../src/domain/leaderboard.ts';
import { resolveRange } from '../../src/domain/range.ts';
import { SOURCES } from '../../src/domain/sources.ts';
import { addDays, localDateOf } from '../../src/domain/time.ts';
import { createAssignmentStore } from '../../src/store/assignment-store.ts';
import type { Doc, Engine, ExplainQuery } from '../../src/store/collection.ts';
import { createDigestData } from '../../src/store/digest-data.ts';
import { createDigestStore } from '../../src/store/digest-store.ts';
import { wrapEngine } from './wrap-engine.ts';

// Every query the store issues, recorded while a realistic store is used in every way a person or a job uses it,
// and reduced to its shape: the collection, the filter with its values blanked out (operators, fields and
// nesting kept), the sort and whether it is limited. query-shapes.test.ts holds each shape to an index.

export interface IssuedQuery {
  collection: string;
  /** What the store called: find, findOne, aggregate, updateOne, upsertMany, deleteMany. */
  call: string;
  query: ExplainQuery;
  shape: string;
}

/** A value's place in a shape: null and the empty array matter to a plan, other values do not. */
function blank(value: unknown): unknown {
  if (value === null) return null;
  if (Array.isArray(value)) return value.length === 0 ? '[]' : '?';
  if (typeof value === 'object' && !(value instanceof Date)) return shapeOfFilter(value as Doc);
  return '?';
}

function shapeOfFilter(filter: Doc): Doc {
  const out: Doc = {};
  for (const [key, value] of Object.entries(filter)) {
    if ((key === '$and' || key === '$or') && Array.isArray(value))
      out[key] = value.map((part) => shapeOfFilter(part as Doc));
    else if (key === '$in' || key === '$nin') out[key] = '?';
    else if (key === '$exists') out[key] = value;
    else out[key] = blank(value);
  }
  return out;
}

export function shapeOf(collection: string, query: ExplainQuery): string {
  const sort = query.sort ? ` sort ${JSON.stringify(query.sort)}` : '';
  const limit = query.limit !== undefined ? ' limit' : '';
  return `${collection} ${JSON.stringify(shapeOfFilter(query.filter))}${sort}${limit}`;
}

/** What an aggregation asks the planner: its leading `$match`, and a `$sort` and `$limit` right after it. */
export function queryOfPipeline(pipeline: Doc[]): ExplainQuery {
  const [first, second, third] = pipeline;
  const filter = (first?.$match as Doc | undefined) ?? {};
  const sort = second?.$sort as Record<string, 1 | -1> | undefined;
  const limit = sort ? (third?.$limit as number | undefined) : (second?.$limit as number | undefined);
  return { filter, ...(sort ? { sort } : {}), ...(limit !== undefined ? { limit } : {}) };
}

/** The engine with every query recorded into `issued`. */
export function recording(engine: Engine, issued: IssuedQuery[]): Engine {
  return wrapEngine(engine, (collection) => {
    const record = (call: string, query: ExplainQuery) =>
      issued.push({ collection, call, query, shape: shapeOf(collection, query) });
    const findQuery = (
      filter: Doc,
      options: { sort?: Record<string, 1 | -1>; limit?: number; skip?: number } = {},
    ) => ({
      filter,
      ...(options.sort ? { sort: options.sort } : {}),
      ...(options.limit ? { limit: options.limit } : {}),
      ...(options.skip ? { skip: options.skip } : {}),
    });
    return {
      findOne(c, filter, options) {
        record('findOne', { ...findQuery(filter, options), limit: 1 });
        return c.findOne(filter, options);
      },
      find(c, filter, options) {
        record('find', findQuery(filter, options));
        return c.find(filter, options);
      },
      aggregate(c, pipeline, options) {
        record('aggregate', queryOfPipeline(pipeline));
        return c.aggregate(pipeline, options);
      },
      updateOne(c, filter, update, options) {
        record('updateOne', { filter, limit: 1 });
        return c.updateOne(filter, update, options);
      },
      upsertMany(c, ops, options) {
        for (const op of ops.slice(0, 1)) record('upsertMany', { filter: op.filter, limit: 1 });
        return c.upsertMany(ops, options);
      },
      updateMany(c, filter, update, options) {
        record('updateMany', { filter });
        return c.updateMany(filter, update, options);
      },
      deleteMany(c, filter, options) {
        record('deleteMany', { filter });
        return c.deleteMany(filter, options);
      },
    };
  });
}

/** Tuesday 1 Dec 2026, 10:00 in Kuala Lumpur. */
export const NOW = new Date('2026-12-01T02:00:00Z');
export const ZONE = 'Asia/Kuala_Lumpur';
const DAY_MS = 86_400_000;

const TEAMS = ['Support', 'Sales', 'Billing'];
const AGENTS: { party: Party; team: string }[] = Array.from({ length: 9 }, (_, i) => ({
  party: { id: `u${i}`, name: `Agent ${String.fromCharCode(65 + i)}` },
  team: TEAMS[i % 3] ?? 'Support',
}));
const LEADS: Party[] = [
  { id: 'l1', name: 'Lead One' },
  { id: 'l2', name: 'Lead Two' },
];

function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

/**
 * 1,500 events over 60 days for 60 contacts: each contact's conversation moves between agents of three teams
 * by every source, some closed (unassigned), some without a conversation id.
 */
export function shapeEvents(): AssignmentEvent[] {
  const random = seeded(20261201);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const times = Array.from(
    { length: 1500 },
    () => NOW.getTime() - 60_000 - Math.floor(random() * 60 * DAY_MS),
  );
  times.sort((a, b) => a - b);
  const holder = new Map<number, Party | null>();
  return times.map((t, i) => {
    const c = Math.floor(random() * 60);
    const previous = holder.get(c) ?? null;
    let assignee: Party | null = random() < 0.1 && previous ? null : pick(AGENTS).party;
    if (assignee && previous && assignee.id === previous.id)
      assignee = pick(AGENTS.filter((a) => a.party.id !== previous.id)).party;
    holder.set(c, assignee);
    const source =
      assignee === null ? 'close_conversation' : pick(SOURCES.filter((s) => s !== 'close_conversation'));
    return {
      id: `q${i}`,
      timestamp: new Date(t),
      conversationId: c % 10 === 0 ? null : String(90_000 + c),
      contact: { id: String(1_000_000 + c), name: `Contact ${c}` },
      assignee,
      source,
      assignedBy: source === 'user' ? pick(LEADS) : null,
      team: null,
    };
  });
}

const filters = (partial: Partial<ReportFilters>): ReportFilters => ({ ...NO_FILTERS, ...partial });

/** Report filters of every kind, alone and together, as people type them. */
export const FILTER_CASES: ReportFilters[] = [
  NO_FILTERS,
  filters({ sources: ['workflow'] }),
  filters({ sources: ['workflow', 'bot'] }),
  filters({ assignees: ['Agent A'] }),
  filters({ assignees: ['none'] }),
  filters({ assignees: ['Agent A', 'none'] }),
  filters({ assignedBy: ['Lead One'] }),
  filters({ contacts: ['Contact 7'] }),
  filters({ contacts: ['1000008'] }),
  filters({ conversations: ['90011'] }),
  filters({ teams: ['Support'] }),
  filters({ teams: ['support'], sources: ['user'] }),
];

/**
 * Fills a store through `engine` and uses it every way the product does: ingest (new, duplicate, late and
 * enriching events), reports with every filter, the log, the views, the teams overview, timelines, a digest's
 * reads, exports, and the digest scheduler's claims.
 */
export async function issueEveryQuery(engine: Engine): Promise<void> {
  const store = createAssignmentStore(engine, () => NOW);
  await store.agents.upsert(AGENTS.map((a) => ({ id: a.party.id, name: a.party.name, team: a.team })));
  await store.agents.list();
  const events = shapeEvents();
  for (let i = 0; i < events.length; i += 500) await store.ingest(events.slice(i, i + 500));
  // Again (all duplicates), a late event for a contact with a later state, and a webhook event then the CSV row
  // that completes it.
  await store.ingest(events.slice(0, 50));
  const last = events.at(-1) as AssignmentEvent;
  await store.ingest([
    {
      ...last,
      id: 'late',
      timestamp: new Date(last.timestamp.getTime() - 3_600_000),
      assignee: AGENTS[8]?.party ?? null,
    },
  ]);
  const hook: AssignmentEvent = {
    id: 'hook',
    timestamp: new Date(NOW.getTime() - DAY_MS),
    conversationId: null,
    contact: { id: 'w1', name: 'Webhook Contact' },
    assignee: AGENTS[0]?.party ?? null,
    source: 'workflow',
    assignedBy: null,
    team: null,
  };
  await store.ingest([hook], { origin: 'webhook' });
  await store.ingest([{ ...hook, id: 'row', source: 'user', assignedBy: LEADS[0] ?? null }], {
    origin: 'csv',
    enrichWithinMs: 60_000,
  });
  // The same for an unassignment.
  const closed = {
    ...hook,
    id: 'hook-closed',
    timestamp: new Date(hook.timestamp.getTime() + 600_000),
    assignee: null,
  };
  await store.ingest([closed], { origin: 'webhook' });
  await store.ingest([{ ...closed, id: 'row-closed', source: 'close_conversation' }], {
    origin: 'csv',
    enrichWithinMs: 60_000,
  });

  // Log rows that name agents (the directory's ids replace the names), events that carry a team, the teams.
  await store.ingest(
    [
      {
        ...hook,
        id: 'named',
        contact: { id: 'w2', name: 'Named Contact' },
        previousAssignee: { id: 'Agent B', name: 'Agent B' },
        assignee: { id: 'Agent C', name: 'Agent C' },
        team: { id: 'night', name: 'Night Shift' },
      },
    ],
    { origin: 'csv', enrichWithinMs: 60_000 },
  );
  await store.agents.teams();
  // A decision left half written (a crash): the next request for the contact finishes it, or the sweep does.
  const stuck = engine.collection('contact_state');
  await stuck.updateOne(
    { _id: 'w2' },
    { $set: { pending: { token: 'crashed', since: new Date(NOW.getTime() - DAY_MS), ops: [] } } },
  );
  await store.finishInterrupted(NOW);
  // A state that cannot be read is rebuilt from the contact's log.
  await stuck.updateOne({ _id: 'w2' }, { $set: { at: 'garbage' } });
  await store.ingest([{ ...hook, id: 'after-repair', contact: { id: 'w2', name: 'Named Contact' } }]);

  const range = resolveRange({ kind: 'last_days', days: 30 }, NOW, ZONE);
  const window = { from: range.from, to: range.to };
  for (const f of FILTER_CASES) {
    await store.report(range, f);
    await store.logPage(window, f, 1);
    for (const grouping of GROUPINGS) await store.groupCounts(window, f, grouping, ZONE);
    for await (const _ of store.exportRows(window, f)) {
      // Read to the end, as an export does.
    }
  }
  await store.logPage(window, NO_FILTERS, 3);
  await store.agents.overview(window);
  await store.agents.overview(window, ['Support']);

  const someone = events[100] as AssignmentEvent;
  for (const timeWindow of [{}, window]) {
    await store.timeline({ kind: 'conversation', id: '90011' }, timeWindow);
    await store.timeline({ kind: 'contact', id: someone.contact.id }, timeWindow);
    await store.timeline({ kind: 'contact', id: someone.contact.name }, timeWindow);
    await store.timeline({ kind: 'contact', id: 'Nobody Known' }, timeWindow);
  }

  // A digest reads the conversations its day touched: by id, by contact for those without one, or both.
  const yesterday = addDays(localDateOf(NOW, ZONE), -1);
  const data = createDigestData(engine);
  await data.load({ team: 'Support', day: yesterday, zone: ZONE, filters: NO_FILTERS });
  await data.load({ team: 'sales', day: yesterday, zone: ZONE, filters: filters({ sources: ['bot'] }) });
  const quiet = (days: number, conversationId: string | null): AssignmentEvent => ({
    ...hook,
    id: `quiet${days}`,
    timestamp: new Date(NOW.getTime() - days * DAY_MS),
    conversationId,
    contact: { id: `quiet${days}`, name: 'Quiet Contact' },
    team: { id: 'billing', name: 'Billing' },
  });
  await store.ingest([quiet(70, null), quiet(71, '95000')]);
  for (const days of [70, 71])
    await data.load({
      team: 'Billing',
      day: localDateOf(new Date(NOW.getTime() - days * DAY_MS), ZONE),
      zone: ZONE,
      filters: NO_FILTERS,
    });

  const digests = createDigestStore(engine);
  const newDigest = {
    channelId: 'C1',
    channelName: 'support',
    team: 'Support',
    at: '09:00',
    zone: ZONE,
    weekdaysOnly: false,
    skipEmpty: false,
    filters: NO_FILTERS,
    createdBy: 'U1',
    createdAt: NOW,
  };
  const digest = await digests.add(newDigest);
  const removed = await digests.add({ ...newDigest, team: 'Sales' });
  await digests.get(digest.id);
  await digests.list();
  await digests.active();
  await digests.setPaused(digest.id, true, NOW);
  await digests.setPaused(digest.id, false, NOW);
  const candidate = { digestId: digest.id, localDate: yesterday, scheduledAt: NOW };
  await digests.runs([`${digest.id}:${yesterday}`]);
  const claim = await digests.claim(candidate);
  if (!claim) throw new Error('the claim was not taken');
  await digests.renew(claim);
  await digests.recordPosted(claim, '1.2');
  await digests.finish(claim, { state: 'failed', finishedAt: NOW, retryAfterMs: 0 });
  const failed = (await digests.runs([claim.run.id])).get(claim.run.id);
  if (failed) await digests.takeOver(failed);
  await digests.recordMissed({ ...candidate, localDate: addDays(yesterday, -1) }, NOW, 13 * 3_600_000);
  await digests.recordTest(candidate, { state: 'posted', at: NOW, reason: null, ts: '1.3' });
  await digests.markCreatorNotified(claim.run.id);
  await digests.log(digest.id);
  await digests.remove(removed.id);
}
