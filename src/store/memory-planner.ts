import type { Doc, ExplainQuery, IndexSpec, QueryPlan } from './collection.ts';

// The in-process engine's explain: which index MongoDB's planner would answer a query with, over the documents
// the engine holds, and what that costs. It models what decides the plans of this store's queries:
// - index bounds from a compound index's prefix: equalities (and `$in` lists) on leading fields, then at most one
//   range, then nothing; an index is a candidate when its first field is bounded or when it gives the sort;
// - the sort: an index gives it when the fields after its equality prefix are the sort's, all in its direction
//   or all reversed (an `$in` prefix merges sorted branches, SORT_MERGE); otherwise the plan sorts in memory;
// - multikey fields (arrays): one entry per element, documents fetched once, never two array fields in one
//   index (MongoDB refuses to store such a document, and so does this engine);
// - a top-level `$or` whose every branch has an index is answered branch by branch, with the conditions beside
//   the `$or` pushed into each branch;
// - the winner is the plan that does the least work to answer, as MongoDB's trial runs find on real data (ties:
//   no in-memory sort, more bounded fields, then the index name).
// It runs each candidate over the data to count keys and documents examined, so it costs a scan: for tests.

/** An empty array's index key: MongoDB stores `undefined`, and only `{ field: [] }` matches it by equality. */
const EMPTY_ARRAY = Symbol('empty array');

type Bound = { value: unknown; inclusive: boolean };
type Interval = { kind: 'points'; points: unknown[] } | { kind: 'range'; lower?: Bound; upper?: Bound };

function typeRank(v: unknown): number {
  if (v === EMPTY_ARRAY) return 0;
  if (v === null || v === undefined) return 1;
  if (typeof v === 'number') return 2;
  if (typeof v === 'string') return 3;
  if (v instanceof Date) return 8;
  if (typeof v === 'boolean') return 7;
  if (Array.isArray(v)) return 5;
  return 4;
}

/** BSON order, for the types this store stores. */
export function compareValues(a: unknown, b: unknown): number {
  const [ra, rb] = [typeRank(a), typeRank(b)];
  if (ra !== rb) return ra - rb;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (ra <= 1) return 0;
  const [x, y] = [JSON.stringify(a), JSON.stringify(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

const isOperatorObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  !(v instanceof Date) &&
  Object.keys(v).some((k) => k.startsWith('$'));

const isPointValue = (v: unknown): boolean =>
  v === null || v instanceof Date || ['string', 'number', 'boolean'].includes(typeof v);

/** The interval one condition on a field allows, or undefined when no index bound can express it. */
function intervalOf(condition: unknown): Interval | undefined {
  if (Array.isArray(condition))
    return condition.length === 0 ? { kind: 'points', points: [EMPTY_ARRAY] } : undefined;
  if (!isOperatorObject(condition))
    return isPointValue(condition) ? { kind: 'points', points: [condition] } : undefined;
  const ops = Object.entries(condition);
  if (ops.length === 1 && ops[0]?.[0] === '$eq') return intervalOf(ops[0][1]);
  if (ops.length === 1 && ops[0]?.[0] === '$in') {
    const list = ops[0][1];
    return Array.isArray(list) && list.every(isPointValue) ? { kind: 'points', points: list } : undefined;
  }
  const range: Interval = { kind: 'range' };
  for (const [op, value] of ops) {
    if (!isPointValue(value) || value === null) return undefined;
    if (op === '$gte' || op === '$gt') range.lower = { value, inclusive: op === '$gte' };
    else if (op === '$lte' || op === '$lt') range.upper = { value, inclusive: op === '$lte' };
    else return undefined;
  }
  return range;
}

function inInterval(v: unknown, interval: Interval): boolean {
  if (interval.kind === 'points')
    return interval.points.some((p) => (p === null ? typeRank(v) === 1 : compareValues(v, p) === 0));
  const { lower, upper } = interval;
  // Bounds are bracketed by type, as MongoDB's are: `$gte: <date>` never reaches a string.
  const bracket = typeRank(lower?.value ?? upper?.value);
  if (typeRank(v) !== bracket) return false;
  if (lower) {
    const c = compareValues(v, lower.value);
    if (c < 0 || (c === 0 && !lower.inclusive)) return false;
  }
  if (upper) {
    const c = compareValues(v, upper.value);
    if (c > 0 || (c === 0 && !upper.inclusive)) return false;
  }
  return true;
}

/** The conditions of a filter that are ANDed at the top (through `$and`), by field, and its `$or`s. */
function conjuncts(filter: Doc): { fields: Map<string, unknown[]>; ors: Doc[][] } {
  const fields = new Map<string, unknown[]>();
  const ors: Doc[][] = [];
  const visit = (f: Doc) => {
    for (const [key, value] of Object.entries(f)) {
      if (key === '$and' && Array.isArray(value)) for (const part of value) visit(part as Doc);
      else if (key === '$or' && Array.isArray(value)) ors.push(value as Doc[]);
      else if (!key.startsWith('$')) fields.set(key, [...(fields.get(key) ?? []), value]);
    }
  };
  visit(filter);
  return { fields, ors };
}

/** The tightest interval the conditions on one field allow together (points narrowed by ranges). */
function fieldInterval(conditions: unknown[]): Interval | undefined {
  const intervals = conditions.map(intervalOf).filter((i): i is Interval => i !== undefined);
  const points = intervals.find((i) => i.kind === 'points');
  if (points && points.kind === 'points') {
    const kept = points.points.filter((p) => intervals.every((i) => i === points || inInterval(p, i)));
    return { kind: 'points', points: kept };
  }
  const ranges = intervals.filter((i): i is Interval & { kind: 'range' } => i.kind === 'range');
  if (ranges.length === 0) return undefined;
  return ranges.reduce((a, b) => ({
    kind: 'range',
    lower: tighter(a.lower, b.lower, 1),
    upper: tighter(a.upper, b.upper, -1),
  }));
}

function tighter(a: Bound | undefined, b: Bound | undefined, sign: 1 | -1): Bound | undefined {
  if (!a || !b) return a ?? b;
  const c = compareValues(a.value, b.value) * sign;
  if (c !== 0) return c > 0 ? a : b;
  return a.inclusive ? b : a;
}

/** What one index can do for a query. */
interface IndexPlan {
  index: IndexSpec;
  intervals: (Interval | undefined)[];
  /** Leading fields bounded to points. */
  pointFields: number;
  /** Bounded fields in all: the points, then at most one range. */
  boundedFields: number;
  /** Whether walking the index gives the sort, and in which direction. */
  sortDirection: 1 | -1 | undefined;
  /** Several points on a leading field: branches merged in sort order rather than one walk. */
  merged: boolean;
}

function planIndex(
  index: IndexSpec,
  fields: Map<string, unknown[]>,
  sort: [string, 1 | -1][],
  multikey: ReadonlySet<string>,
): IndexPlan | undefined {
  const keys = Object.entries(index.keys);
  const intervals: (Interval | undefined)[] = [];
  let pointFields = 0;
  let boundedFields = 0;
  let open = true;
  for (const [path] of keys) {
    const conditions = fields.get(path);
    const interval = open && conditions ? fieldInterval(conditions) : undefined;
    intervals.push(interval);
    if (!interval) {
      open = false;
      continue;
    }
    boundedFields++;
    if (interval.kind === 'points' && open && pointFields === boundedFields - 1) pointFields++;
    // A range ends what the index can bound; a multikey field's bounds do not compound with a range after it.
    if (interval.kind === 'range') open = false;
  }
  const sortDirection = providesSort(keys, pointFields, sort, multikey);
  if (boundedFields === 0 && (sort.length === 0 || sortDirection === undefined)) return undefined;
  const merged = intervals.slice(0, pointFields).some((i) => i?.kind === 'points' && i.points.length > 1);
  return { index, intervals, pointFields, boundedFields, sortDirection, merged };
}

function providesSort(
  keys: [string, number][],
  pointFields: number,
  sort: [string, 1 | -1][],
  multikey: ReadonlySet<string>,
): 1 | -1 | undefined {
  if (sort.length === 0) return 1;
  const rest = keys.slice(pointFields);
  if (rest.length < sort.length) return undefined;
  let direction: 1 | -1 | undefined;
  for (let i = 0; i < sort.length; i++) {
    const [path, dir] = sort[i] as [string, 1 | -1];
    const [keyPath, keyDir] = rest[i] as [string, number];
    if (keyPath !== path || multikey.has(path)) return undefined;
    const d = keyDir === dir ? 1 : -1;
    if (direction !== undefined && d !== direction) return undefined;
    direction = d;
  }
  return direction;
}

/** The values a document has at a path: each element of an array, EMPTY_ARRAY for `[]`, null when missing. */
function keyValues(doc: Doc, path: string): unknown[] {
  let current: unknown = doc;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return [null];
    current = (current as Doc)[part];
  }
  if (current === undefined) return [null];
  if (Array.isArray(current)) return current.length === 0 ? [EMPTY_ARRAY] : current;
  return [current];
}

/** A document's entries in an index: one per element of its array field, if it has one. */
function entriesOf(doc: Doc, keys: string[]): unknown[][] {
  let tuples: unknown[][] = [[]];
  for (const path of keys) {
    const values = keyValues(doc, path);
    tuples = tuples.flatMap((t) => values.map((v) => [...t, v]));
  }
  return tuples;
}

interface Run {
  keysExamined: number;
  docsExamined: number;
  matched: number;
  /** Stopped early because the limit was reached in order. */
  complete: boolean;
}

function walkIndex(
  plan: IndexPlan,
  docs: readonly Doc[],
  test: (doc: Doc) => boolean,
  wanted: number | undefined,
  seen: Set<Doc>,
): Run {
  const keys = Object.keys(plan.index.keys);
  const dirs = Object.values(plan.index.keys);
  const entries: { tuple: unknown[]; doc: Doc }[] = [];
  for (const doc of docs)
    for (const tuple of entriesOf(doc, keys))
      if (tuple.every((v, i) => !plan.intervals[i] || inInterval(v, plan.intervals[i] as Interval)))
        entries.push({ tuple, doc });
  // Index order; merged branches interleave by the fields after the points, as SORT_MERGE does.
  const from = plan.merged ? plan.pointFields : 0;
  const direction = plan.sortDirection ?? 1;
  entries.sort((a, b) => {
    for (let i = from; i < keys.length; i++) {
      const c = compareValues(a.tuple[i], b.tuple[i]) * (dirs[i] ?? 1);
      if (c !== 0) return c * direction;
    }
    return 0;
  });
  const run: Run = { keysExamined: 0, docsExamined: 0, matched: 0, complete: false };
  for (const { doc } of entries) {
    run.keysExamined++;
    if (seen.has(doc)) continue;
    seen.add(doc);
    run.docsExamined++;
    if (!test(doc)) continue;
    run.matched++;
    if (wanted !== undefined && run.matched >= wanted) {
      run.complete = true;
      break;
    }
  }
  return run;
}

interface Candidate {
  indexes: IndexSpec[];
  plans: IndexPlan[];
  blockingSort: boolean;
  run: Run;
}

function runCandidate(
  plans: IndexPlan[],
  docs: readonly Doc[],
  test: (doc: Doc) => boolean,
  query: ExplainQuery,
): Candidate {
  const blockingSort =
    Object.keys(query.sort ?? {}).length > 0 && plans.some((p) => p.sortDirection === undefined);
  // In order (one walk, or branches merged in sort order), a limit stops each walk once it has enough.
  const wanted = query.limit !== undefined && !blockingSort ? (query.skip ?? 0) + query.limit : undefined;
  const seen = new Set<Doc>();
  const run: Run = { keysExamined: 0, docsExamined: 0, matched: 0, complete: false };
  for (const plan of plans) {
    const r = walkIndex(plan, docs, test, wanted, seen);
    run.keysExamined += r.keysExamined;
    run.docsExamined += r.docsExamined;
    run.matched += r.matched;
  }
  return { indexes: plans.map((p) => p.index), plans, blockingSort, run };
}

function returnedOf(matched: number, query: ExplainQuery): number {
  const afterSkip = Math.max(0, matched - (query.skip ?? 0));
  return query.limit === undefined ? afterSkip : Math.min(afterSkip, query.limit);
}

const workOf = (run: Run): number => run.keysExamined + run.docsExamined;

function better(a: Candidate, b: Candidate): number {
  const work = (c: Candidate) => workOf(c.run);
  const bounded = (c: Candidate) => Math.min(...c.plans.map((p) => p.boundedFields));
  return (
    work(a) - work(b) ||
    Number(a.blockingSort) - Number(b.blockingSort) ||
    bounded(b) - bounded(a) ||
    a.indexes.length - b.indexes.length ||
    (a.indexes[0]?.name ?? '').localeCompare(b.indexes[0]?.name ?? '')
  );
}

/**
 * The plan MongoDB would pick for `query` over `docs` with `indexes` (which include `_id_`), run to count what
 * it examines. `test` is the full filter's predicate; `multikey` the paths where some document holds an array.
 */
export function explainQuery(
  query: ExplainQuery,
  indexes: readonly IndexSpec[],
  docs: readonly Doc[],
  test: (doc: Doc) => boolean,
  multikey: ReadonlySet<string>,
): QueryPlan {
  const sort = Object.entries(query.sort ?? {}) as [string, 1 | -1][];
  const { fields, ors } = conjuncts(query.filter);
  const candidates: Candidate[] = [];
  for (const index of indexes) {
    const plan = planIndex(index, fields, sort, multikey);
    if (plan) candidates.push(runCandidate([plan], docs, test, query));
  }
  for (const or of ors) {
    // Each branch with the conditions beside the `$or`, as MongoDB pushes them down.
    const branches = or.map((branch) => {
      const { fields: own } = conjuncts(branch);
      const merged = new Map(fields);
      for (const [k, v] of own) merged.set(k, [...(merged.get(k) ?? []), ...v]);
      // Each branch is planned on its own, as MongoDB's subplanner does: the index that answers it with least work.
      const options = indexes
        .map((index) => planIndex(index, merged, sort, multikey))
        .filter((p): p is IndexPlan => p !== undefined && p.boundedFields > 0)
        .map((plan) => ({ plan, work: workOf(walkIndex(plan, docs, test, undefined, new Set())) }));
      options.sort(
        (a, b) =>
          a.work - b.work ||
          b.plan.boundedFields - a.plan.boundedFields ||
          b.plan.pointFields - a.plan.pointFields,
      );
      return options[0]?.plan;
    });
    if (branches.every((b) => b !== undefined))
      candidates.push(runCandidate(branches as IndexPlan[], docs, test, query));
  }
  const best = candidates.sort(better)[0];
  if (!best) {
    const matched = docs.filter(test).length;
    return {
      indexes: [],
      collectionScan: true,
      blockingSort: sort.length > 0,
      keysExamined: 0,
      docsExamined: docs.length,
      returned: returnedOf(matched, query),
    };
  }
  return {
    indexes: best.indexes.map((i) => i.name),
    collectionScan: false,
    blockingSort: best.blockingSort,
    keysExamined: best.run.keysExamined,
    docsExamined: best.run.docsExamined,
    returned: returnedOf(best.run.matched, query),
  };
}

/** The fields of an index that hold an array in `doc`: more than one is "cannot index parallel arrays". */
export function arrayFields(doc: Doc, index: IndexSpec): string[] {
  return Object.keys(index.keys).filter((path) => {
    let current: unknown = doc;
    for (const part of path.split('.')) {
      if (Array.isArray(current)) return true;
      if (typeof current !== 'object' || current === null) return false;
      current = (current as Doc)[part];
    }
    return Array.isArray(current);
  });
}
