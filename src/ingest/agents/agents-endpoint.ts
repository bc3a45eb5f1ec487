import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { Logger } from '@slack/bolt';
import type { AssignmentStore } from '../../store/assignment-store.ts';
import { authorizeIngest } from '../authorize-ingest.ts';
import { readBodyOr413 } from '../read-body.ts';
import { sendJson } from '../send-json.ts';
import { MAX_AGENTS, parseAgentsJson } from './agent-rows.ts';
import { readAgentsCsv } from './read-agents-csv.ts';

/** 10,000 agents with long names and team names fit with room to spare. */
export const MAX_AGENTS_BODY_BYTES = 4 * 1024 * 1024;

export interface AgentsEndpointDeps {
  store: Pick<AssignmentStore, 'agents' | 'ping'>;
  ingestToken: string | undefined;
  logger: Logger;
  maxBodyBytes?: number;
}

type BodyFormat = 'csv' | 'json';

function formatOf(contentType: string | undefined): BodyFormat | undefined {
  const media = (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
  if (media === 'text/csv' || media === 'application/csv') return 'csv';
  if (media === 'application/json' || media.endsWith('+json')) return 'json';
  return undefined;
}

/**
 * `POST /api/agents`: the team directory as `text/csv` (`Agent ID, Agent Name, Team`, as the import command
 * reads it) or JSON `[{ id, name, team }]`. Adds new agents and moves known ones; events already stored keep
 * their team. All or nothing: one bad row and nothing is stored. Answers `{ added, updated }`.
 */
export function agentsEndpoint(deps: AgentsEndpointDeps) {
  const limit = deps.maxBodyBytes ?? MAX_AGENTS_BODY_BYTES;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (
      !authorizeIngest(req, res, deps.ingestToken, {
        name: 'the directory import',
        route: 'POST /api/agents',
      })
    )
      return;
    const format = formatOf(req.headers['content-type']);
    if (!format) {
      sendJson(res, 415, {
        error:
          'send Content-Type: text/csv (Agent ID, Agent Name, Team) or application/json ([{ id, name, team }])',
      });
      req.resume();
      return;
    }
    const raw = await readBodyOr413(req, res, limit, `send at most ${MAX_AGENTS} agents per request`);
    if (!raw) return;
    let parsed: Awaited<ReturnType<typeof readAgentsCsv>> | ReturnType<typeof parseAgentsJson>;
    if (format === 'csv') parsed = await readAgentsCsv(Readable.from([raw]));
    else {
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch (error) {
        sendJson(res, 400, {
          error: `body is not JSON: ${error instanceof Error ? error.message : 'parse error'}`,
        });
        return;
      }
      parsed = parseAgentsJson(body);
    }
    if (!parsed.ok) {
      sendJson(res, 400, { error: 'invalid agents: nothing was stored', problems: parsed.problems });
      return;
    }
    try {
      // Ask first, so that an unreachable store stores nothing rather than part of the directory.
      await deps.store.ping();
      const { added, updated } = await deps.store.agents.upsert(parsed.rows);
      sendJson(res, 200, { added, updated });
    } catch (error) {
      deps.logger.error('POST /api/agents: the store failed; answered 503', error);
      sendJson(res, 503, {
        error:
          'the store failed: some agents may be stored, the rest are not; send the same agents again later (sending again is exact)',
      });
    }
  };
}
