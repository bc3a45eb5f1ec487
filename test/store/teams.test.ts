import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AssignmentEvent, Party } from '../../src/domain/event.ts';
import { resolveRange } from '../../src/domain/range.ts';
import { type AssignmentStore, createAssignmentStore, EVENTS } from '../../src/store/assignment-store.ts';
import type { Engine } from '../../src/store/collection.ts';
import type { TimeWindow } from '../../src/store/pipelines.ts';
import type { DirectoryAgent } from '../../src/store/team-directory.ts';
import {
  countByTeamAndAssignee,
  EVENTS_COLLECTION,
  joinTeams,
  type TeamSummary,
} from '../../src/store/team-queries.ts';
import { makeEvent } from '../builders/event.ts';
import { testEngines } from './engines.ts';

/** Thursday 26 Nov 2026, 18:00 in Kuala Lumpur. */
const NOW = new Date('2026-11-26T10:00:00Z');
const ZONE = 'Asia/Kuala_Lumpur';
// Last 30 days there: Wed 28 Oct – Thu 26 Nov, [2026-10-27T16:00Z, 2026-11-26T16:00Z).
const range = resolveRange({ kind: 'last_days', days: 30 }, NOW, ZONE);
const WINDOW: TimeWindow = { from: range.from, to: range.to };

const JOHN: Party = { id: '2001', name: 'John Doe' };
const MEI: Party = { id: '2002', name: 'Mei Tan' };
const ALI: Party = { id: '2003', name: 'Ali Hassan' };
const SUPPORT: Party = { id: 'support', name: 'Support' };
const SALES: Party = { id: 'sales', name: 'Sales' };

const DIRECTORY = [
  { id: '2001', name: 'John Doe', team: 'Support' },
  { id: '2002', name: 'Mei Tan', team: 'Support' },
  { id: '2003', name: 'Ali Hassan', team: 'Sales' },
  { id: '2004', name: 'Sarah Lee', team: 'Sales' },
  { id: '2005', name: 'Quinn Park', team: 'Billing' },
];

let n = 0;
const contact = (id: string): Party => ({ id, name: `Contact ${id}` });
const at = (iso: string, assignee: Party | null, overrides: Partial<AssignmentEvent> = {}) =>
  makeEvent({ id: `e${++n}`, timestamp: new Date(iso), assignee, ...overrides });

/** A summary as `team: agent count, …` lines, easy to compare with the numbers worked out by hand. */
function shape(teams: TeamSummary[]): string[] {
  return teams.map((t) => {
    const agents = t.agents.map(
      (a) => `${a.agent.name} ${a.count}${a.nowIn ? ` (now ${a.nowIn.name})` : ''}`,
    );
    const unassigned = t.unassigned ? [`unassigned ${t.unassigned}`] : [];
    return `${t.team?.name ?? 'No team'} ${t.total}: ${[...agents, ...unassigned].join(', ')}`;
  });
}

const ENGINES = testEngines('teams');

describe.each(ENGINES)('teams overview: %s', (_name, openEngine) => {
  let engine: Engine;
  let store: AssignmentStore;

  beforeEach(async () => {
    engine = await openEngine();
    store = createAssignmentStore(engine, () => NOW);
    await store.init();
    await store.agents.upsert(DIRECTORY);
    await store.ingest([
      // Contact k1: Mei, then John, then nobody (the unassignment takes John's team).
      at('2026-11-20T02:00:00Z', MEI, { contact: contact('k1') }),
      at('2026-11-21T02:00:00Z', JOHN, { contact: contact('k1') }),
      at('2026-11-22T02:00:00Z', null, { contact: contact('k1'), source: 'close_conversation' }),
      at('2026-11-23T02:00:00Z', ALI, { contact: contact('k2') }),
      // A CSV row knows only the name: joined with Sarah Lee (2004) of Sales.
      at('2026-11-24T02:00:00Z', { id: 'Sarah Lee', name: 'Sarah Lee' }, { contact: contact('k3') }),
      // Not in the directory: no team.
      at('2026-11-24T03:00:00Z', { id: 'u99', name: 'Temp Agent' }, { contact: contact('k4') }),
      // The platform named the team itself, with its own id: matched with Support by name.
      at('2026-11-25T02:00:00Z', MEI, { contact: contact('k5'), team: { id: 't1', name: 'Support' } }),
      // One second before local 28 Oct: outside. Local midnight of 28 Oct: inside. Local 27 Nov: outside.
      at('2026-10-27T15:59:59Z', MEI, { contact: contact('k6') }),
      at('2026-10-27T16:00:00Z', JOHN, { contact: contact('k7') }),
      at('2026-11-26T16:00:00Z', ALI, { contact: contact('k8') }),
    ]);
    // Mei moves to Sales: her Support assignments stay with Support; the next one is Sales'.
    await store.agents.upsert([{ id: '2002', name: 'Mei Tan', team: 'Sales' }]);
    await store.ingest([at('2026-11-26T01:00:00Z', MEI, { contact: contact('k9') })]);
  });

  afterEach(() => engine.close());

  it('lists every team with its agents and their counts, empty teams and "no team" included', async () => {
    expect(shape(await store.agents.overview(WINDOW))).toEqual([
      'Billing 0: Quinn Park 0',
      'Sales 3: Ali Hassan 1, Mei Tan 1, Sarah Lee 1',
      'Support 5: John Doe 2, Mei Tan 2 (now Sales), unassigned 1',
      'No team 1: Temp Agent 1',
    ]);
  });

  it('narrows to the teams asked for, by name or id in any case', async () => {
    expect(shape(await store.agents.overview(WINDOW, ['SALES']))).toEqual([
      'Sales 3: Ali Hassan 1, Mei Tan 1, Sarah Lee 1',
    ]);
    expect(shape(await store.agents.overview(WINDOW, ['billing', 'support']))).toEqual([
      'Billing 0: Quinn Park 0',
      'Support 5: John Doe 2, Mei Tan 2 (now Sales), unassigned 1',
    ]);
    // The platform's own team id matches the events that carry it; they count under Support.
    expect(shape(await store.agents.overview(WINDOW, ['T1']))).toEqual([
      'Support 1: Mei Tan 1 (now Sales), John Doe 0',
    ]);
    expect(await store.agents.overview(WINDOW, ['Nobody'])).toEqual([]);
  });

  it('keeps the agents and teams of an empty window', async () => {
    const empty = await store.agents.overview({ from: new Date('2020-01-01Z'), to: new Date('2020-01-02Z') });
    expect(shape(empty)).toEqual([
      'Billing 0: Quinn Park 0',
      'Sales 0: Ali Hassan 0, Mei Tan 0, Sarah Lee 0',
      'Support 0: John Doe 0',
    ]);
  });
});

describe('countByTeamAndAssignee', () => {
  it('reads the collection the store writes', () => {
    expect(EVENTS_COLLECTION).toBe(EVENTS);
  });

  it('matches the window half-open and the teams by their lowercased keys', () => {
    const [match] = countByTeamAndAssignee(WINDOW, ['Support']);
    expect(match).toEqual({
      $match: {
        ts: { $gte: WINDOW.from, $lt: WINDOW.to },
        unchanged: { $ne: true },
        $and: [{ 'keys.team': { $in: ['support'] } }],
      },
    });
  });
});

describe('joinTeams', () => {
  const directory: DirectoryAgent[] = [
    { id: '2001', name: 'John Doe', team: SUPPORT },
    { id: '2003', name: 'Ali Hassan', team: SALES },
  ];

  it('adds teams and agents only the events know, and sorts agents by count then name', () => {
    const teams = joinTeams(directory, [
      { team: SUPPORT, assignee: { id: 'x1', name: 'Zed' }, count: 2 },
      { team: SUPPORT, assignee: { id: 'x2', name: 'amy' }, count: 2 },
      { team: { id: 'T9', name: 'Night Shift' }, assignee: null, count: 4 },
      { team: null, assignee: null, count: 1 },
    ]);
    expect(shape(teams)).toEqual([
      'Night Shift 4: unassigned 4',
      'Sales 0: Ali Hassan 0',
      'Support 4: amy 2, Zed 2, John Doe 0',
      'No team 1: unassigned 1',
    ]);
  });

  it('says which team a directory agent is in now when history put them elsewhere', () => {
    const [noTeam] = joinTeams(directory, [
      { team: null, assignee: { id: '2003', name: 'Ali' }, count: 1 },
    ]).slice(-1);
    expect(noTeam?.agents).toEqual([{ agent: { id: '2003', name: 'Ali Hassan' }, count: 1, nowIn: SALES }]);
  });
});
