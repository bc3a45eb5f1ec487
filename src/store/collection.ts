// The narrow slice of a MongoDB collection the store uses. The official driver satisfies it through
// mongo-engine.ts; memory-engine.ts runs the same filters, updates and pipelines through mingo.

export type Doc = Record<string, unknown>;

export interface FindOptions {
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

export interface UpsertOp {
  filter: Doc;
  update: Doc;
}

export interface StoreCollection {
  findOne(filter: Doc, options?: FindOptions): Promise<Doc | null>;
  /** A cursor: documents arrive one at a time, so callers can stream without holding them all. */
  find(filter: Doc, options?: FindOptions): AsyncIterable<Doc>;
  aggregate(pipeline: Doc[]): Promise<Doc[]>;
  updateOne(filter: Doc, update: Doc, options?: { upsert?: boolean }): Promise<UpdateOutcome>;
  /** Unordered upserts in one round trip; answers how many documents each op inserted. */
  upsertMany(ops: UpsertOp[]): Promise<{ inserted: boolean[] }>;
  /** Updates every document the filter matches, in one round trip; answers how many matched. */
  updateMany(filter: Doc, update: Doc): Promise<number>;
  deleteMany(filter: Doc): Promise<number>;
  createIndexes(specs: IndexSpec[]): Promise<void>;
}

export interface Engine {
  readonly kind: 'mongodb' | 'memory';
  collection(name: string): StoreCollection;
  /** Resolves when the database answers; rejects with a message that says what to check. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
