import { z } from 'zod';
import type { Party } from '../domain/event.ts';
import type { Engine, IndexSpec } from './collection.ts';
import type { TimeWindow } from './pipelines.ts';
import { EVENTS_COLLECTION, type TeamSummary, teamOverview } from './team-queries.ts';

export const AGENTS = 'agents';

/** The directory is listed by name (`/assignments teams`, each ingest batch's snapshot). */
export const AGENT_INDEXES: IndexSpec[] = [{ name: 'name', keys: { name: 1 } }];

export interface AgentRow {
  id: string;
  name: string;
  team: string;
}

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

export interface TeamDirectory {
  /** Adds or moves agents; history keeps the team each event was given when it arrived. */
  upsert(rows: AgentRow[]): Promise<{ added: number; updated: number }>;
  list(): Promise<DirectoryAgent[]>;
  /** A lookup for one ingest batch: an agent's team by id, or by name for name-only parties (CSV rows). */
  snapshot(): Promise<(agent: Party | null) => Party | null>;
  /**
   * Every team with its agents and their assignment counts in `window`, plus events with no team; `teams`
   * (ids or names) keeps only those teams. Counts use the team each event was given when it arrived.
   */
  overview(window: TimeWindow, teams?: readonly string[]): Promise<TeamSummary[]>;
}

export function createTeamDirectory(engine: Engine): TeamDirectory {
  const agents = engine.collection(AGENTS);
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
      teamOverview({ events: engine.collection(EVENTS_COLLECTION), directory: { list } }, window, teams),
    async snapshot() {
      const byId = new Map<string, Party>();
      const byName = new Map<string, Party>();
      for (const a of await list()) {
        byId.set(a.id, a.team);
        byName.set(a.name.toLowerCase(), a.team);
      }
      return (agent) => {
        if (!agent) return null;
        const byItsId = byId.get(agent.id);
        if (byItsId) return byItsId;
        // Only a party known by name alone (a CSV row) is looked up by name: an agent of another platform who
        // happens to share a name is not in this directory.
        return agent.id === agent.name ? (byName.get(agent.name.toLowerCase()) ?? null) : null;
      };
    },
  };
}
