import { randomUUID } from 'node:crypto';
import { Aggregator } from 'mingo/aggregator';
import { Context } from 'mingo/core';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import { Query } from 'mingo/query';
import { update as applyUpdate } from 'mingo/updater';
import { isEqual } from 'mingo/util';
import { compareKeys } from '../domain/assignment-chain.ts';
import {
  type CallOptions,
  DEFAULT_TIME_LIMITS,
  type Doc,
  type Engine,
  type ExistingIndex,
  type ExplainQuery,
  type FindOptions,
  type IndexSpec,
  type QueryPlan,
  type StoreCollection,
  StoreTimeoutError,
  type TimeLimits,
  type UpdateOutcome,
  type UpsertOp,
} from './collection.ts';
import { $cond } from './fast-local-day.ts';
import { EqualityIndex, RangeIndex, valuesAt } from './memory-index.ts';
import { arrayFields, explainQuery } from './memory-planner.ts';

// The in-process engine: MongoDB's query, update and aggregation language run by mingo over documents held in
// memory. It exists for tests, the local console and trials; data is gone when the process exits.

// mingo's own default context keeps the first operator registered under a name, so ours is built whole here.
const context = Context.init({
  accumulator: accumulatorOperators,
  expression: { ...expressionOperators, $cond },
  pipeline: pipelineOperators,
  projection: projectionOperators,
  query: queryOperators,
  window: windowOperators,
});
const mingoOptions = { context, idKey: '_id' } as const;

// Pipeline stages that only read the documents they are given. Others may write into them (mingo's `$set` of a
// dotted path changes the nested object in place), so a pipeline with any other stage runs on copies.
const READ_ONLY_STAGES = new Set(['$match', '$sort', '$limit', '$skip', '$group', '$count']);

const UPDATE_OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$max',
  '$min',
  '$push',
  '$addToSet',
  '$pull',
  '$mul',
]);

function isOperatorObject(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Date) &&
    !Array.isArray(value) &&
    Object.keys(value).some((k) => k.startsWith('$'))
  );
}

/** The fields an upsert copies from its filter: plain equalities, as MongoDB does. */
function equalityFields(filter: Doc): Doc {
  return Object.fromEntries(
    Object.entries(filter).filter(([k, v]) => !k.startsWith('$') && !k.includes('.') && !isOperatorObject(v)),
  );
}

function modifierOf(update: Doc): Doc {
  for (const key of Object.keys(update)) {
    if (key !== '$setOnInsert' && !UPDATE_OPERATORS.has(key))
      throw new Error(`in-process engine: update operator ${key} is not supported`);
  }
  const { $setOnInsert: _ignored, ...rest } = update;
  return rest;
}

const isScalar = (v: unknown): boolean => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** What a path read through an array gives: that document is left to mingo, which knows MongoDB's rules there. */
const THROUGH_ARRAY = Symbol('through an array');

/** The value at a dotted path, or THROUGH_ARRAY when a part before the last is an array. */
function pathGetter(path: string): (doc: Doc) => unknown {
  if (!path.includes('.')) return (doc) => doc[path];
  const parts = path.split('.');
  return (doc) => {
    let current: unknown = doc;
    for (const [i, part] of parts.entries()) {
      if (Array.isArray(current)) return i === 0 ? current : THROUGH_ARRAY;
      if (typeof current !== 'object' || current === null) return undefined;
      current = (current as Doc)[part];
    }
    return current;
  };
}

/** The plain values of `{ $ne: v }` or `{ $in: [v, …] }`, or undefined for any other condition. */
function operandOf(v: unknown, op: '$ne' | '$in'): unknown {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Date) return undefined;
  const keys = Object.keys(v);
  return keys.length === 1 && keys[0] === op ? (v as Record<string, unknown>)[op] : undefined;
}

const plainValue = (v: unknown) => isScalar(v) && v !== null && !Number.isNaN(v);

/**
 * A predicate for a filter. Building a mingo Query costs more than matching a handful of documents, so plain
 * equalities, `$ne` and `$in` of plain values (`{ _id, version }`, `{ _id: { $in }, 'pending.token' }`, COUNTED:
 * the ingest hot paths) are compared directly; anything else, and any path through an array, is mingo's.
 */
function matcher(filter: Doc): (doc: Doc) => boolean {
  const entries = Object.entries(filter);
  let query: Query | undefined;
  const byMingo = (doc: Doc) => {
    query ??= new Query(filter, mingoOptions);
    return query.test(doc);
  };
  // As in MongoDB, `{ tags: 'x' }` also matches a document whose `tags` array holds 'x'.
  const equals = (value: unknown, v: unknown) => value === v || (Array.isArray(value) && value.includes(v));
  const tests: ((doc: Doc) => boolean | typeof THROUGH_ARRAY)[] = [];
  for (const [k, v] of entries) {
    if (k.startsWith('$')) return byMingo;
    const get = pathGetter(k);
    const ne = operandOf(v, '$ne');
    const list = operandOf(v, '$in');
    if (plainValue(v)) tests.push((doc) => check(get(doc), (value) => equals(value, v)));
    else if (plainValue(ne)) tests.push((doc) => check(get(doc), (value) => !equals(value, ne)));
    else if (Array.isArray(list) && list.every(plainValue)) {
      const wanted = new Set(list);
      tests.push((doc) =>
        check(
          get(doc),
          (value) => wanted.has(value) || (Array.isArray(value) && value.some((x) => wanted.has(x))),
        ),
      );
    } else return byMingo;
  }
  return (doc) => {
    for (const test of tests) {
      const r = test(doc);
      if (r === THROUGH_ARRAY) return byMingo(doc);
      if (!r) return false;
    }
    return true;
  };
}

function check(value: unknown, test: (value: unknown) => boolean): boolean | typeof THROUGH_ARRAY {
  return value === THROUGH_ARRAY ? THROUGH_ARRAY : test(value);
}

/** Applies an update; a `$set` of top-level fields is done directly, anything else by mingo's updater. */
function apply(doc: Doc, modifier: Doc): string[] {
  const keys = Object.keys(modifier);
  if (keys.length === 0) return [];
  const topLevel = (fields: unknown): fields is Doc =>
    typeof fields === 'object' && fields !== null && !Object.keys(fields).some((k) => k.includes('.'));
  const { $set: set = {}, $unset: unset = {} } = modifier;
  // `$set` and `$unset` of top-level fields (the ingest and claim hot paths) are done directly; anything else
  // goes to mingo's updater, which clones the whole document.
  if (keys.every((k) => k === '$set' || k === '$unset') && topLevel(set) && topLevel(unset)) {
    // MongoDB counts a `$set` of the values already there, or an `$unset` of a missing field, as not modified.
    const changed = [
      ...Object.entries(set)
        .filter(([k, v]) => !isEqual(doc[k], v))
        .map(([k]) => k),
      ...Object.keys(unset).filter((k) => k in doc),
    ];
    Object.assign(doc, structuredClone(set));
    for (const k of Object.keys(unset)) delete doc[k];
    return changed;
  }
  return applyUpdate(doc, modifier, [], undefined, { cloneMode: 'deep', queryOptions: mingoOptions });
}

/** Documents an ordered scan holds at once. */
const SCAN_CHUNK = 1000;

/** `_id`s in MongoDB's order: numbers before strings, numbers by value, strings by code point. */
function compareIds(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return compareKeys(String(a), String(b));
}

/** Picks a projection's top-level fields (and `_id`), as MongoDB's inclusion projection does. */
function projector(projection: Record<string, 1> | undefined): (doc: Doc) => Doc {
  if (!projection) return (doc) => doc;
  const fields = Object.keys(projection);
  for (const field of fields)
    if (field.includes('.') || field.startsWith('$') || projection[field] !== 1)
      throw new Error(`in-process engine: a projection lists top-level fields with 1; ${field} is not one`);
  const keep = fields.includes('_id') ? fields : ['_id', ...fields];
  return (doc) => {
    const out: Doc = {};
    for (const field of keep) if (doc[field] !== undefined) out[field] = doc[field];
    return out;
  };
}

function without(doc: Doc, key: string): Doc {
  const { [key]: _removed, ...rest } = doc;
  return rest;
}

function isInList(value: unknown): value is { $in: unknown[] } {
  return typeof value === 'object' && value !== null && Array.isArray((value as { $in?: unknown }).$in);
}

/** An error as MongoDB would answer it, with its code (E11000 is 11000, parallel arrays 171, …). */
export class MemoryEngineError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly codeName: string,
  ) {
    super(message);
    this.name = 'MemoryEngineError';
  }
}

/** Documents scanned between two looks at the clock. */
const CHECK_EVERY = 256;

/**
 * A call's time limit. The engine computes synchronously, so it looks at the clock while it scans (every
 * CHECK_EVERY documents) and gives up with a StoreTimeoutError once the limit has passed.
 */
class Deadline {
  private at: number;
  private scanned = 0;

  constructor(
    private readonly clock: () => number,
    readonly operation: string,
    readonly limitMs: number,
  ) {
    this.at = clock() + limitMs;
  }

  /** Starts the limit again: a cursor's limit holds for each batch (here: each pull), not the whole cursor. */
  restart(): void {
    this.at = this.clock() + this.limitMs;
  }

  check(): void {
    if (this.clock() > this.at) throw new StoreTimeoutError(this.operation, this.limitMs);
  }

  /** The items, looking at the clock every CHECK_EVERY of them. */
  *over<T>(items: Iterable<T>): Generator<T> {
    for (const item of items) {
      if (++this.scanned % CHECK_EVERY === 0) this.check();
      yield item;
    }
  }
}

function* filtered<T>(items: Iterable<T>, test: (item: T) => boolean): Generator<T> {
  for (const item of items) if (test(item)) yield item;
}

function* cloned<T>(items: Iterable<T>): Generator<T> {
  for (const item of items) yield structuredClone(item);
}

/** The top-level conditions of a filter, with those of a top-level `$and` lifted beside them. */
function lifted(filter: Doc): Doc {
  const and = filter.$and;
  if (!Array.isArray(and)) return filter;
  const out: Doc = { ...filter };
  for (const part of and)
    for (const [k, v] of Object.entries(part as Doc)) if (!k.startsWith('$') && !(k in out)) out[k] = v;
  return out;
}

function uniqueKey(doc: Doc, spec: IndexSpec): string | undefined {
  const values = Object.keys(spec.keys).map((k) => doc[k]);
  if (values.some((v) => v === undefined)) return undefined;
  return JSON.stringify(values);
}

class MemoryCollection implements StoreCollection {
  private docs: Doc[] = [];
  private readonly byId = new Map<unknown, Doc>();
  private readonly uniques: { spec: IndexSpec; seen: Map<string, Doc> }[] = [];
  private readonly equality = new Map<string, EqualityIndex>();
  private readonly ranges = new Map<string, RangeIndex>();
  /** Every index created, as listIndexes answers them (after `_id_`). */
  private readonly specs: IndexSpec[] = [];
  /** Indexes of two or more fields: a document may hold an array in at most one of them. */
  private compound: IndexSpec[] = [];
  /** Indexed paths where some document holds an array (MongoDB's multikey paths). */
  private readonly multikey = new Set<string>();
  /** As in MongoDB, a collection exists once something was written to it or an index created on it. */
  private exists = false;

  constructor(
    private readonly name: string,
    /** How documents are handed out: copied, so callers cannot change what is stored (see MemoryEngineOptions). */
    private readonly copyOut: <T>(value: T) => T,
    private readonly limits: TimeLimits,
    private readonly clock: () => number,
  ) {}

  private deadline(operation: string, limitMs: number | undefined, fallback: number): Deadline {
    return new Deadline(this.clock, `${operation} on ${this.name}`, limitMs ?? fallback);
  }

  /** MongoDB refuses to store a document with arrays in two fields of one index; so does this engine. */
  private checkArrays(doc: Doc): void {
    for (const spec of this.compound) {
      const arrays = arrayFields(doc, spec);
      if (arrays.length > 1)
        throw new MemoryEngineError(
          `cannot index parallel arrays [${arrays.join('] [')}] (index ${spec.name} on ${this.name})`,
          171,
          'CannotIndexParallelArrays',
        );
    }
    for (const spec of this.specs) for (const path of arrayFields(doc, spec)) this.multikey.add(path);
  }

  /** The documents a filter can match: looked up by `_id` when it pins one or a list, as MongoDB's index would. */
  private candidates(filter: Doc): Doc[] {
    return this.narrow(filter).docs;
  }

  /**
   * The candidates for a filter, and the field whose condition they all meet exactly when a date range index
   * gave them (that condition then needs no testing).
   */
  private narrow(input: Doc): { docs: Doc[]; answered?: string } {
    // Conditions inside a top-level `$and` (the report's filters) narrow the candidates as well.
    const filter = lifted(input);
    const id = filter._id;
    // A list may name one _id twice; MongoDB still returns that document once.
    const ids =
      typeof id === 'string' || typeof id === 'number' ? [id] : isInList(id) ? new Set(id.$in) : undefined;
    if (ids)
      return {
        docs: [...ids].flatMap((i) => {
          const doc = this.byId.get(i);
          return doc ? [doc] : [];
        }),
      };
    // Equality first, as MongoDB's planner would prefer it: a range lookup may have to sort pending writes.
    // Sizes first: building every index's candidate list to keep the shortest would cost the longest.
    let best: { index: EqualityIndex; size: number } | undefined;
    for (const index of this.equality.values()) {
      const size = index.count(filter);
      if (size !== undefined && (!best || size < best.size)) best = { index, size };
    }
    if (best) return { docs: best.index.lookup(filter) ?? this.docs };
    for (const index of this.ranges.values()) {
      const found = index.lookup(filter);
      if (!found) continue;
      const exact = index.answers({ [index.path]: filter[index.path] });
      return { docs: found, ...(exact ? { answered: index.path } : {}) };
    }
    return { docs: this.docs };
  }

  private indexes(): (EqualityIndex | RangeIndex)[] {
    return [...this.equality.values(), ...this.ranges.values()];
  }

  private matchOne(filter: Doc, deadline?: Deadline): Doc | undefined {
    const test = matcher(filter);
    const candidates = this.candidates(filter);
    for (const doc of deadline ? deadline.over(candidates) : candidates) if (test(doc)) return doc;
    return undefined;
  }

  private insert(doc: Doc): void {
    if (this.byId.has(doc._id))
      throw new Error(`E11000 duplicate key in ${this.name}: _id ${String(doc._id)}`);
    this.checkArrays(doc);
    for (const { spec, seen } of this.uniques) {
      const key = uniqueKey(doc, spec);
      if (key !== undefined && seen.has(key))
        throw new Error(`E11000 duplicate key in ${this.name}: ${spec.name}`);
    }
    for (const { spec, seen } of this.uniques) {
      const key = uniqueKey(doc, spec);
      if (key !== undefined) seen.set(key, doc);
    }
    this.docs.push(doc);
    this.exists = true;
    this.byId.set(doc._id, doc);
    for (const index of this.indexes()) index.add(doc);
  }

  async findOne(filter: Doc, options: FindOptions = {}): Promise<Doc | null> {
    if (!options.sort) {
      const doc = this.matchOne(filter, this.deadline('findOne', options.timeoutMs, this.limits.readMs));
      return doc ? this.copyOut(projector(options.projection)(doc)) : null;
    }
    for await (const doc of this.find(filter, { ...options, limit: 1 })) return doc;
    return null;
  }

  async *find(filter: Doc, options: FindOptions = {}): AsyncIterable<Doc> {
    const deadline = this.deadline('find', options.timeoutMs, this.limits.readMs);
    for (const doc of this.findNow(filter, options, deadline)) {
      yield doc;
      // The consumer asked for more: the limit holds for the engine's work on each pull, not the consumer's.
      deadline.restart();
    }
  }

  private *findNow(filter: Doc, options: FindOptions, deadline: Deadline): Generator<Doc> {
    const project = projector(options.projection);
    const ordered = this.orderedScan(filter, options, deadline);
    if (ordered) {
      for (const doc of ordered) yield this.copyOut(project(doc));
      return;
    }
    // A filter on `_id` alone is answered exactly by the id lookup; testing it again through mingo's `$in`
    // would cost the list's length for every document found.
    const exact = Object.keys(filter).length === 1 && filter._id !== undefined;
    const cursor = new Query(exact ? {} : filter, mingoOptions).find<Doc>(
      deadline.over(this.candidates(filter)),
    );
    if (options.sort) cursor.sort(options.sort);
    if (options.skip) cursor.skip(options.skip);
    if (options.limit) cursor.limit(options.limit);
    for (let doc = cursor.next(); doc !== undefined; doc = cursor.next()) yield this.copyOut(project(doc));
  }

  /**
   * A find sorted by an indexed date field (then optionally `_id`) walked in the index's order, as MongoDB walks
   * its B-tree: nothing is sorted but documents sharing a time, and only a chunk is held at once, so a cursor
   * over a million documents costs no more memory than one over a thousand. Undefined when the sort is another
   * one, or when an equality index narrows the filter to far fewer documents than the range spans (sorting
   * those few is cheaper than walking the range).
   */
  private orderedScan(filter: Doc, options: FindOptions, deadline: Deadline): Generator<Doc> | undefined {
    const sort = Object.entries(options.sort ?? {});
    const [first, second, ...rest] = sort;
    if (!first || rest.length > 0 || (second && second[0] !== '_id')) return undefined;
    const [field, direction] = first;
    const index = this.ranges.get(field);
    const span = index?.spanSize(filter);
    if (!index?.ordersAll() || span === undefined || filter._id !== undefined) return undefined;
    const narrowed = lifted(filter);
    for (const equality of this.equality.values()) {
      const size = equality.count(narrowed);
      if (size !== undefined && size * 4 < span) return undefined;
    }
    return this.walk(index, filter, direction, second?.[1], options, deadline);
  }

  private *walk(
    index: RangeIndex,
    filter: Doc,
    direction: 1 | -1,
    idDirection: 1 | -1 | undefined,
    options: FindOptions,
    deadline: Deadline,
  ): Generator<Doc> {
    // Bounds on the index's field are kept by the walk itself; only the rest of the filter is tested.
    const rest = index.answers({ [index.path]: filter[index.path] }) ? without(filter, index.path) : filter;
    const test = Object.keys(rest).length > 0 ? matcher(rest) : () => true;
    const time = (doc: Doc) => {
      const v = valuesAt(doc, index.path)[0];
      return v instanceof Date ? v.getTime() : Number.NEGATIVE_INFINITY;
    };
    let skip = options.skip ?? 0;
    let left = options.limit || Number.POSITIVE_INFINITY;
    for (const chunk of index.scan(filter, direction, SCAN_CHUNK)) {
      // Chunks arrive in time order; only documents sharing a time need `_id` to order them.
      if (idDirection !== undefined)
        chunk.sort((a, b) => (time(a) - time(b)) * direction || compareIds(a._id, b._id) * idDirection);
      for (const doc of deadline.over(chunk)) {
        if (!test(doc)) continue;
        if (skip > 0) {
          skip--;
          continue;
        }
        yield doc;
        if (--left === 0) return;
      }
    }
  }

  async aggregate(pipeline: Doc[], options: CallOptions = {}): Promise<Doc[]> {
    const deadline = this.deadline('aggregate', options.timeoutMs, this.limits.readMs);
    const { docs, rest: unmet } = this.pipelineInput(pipeline);
    // What an index answered of the leading `$match` is not tested again; the rest is tested here, directly.
    const rest = unmet === undefined ? pipeline : pipeline.slice(1);
    const test = unmet && Object.keys(unmet).length > 0 ? matcher(unmet) : undefined;
    const input = test ? filtered(docs, test) : docs;
    const readOnly = rest.every((stage) => Object.keys(stage).every((op) => READ_ONLY_STAGES.has(op)));
    // The input is read through the deadline, so a pipeline that runs too long is given up mid-way.
    const source = deadline.over(input);
    const out = new Aggregator(rest, mingoOptions).run(readOnly ? source : cloned(source));
    deadline.check();
    return this.copyOut(out);
  }

  /**
   * The documents a pipeline needs to see: those its leading `$match` can match and, for
   * `$match, $sort, $limit` on an indexed field, only the top of the index (MongoDB does the same). `rest` is
   * the part of that `$match` they may not meet yet (all of it when undefined).
   */
  private pipelineInput(pipeline: Doc[]): { docs: Doc[]; rest?: Doc } {
    const [first, second, third] = pipeline;
    const match = first?.$match;
    if (typeof match !== 'object' || match === null) return { docs: this.docs };
    const filter = match as Doc;
    const sort = second?.$sort;
    const limit = third?.$limit;
    if (typeof sort === 'object' && sort !== null && typeof limit === 'number') {
      const [field, direction] = Object.entries(sort)[0] ?? [];
      const index = field === undefined ? undefined : this.ranges.get(field);
      if (index && (direction === 1 || direction === -1))
        return { docs: index.top(filter, matcher(filter), direction, limit), rest: {} };
    }
    const { docs, answered } = this.narrow(filter);
    return answered === undefined ? { docs } : { docs, rest: without(filter, answered) };
  }

  // Writes are not given up part-way (nothing half-written); their limit is enforced where they wait, on the
  // worker thread's queue (worker-engine.ts).
  async updateOne(
    filter: Doc,
    update: Doc,
    options: { upsert?: boolean } & CallOptions = {},
  ): Promise<UpdateOutcome> {
    const modifier = modifierOf(update);
    const found = this.matchOne(filter);
    if (found) return { matched: 1, modified: this.modify(found, modifier) ? 1 : 0, upserted: false };
    if (!options.upsert) return { matched: 0, modified: 0, upserted: false };
    const onInsert = update.$setOnInsert;
    const doc: Doc = structuredClone({
      ...equalityFields(filter),
      ...(typeof onInsert === 'object' && onInsert !== null ? onInsert : {}),
    });
    if (doc._id === undefined) doc._id = randomUUID();
    apply(doc, modifier);
    this.insert(doc);
    return { matched: 0, modified: 0, upserted: true };
  }

  async upsertMany(ops: UpsertOp[], _options: CallOptions = {}): Promise<{ inserted: boolean[] }> {
    const inserted: boolean[] = [];
    for (const op of ops)
      inserted.push((await this.updateOne(op.filter, op.update, { upsert: true })).upserted);
    return { inserted };
  }

  /**
   * Applies an update to a stored document, keeping the indexes right; a document MongoDB would refuse (arrays
   * in two fields of one index) is put back as it was. Answers whether anything changed.
   */
  private modify(found: Doc, modifier: Doc): boolean {
    const indexes = this.indexes();
    const before = this.compound.length > 0 ? structuredClone(found) : undefined;
    for (const index of indexes) index.remove(found);
    try {
      const changed = apply(found, modifier);
      this.checkArrays(found);
      return changed.length > 0;
    } catch (error) {
      if (before) {
        for (const key of Object.keys(found)) delete found[key];
        Object.assign(found, before);
      }
      throw error;
    } finally {
      for (const index of indexes) index.add(found);
    }
  }

  async updateMany(filter: Doc, update: Doc, _options: CallOptions = {}): Promise<number> {
    const modifier = modifierOf(update);
    const test = matcher(filter);
    const found = this.candidates(filter).filter(test);
    for (const doc of found) this.modify(doc, modifier);
    return found.length;
  }

  async deleteMany(filter: Doc, _options: CallOptions = {}): Promise<number> {
    const query = new Query(filter, mingoOptions);
    const keep = this.docs.filter((d) => !query.test(d));
    const removed = this.docs.length - keep.length;
    this.docs = [];
    this.byId.clear();
    for (const u of this.uniques) u.seen.clear();
    for (const index of this.indexes()) index.clear();
    for (const doc of keep) this.insert(doc);
    return removed;
  }

  /** Indexes the first field of a spec, for equality and for date ranges, as MongoDB's B-tree serves both. */
  private addQueryIndex(spec: IndexSpec): void {
    const path = Object.keys(spec.keys)[0];
    if (!path || path === '_id' || this.equality.has(path)) return;
    const equality = new EqualityIndex(path);
    const range = new RangeIndex(path);
    for (const doc of this.docs) {
      equality.add(doc);
      range.add(doc);
    }
    this.equality.set(path, equality);
    this.ranges.set(path, range);
  }

  async createIndexes(specs: IndexSpec[]): Promise<void> {
    // As MongoDB: an index of the same name must be the same index (86), the same keys the same name (85), and
    // no stored document may hold arrays in two of its fields (171). Nothing is created when one fails.
    const added: IndexSpec[] = [];
    for (const spec of specs) {
      const same = [...this.specs, ...added].find((s) => s.name === spec.name);
      const sameKeys = [...this.specs, ...added].find(
        (s) => JSON.stringify(Object.entries(s.keys)) === JSON.stringify(Object.entries(spec.keys)),
      );
      if (same && JSON.stringify(same) !== JSON.stringify(spec))
        throw new MemoryEngineError(
          `An existing index has the same name as the requested index: ${spec.name} on ${this.name} has keys ${JSON.stringify(same.keys)}`,
          86,
          'IndexKeySpecsConflict',
        );
      if (same) continue;
      if (sameKeys)
        throw new MemoryEngineError(
          `Index already exists with a different name: ${sameKeys.name} on ${this.name}`,
          85,
          'IndexOptionsConflict',
        );
      if (Object.keys(spec.keys).length > 1)
        for (const doc of this.docs)
          if (arrayFields(doc, spec).length > 1)
            throw new MemoryEngineError(
              `cannot index parallel arrays [${arrayFields(doc, spec).join('] [')}] (index ${spec.name} on ${this.name})`,
              171,
              'CannotIndexParallelArrays',
            );
      added.push(spec);
    }
    this.specs.push(...added);
    this.exists = true;
    this.compound = this.specs.filter((s) => Object.keys(s.keys).length > 1);
    for (const spec of added)
      for (const doc of this.docs) for (const path of arrayFields(doc, spec)) this.multikey.add(path);
    for (const spec of specs) this.addQueryIndex(spec);
    for (const spec of specs) {
      if (!spec.unique || this.uniques.some((u) => u.spec.name === spec.name)) continue;
      const seen = new Map<string, Doc>();
      for (const doc of this.docs) {
        const key = uniqueKey(doc, spec);
        if (key !== undefined) seen.set(key, doc);
      }
      this.uniques.push({ spec, seen });
    }
  }

  async listIndexes(): Promise<ExistingIndex[]> {
    if (!this.exists) return [];
    return structuredClone([{ name: '_id_', keys: { _id: 1 } }, ...this.specs]);
  }

  async explain(query: ExplainQuery): Promise<QueryPlan> {
    const indexes: IndexSpec[] = [{ name: '_id_', keys: { _id: 1 } }, ...this.specs];
    return explainQuery(query, indexes, this.docs, matcher(query.filter), this.multikey);
  }
}

export interface MemoryEngineOptions {
  /**
   * Hand out copies of stored documents (the default), so a caller changing a result cannot change the store.
   * The worker thread turns it off: it hands every answer to postMessage in the same turn, which copies it.
   */
  copyResults?: boolean;
  /** How long a read may compute before the engine gives up (DEFAULT_TIME_LIMITS unless given). */
  limits?: TimeLimits;
  /**
   * The database's clock, in ms: what `now()` answers (digest leases) and what the limits are measured with.
   * Tests set or step it; it is this machine's clock otherwise.
   */
  clock?: () => number;
}

const asIs = <T>(value: T): T => value;

/** An engine that keeps every collection in this process. */
export function createMemoryEngine(options: MemoryEngineOptions = {}): Engine {
  const copyOut = options.copyResults === false ? asIs : structuredClone;
  const limits = options.limits ?? DEFAULT_TIME_LIMITS;
  const clock = options.clock ?? Date.now;
  const collections = new Map<string, MemoryCollection>();
  return {
    kind: 'memory',
    limits,
    collection(name) {
      let c = collections.get(name);
      if (!c) {
        c = new MemoryCollection(name, copyOut, limits, clock);
        collections.set(name, c);
      }
      return c;
    },
    async ping() {},
    now: async () => new Date(clock()),
    async close() {
      collections.clear();
    },
  };
}
