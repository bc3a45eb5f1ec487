// The narrow slice of a MongoDB collection the store uses. The official driver satisfies it through
// mongo-engine.ts; memory-engine.ts runs the same filters, updates and pipelines through mingo.

export type Doc = Record<string, unknown>;

/** A time limit for one call, overriding the engine's (TimeLimits). */
export interface CallOptions {
  timeoutMs?: number;
  /**
   * This read decides a write (ingest's known keys, contact states and log, digest claims): MongoDB answers it
   * from the primary whatever read preference MONGODB_URI names, so a decision never rests on a stale copy.
   */
  primary?: boolean;
}

export interface FindOptions extends CallOptions {
  sort?: Record<string, 1 | -1>;
  limit?: number;
  skip?: number;
  /** Documents per round trip for a cursor (`find`); bounds what is held at once. */
  batchSize?: number;
  /** Top-level fields to return (`_id` always comes too); what is not needed is neither copied nor sent. */
  projection?: Record<string, 1>;
}

export interface UpdateOutcome {
  matched: number;
  modified: number;
  upserted: boolean;
}

export interface IndexSpec {
  name: string;
  keys: Record<string, 1 | -1>;
  unique?: boolean;
  partialFilterExpression?: Doc;
}

/** An index as the database lists it: keys may be of other kinds than ours (`'text'`, `'hashed'`). */
export interface ExistingIndex {
  name: string;
  keys: Record<string, number | string>;
  unique?: boolean;
  partialFilterExpression?: Doc;
}

export interface UpsertOp {
  filter: Doc;
  update: Doc;
}

/** A find to explain: what a query, or an aggregation's leading `$match`/`$sort`/`$limit`, asks the planner. */
export interface ExplainQuery {
  filter: Doc;
  sort?: Record<string, 1 | -1>;
  skip?: number;
  limit?: number;
}

/** How the database answers a query (MongoDB's `explain('executionStats')`, reduced to what tests assert). */
export interface QueryPlan {
  /** The indexes walked, one per branch of an `$or` answered branch by branch; empty for a collection scan. */
  indexes: string[];
  collectionScan: boolean;
  /** Documents sorted in memory (a SORT stage) rather than read in an index's order. */
  blockingSort: boolean;
  keysExamined: number;
  docsExamined: number;
  returned: number;
}

export interface StoreCollection {
  findOne(filter: Doc, options?: FindOptions): Promise<Doc | null>;
  /**
   * A cursor: documents arrive one at a time, so callers can stream without holding them all. The time limit
   * bounds each batch, not the whole cursor: an export of a million rows may take minutes, a batch may not.
   */
  find(filter: Doc, options?: FindOptions): AsyncIterable<Doc>;
  aggregate(pipeline: Doc[], options?: CallOptions): Promise<Doc[]>;
  updateOne(filter: Doc, update: Doc, options?: { upsert?: boolean } & CallOptions): Promise<UpdateOutcome>;
  /** Unordered upserts in one round trip; answers how many documents each op inserted. */
  upsertMany(ops: UpsertOp[], options?: CallOptions): Promise<{ inserted: boolean[] }>;
  /** Updates every document the filter matches, in one round trip; answers how many matched. */
  updateMany(filter: Doc, update: Doc, options?: CallOptions): Promise<number>;
  deleteMany(filter: Doc, options?: CallOptions): Promise<number>;
  /** Builds indexes; no time limit (a first build on a large collection takes what it takes). */
  createIndexes(specs: IndexSpec[]): Promise<void>;
  /** The indexes the collection has, `_id_` included; none when the collection does not exist yet. */
  listIndexes(): Promise<ExistingIndex[]>;
  /** How the database would answer `query`, having run it (for tests and diagnostics, never on a hot path). */
  explain(query: ExplainQuery): Promise<QueryPlan>;
}

/**
 * How long a call may take before the store gives up: reads (reports, views, digest reads, and each batch of a
 * cursor) and writes. The settings STORE_READ_TIMEOUT_MS and STORE_WRITE_TIMEOUT_MS.
 */
export interface TimeLimits {
  readMs: number;
  writeMs: number;
}

export const DEFAULT_TIME_LIMITS: TimeLimits = { readMs: 20_000, writeMs: 10_000 };

export interface Engine {
  readonly kind: 'mongodb' | 'memory';
  /** The limits every call is held to unless it names its own. */
  readonly limits: TimeLimits;
  collection(name: string): StoreCollection;
  /** Resolves when the database answers; rejects with a message that says what to check. */
  ping(): Promise<void>;
  /**
   * The database's clock. Digest leases are stamped and compared with it alone, so bot processes whose own
   * clocks disagree still agree about when a claim expires (MongoDB: the primary's `hello.localTime`).
   */
  now(): Promise<Date>;
  close(): Promise<void>;
}

/** A call that ran past its time limit; the engine gave up on it (and, on MongoDB, so did the server). */
export class StoreTimeoutError extends Error {
  constructor(
    readonly operation: string,
    readonly limitMs: number,
    options?: { cause?: unknown },
  ) {
    super(`the store took too long: ${operation} gave up after ${limitMs} ms`, options);
    this.name = 'StoreTimeoutError';
  }
}

export function isStoreTimeout(error: unknown): error is StoreTimeoutError {
  return error instanceof StoreTimeoutError;
}
