import { z } from 'zod';
import type { Party } from '../domain/event.ts';
import { NO_FILTERS } from '../domain/filters.ts';
import type { ResolvedRange } from '../domain/range.ts';
import type { Doc, StoreCollection } from './collection.ts';
import { matchEvents, type TimeWindow } from './pipelines.ts';
import type { DirectoryAgent } from './team-directory.ts';

// The teams overview: events in a window counted per team and assignee by one pure pipeline (run by both
// engines), then joined in code with the directory so that agents without assignments and empty teams show.

/**
 * The events collection, as assignment-store.ts names it (EVENTS). Importing it from there would be a cycle:
 * that module builds the directory, which runs this query; a test keeps the two names equal.
 */
export const EVENTS_COLLECTION = 'assignments';

export interface AgentCount {
  agent: Party;
  count: number;
  /** The directory's team for this agent when it is another one: the agent moved, history did not. */
  nowIn?: Party;
}

export interface TeamSummary {
  /** `null` gathers events that arrived with no team (their assignee was not in the directory then). */
  team: Party | null;
  /** Most assignments first; directory members with none are listed too. */
  agents: AgentCount[];
  /** Unassignments: they count, and belong to the team of the assignee who lost the conversation. */
  unassigned: number;
  total: number;
}

/** One `$group` row: a team and an assignee, either of which may be nobody. */
export interface TeamCountRow {
  team: Party | null;
  assignee: Party | null;
  count: number;
}

/** Counts per team and assignee in a window; `teams` (ids or names, any case) narrows it like `team:`. */
export function countByTeamAndAssignee(window: TimeWindow, teams: readonly string[] = []): Doc[] {
  return [
    { $match: matchEvents(window, { ...NO_FILTERS, teams: [...teams] }) },
    {
      $group: {
        // `$ifNull` so that a missing team or assignee groups as null on both engines alike.
        _id: { team: { $ifNull: ['$team.id', null] }, assignee: { $ifNull: ['$assignee.id', null] } },
        // `$max` rather than `$first`: the same answer on both engines whatever the order.
        teamName: { $max: '$team.name' },
        assigneeName: { $max: '$assignee.name' },
        count: { $sum: 1 },
      },
    },
  ];
}

const countRowSchema = z.object({
  _id: z.object({ team: z.string().nullable(), assignee: z.string().nullable() }),
  teamName: z.string().nullish(),
  assigneeName: z.string().nullish(),
  count: z.number(),
});

/** A grouped document as a row; stored documents are outside data and are parsed. */
export function toTeamCountRow(doc: Doc): TeamCountRow {
  const row = countRowSchema.parse(doc);
  const { team, assignee } = row._id;
  return {
    team: team === null ? null : { id: team, name: row.teamName ?? team },
    assignee: assignee === null ? null : { id: assignee, name: row.assigneeName ?? assignee },
    count: row.count,
  };
}

interface TeamEntry {
  team: Party | null;
  agents: Map<string, AgentCount>;
  unassigned: number;
  total: number;
}

const lower = (text: string): string => text.toLowerCase();
const byName = (a: string, b: string): number => a.localeCompare(b, 'en', { sensitivity: 'base' });

/**
 * Joins the counted rows with the directory. An event's team is matched to a directory team by id or, since
 * directory ids are lowercased names, by name; an assignee to a directory agent by id or, for a name-only
 * party (CSV rows), by name. Teams are listed by name with "no team" last; `teams` keeps only the teams asked
 * for (by id or name) and any team the counted rows matched.
 */
export function joinTeams(
  directory: readonly DirectoryAgent[],
  rows: readonly TeamCountRow[],
  teams: readonly string[] = [],
  seenTeams: readonly Party[] = [],
): TeamSummary[] {
  const entries = new Map<string, TeamEntry>();
  const teamByName = new Map<string, string>();
  const agentById = new Map<string, DirectoryAgent>();
  const agentByName = new Map<string, DirectoryAgent>();
  const noTeam: TeamEntry = { team: null, agents: new Map(), unassigned: 0, total: 0 };

  const entryOf = (team: Party): TeamEntry => {
    const key = entries.has(team.id) ? team.id : (teamByName.get(lower(team.name)) ?? team.id);
    let entry = entries.get(key);
    if (!entry) {
      entry = { team, agents: new Map(), unassigned: 0, total: 0 };
      entries.set(key, entry);
      if (!teamByName.has(lower(team.name))) teamByName.set(lower(team.name), key);
    }
    return entry;
  };

  for (const a of directory) {
    agentById.set(a.id, a);
    agentByName.set(lower(a.name), a);
    entryOf(a.team).agents.set(a.id, { agent: { id: a.id, name: a.name }, count: 0 });
  }
  // Teams that arrived on events are teams too, with or without a directory.
  for (const team of seenTeams) entryOf(team);
  const asked = new Set(teams.map(lower));
  const wanted = (team: Party): boolean => asked.has(lower(team.id)) || asked.has(lower(team.name));
  const counted = new Set<TeamEntry>();

  for (const row of rows) {
    const entry = row.team ? entryOf(row.team) : noTeam;
    counted.add(entry);
    entry.total += row.count;
    if (!row.assignee) {
      entry.unassigned += row.count;
      continue;
    }
    const { id, name } = row.assignee;
    const known = agentById.get(id) ?? (id === name ? agentByName.get(lower(name)) : undefined);
    const key = known?.id ?? id;
    let line = entry.agents.get(key);
    if (!line) {
      line = { agent: known ? { id: known.id, name: known.name } : row.assignee, count: 0 };
      // Members were listed up front, so a directory agent met here belongs to another team now.
      if (known) line.nowIn = known.team;
      entry.agents.set(key, line);
    }
    line.count += row.count;
  }

  const kept = [...entries.values()].filter(
    (e) => asked.size === 0 || counted.has(e) || (e.team !== null && wanted(e.team)),
  );
  kept.sort((a, b) => byName(a.team?.name ?? '', b.team?.name ?? ''));
  if (noTeam.total > 0) kept.push(noTeam);
  return kept.map((e) => ({
    team: e.team,
    agents: [...e.agents.values()].sort((a, b) => b.count - a.count || byName(a.agent.name, b.agent.name)),
    unassigned: e.unassigned,
    total: e.total,
  }));
}

/**
 * Every team with its agents and their counts in `window`: one aggregation plus the directory list and the
 * teams seen on events.
 */
export async function teamOverview(
  source: {
    events: StoreCollection;
    directory: { list(): Promise<DirectoryAgent[]> };
    /** The teams seen on events (team-directory.ts). */
    seenTeams(): Promise<Party[]>;
  },
  window: TimeWindow,
  teams: readonly string[] = [],
): Promise<TeamSummary[]> {
  const [docs, agents, seen] = await Promise.all([
    source.events.aggregate(countByTeamAndAssignee(window, teams)),
    source.directory.list(),
    source.seenTeams(),
  ]);
  return joinTeams(agents, docs.map(toTeamCountRow), teams, seen);
}

/** The teams overview as every renderer shows it. */
export interface TeamOverview {
  range: ResolvedRange;
  /** The `team:` values asked for, as typed; empty for every team. */
  teamsAsked: string[];
  teams: TeamSummary[];
  total: number;
  /** The command text that reproduces this overview. */
  command: string;
}
