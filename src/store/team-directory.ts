import { z } from 'zod';
import { isNameOnly } from '../domain/assignment-chain.ts';
import type { Party } from '../domain/event.ts';
import type { Engine, IndexSpec } from './collection.ts';
import type { TimeWindow } from './pipelines.ts';
import { EVENTS_COLLECTION, type TeamSummary, teamOverview } from './team-queries.ts';

export const AGENTS = 'agents';
/** Teams that arrived on events (Chatwoot's `meta.team`, the API's `team`), known without a directory. */
export const SEEN_TEAMS = 'teams';

export const AGENT_INDEXES: IndexSpec[] = [
  // The directory is listed by name (`/assignments teams`, `digest add`'s teams).
  { name: 'name', keys: { name: 1 } },
  // Each ingest batch looks up the agents it names by name (CSV rows name agents; they do not identify them).
  { name: 'name_key', keys: { nameKey: 1 } },
];

export interface AgentRow {
  id: string;
  name: string;
  team: string;
}

const seenTeamSchema = z.object({ _id: z.string(), name: z.string() });

const agentSchema = z.object({
  _id: z.string(),
  name: z.string(),
  nameKey: z.string(),
  team: z.object({ id: z.string(), name: z.string() }),
});

export interface DirectoryAgent {
  id: string;
  name: string;
  team: Party;
}

/** Team ids are the lowercased team name, so `team:support` and `team:Support` both match. */
export function teamParty(name: string): Party {
  return { id: name.trim().toLowerCase(), name: name.trim() };
}

/** What the directory knows of the agents one ingest batch names. */
export interface DirectorySnapshot {
  /**
   * The directory's own party for a name-only party (a CSV row's agent) whose name one agent has, so that a
   * person's webhook and CSV events count as one; any other party as it is.
   */
  identify(party: Party): Party;
  identify(party: Party | null): Party | null;
  /** An agent's team by id or, for a name-only party, by its one agent of that name. */
  teamOf(agent: Party | null): Party | null;
  /** Names `identify` was asked about that several agents share: they stay names. */
  ambiguous(): string[];
}

export interface TeamDirectory {
  /** Adds or moves agents; history keeps the team each event was given when it arrived. */
  upsert(rows: AgentRow[]): Promise<{ added: number; updated: number }>;
  list(): Promise<DirectoryAgent[]>;
  /** Every team: the directory's, and those that arrived on events, by name. */
  teams(): Promise<Party[]>;
  /** One read of the agents the parties name, by id or (name-only parties) by name. */
  snapshot(parties: readonly (Party | null)[]): Promise<DirectorySnapshot>;
  /**
   * Every team with its agents and their assignment counts in `window`, plus events with no team; `teams`
   * (ids or names) keeps only those teams. Counts use the team each event was given when it arrived.
   */
  overview(window: TimeWindow, teams?: readonly string[]): Promise<TeamSummary[]>;
}

export function createTeamDirectory(engine: Engine): TeamDirectory {
  const agents = engine.collection(AGENTS);
  const seen = engine.collection(SEEN_TEAMS);
  /** The teams events have carried, by id (the `_id` index, in order). */
  async function seenTeams(): Promise<Party[]> {
    const out: Party[] = [];
    for await (const doc of seen.find({}, { sort: { _id: 1 } })) {
      const t = seenTeamSchema.parse(doc);
      out.push({ id: t._id, name: t.name });
    }
    return out;
  }
  async function list(): Promise<DirectoryAgent[]> {
    const out: DirectoryAgent[] = [];
    for await (const doc of agents.find({}, { sort: { name: 1 } })) {
      const a = agentSchema.parse(doc);
      out.push({ id: a._id, name: a.name, team: a.team });
    }
    return out;
  }
  return {
    async upsert(rows) {
      let added = 0;
      let updated = 0;
      for (const row of rows) {
        const r = await agents.updateOne(
          { _id: row.id },
          { $set: { name: row.name, nameKey: row.name.toLowerCase(), team: teamParty(row.team) } },
          { upsert: true },
        );
        if (r.upserted) added++;
        else if (r.modified) updated++;
      }
      return { added, updated };
    },
    list,
    overview: (window, teams = []) =>
      teamOverview(
        { events: engine.collection(EVENTS_COLLECTION), directory: { list }, seenTeams },
        window,
        teams,
      ),
    async teams() {
      const byName = new Map<string, Party>();
      for (const a of await list()) byName.set(a.team.name.toLowerCase(), a.team);
      for (const t of await seenTeams())
        if (!byName.has(t.name.toLowerCase())) byName.set(t.name.toLowerCase(), t);
      return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
    },
    async snapshot(parties) {
      const ids = new Set<string>();
      const names = new Set<string>();
      for (const p of parties) {
        if (!p) continue;
        ids.add(p.id);
        if (isNameOnly(p)) names.add(p.name.toLowerCase());
      }
      const byId = new Map<string, DirectoryAgent>();
      const byName = new Map<string, DirectoryAgent[]>();
      if (ids.size || names.size) {
        const filter = { $or: [{ _id: { $in: [...ids] } }, { nameKey: { $in: [...names] } }] };
        // The agents named decide the ids and teams the batch stores: read from the primary.
        for await (const doc of agents.find(filter, { primary: true })) {
          const a = agentSchema.parse(doc);
          const agent = { id: a._id, name: a.name, team: a.team };
          byId.set(agent.id, agent);
          byName.set(a.nameKey, [...(byName.get(a.nameKey) ?? []), agent]);
        }
      }
      const ambiguous = new Set<string>();
      const named = (p: Party): DirectoryAgent | undefined => {
        const found = byName.get(p.name.toLowerCase()) ?? [];
        if (found.length > 1) ambiguous.add(p.name);
        return found.length === 1 ? found[0] : undefined;
      };
      /** Only a party known by name alone is looked up by name: another platform's agent of the same name is not. */
      const agentOf = (p: Party): DirectoryAgent | undefined =>
        byId.get(p.id) ?? (isNameOnly(p) ? named(p) : undefined);
      function identify(party: Party): Party;
      function identify(party: Party | null): Party | null;
      function identify(party: Party | null): Party | null {
        if (!party || !isNameOnly(party)) return party;
        const agent = agentOf(party);
        return agent ? { id: agent.id, name: agent.name } : party;
      }
      return {
        identify,
        teamOf: (agent) => (agent ? (agentOf(agent)?.team ?? null) : null),
        ambiguous: () => [...ambiguous].sort(),
      };
    },
  };
}
