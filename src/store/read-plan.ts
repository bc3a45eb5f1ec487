import type { QueryPlan } from './collection.ts';

// MongoDB's `explain('executionStats')` reduced to a QueryPlan (the index test's view of a plan). Its shape varies: the classic engine nests stages
// in `winningPlan` (`inputStage`, `inputStages` for OR and SORT_MERGE); the slot-based engine (7.0+) puts the
// same tree under `winningPlan.queryPlan`; a sharded cluster lists each shard's. Every stage of the winning plan
// is found by walking it whole, whatever the nesting; rejected plans are never looked at.

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every `{ stage, … }` node under `node`, skipping the slot-based engine's string dump. */
function stagesOf(node: unknown, out: Json[] = []): Json[] {
  if (Array.isArray(node)) {
    for (const item of node) stagesOf(item, out);
    return out;
  }
  if (!isObject(node)) return out;
  if (typeof node.stage === 'string') out.push(node);
  for (const [key, value] of Object.entries(node)) if (key !== 'slotBasedPlan') stagesOf(value, out);
  return out;
}

const numberAt = (node: unknown, key: string): number => {
  const v = isObject(node) ? node[key] : undefined;
  return typeof v === 'number' ? v : 0;
};

export function readPlan(explain: unknown): QueryPlan {
  const planner = isObject(explain) ? explain.queryPlanner : undefined;
  const winning = isObject(planner) ? planner.winningPlan : undefined;
  const stages = stagesOf(winning);
  const stats = isObject(explain) ? explain.executionStats : undefined;
  return {
    // IXSCAN, and 8.0's EXPRESS_IXSCAN, name their index; IDHACK is the `_id` index's shortcut.
    indexes: stages.flatMap((s) =>
      s.stage === 'IDHACK'
        ? ['_id_']
        : /IXSCAN$/.test(String(s.stage)) && typeof s.indexName === 'string'
          ? [s.indexName]
          : [],
    ),
    collectionScan: stages.some((s) => s.stage === 'COLLSCAN'),
    blockingSort: stages.some((s) => s.stage === 'SORT'),
    keysExamined: numberAt(stats, 'totalKeysExamined'),
    docsExamined: numberAt(stats, 'totalDocsExamined'),
    returned: numberAt(stats, 'nReturned'),
  };
}
