import { z } from 'zod';
import type { AgentRow } from '../../store/team-directory.ts';

/** Most agents one file or request may carry; a directory is a few hundred, this leaves room. */
export const MAX_AGENTS = 10_000;

const MAX_ID = 200;
const MAX_NAME = 200;

const text = (max: number) =>
  z.string().trim().min(1, 'is empty').max(max, `is longer than ${max} characters`);

// As for events: a numeric id is only trustworthy as a whole number JSON has not rounded.
const idSchema = z
  .union([
    text(MAX_ID),
    z.number().refine(Number.isSafeInteger, 'must be a whole number below 2^53; send longer ids as strings'),
  ])
  .transform((v) => String(v));

/** One directory row as a sender or a CSV file gives it. */
export const agentRowSchema = z.object({ id: idSchema, name: text(MAX_NAME), team: text(MAX_NAME) });

/** A problem with one item of a JSON body, named by its index and field, as `POST /api/events` names them. */
export interface JsonProblem {
  index: number;
  field: string;
  message: string;
}

export type ParsedAgents<P> = { ok: true; rows: AgentRow[] } | { ok: false; problems: P[] };

/** Validates a JSON body `[{ id, name, team }, …]`, all or nothing; an id given twice is a problem. */
export function parseAgentsJson(body: unknown): ParsedAgents<JsonProblem> {
  if (!Array.isArray(body))
    return { ok: false, problems: [{ index: 0, field: '', message: 'send an array of { id, name, team }' }] };
  if (body.length === 0) return { ok: false, problems: [{ index: 0, field: '', message: 'no agents sent' }] };
  if (body.length > MAX_AGENTS)
    return {
      ok: false,
      problems: [{ index: MAX_AGENTS, field: '', message: `at most ${MAX_AGENTS} agents per request` }],
    };
  const rows: AgentRow[] = [];
  const problems: JsonProblem[] = [];
  const firstIndex = new Map<string, number>();
  body.forEach((item, index) => {
    const result = agentRowSchema.safeParse(item);
    if (!result.success) {
      for (const issue of result.error.issues)
        problems.push({ index, field: issue.path.join('.'), message: issue.message });
      return;
    }
    const first = firstIndex.get(result.data.id);
    if (first !== undefined) {
      problems.push({ index, field: 'id', message: `${result.data.id} is already at index ${first}` });
      return;
    }
    firstIndex.set(result.data.id, index);
    rows.push(result.data);
  });
  return problems.length ? { ok: false, problems } : { ok: true, rows };
}
