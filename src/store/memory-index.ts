import type { Doc } from './collection.ts';

// Indexes for the in-process engine, so that a lookup MongoDB answers from an index is not a scan here either.
// They only narrow the candidates: every candidate is still tested against the full filter by mingo.

/** The value at a dotted path; arrays yield each element, as MongoDB's multikey indexes do. */
export function valuesAt(doc: Doc, path: string): unknown[] {
  let current: unknown = doc;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null) return [null];
    current = (current as Record<string, unknown>)[part];
  }
  if (current === undefined) return [null];
  return Array.isArray(current) ? (current.length ? current : [null]) : [current];
}

function keyOf(value: unknown): string {
  return value instanceof Date ? `d:${value.getTime()}` : `${typeof value}:${String(value)}`;
}

/** Equality lookups on one field: `{ field: v }` and `{ field: { $in: [...] } }`. */
export class EqualityIndex {
  private readonly buckets = new Map<string, Set<Doc>>();

  constructor(readonly path: string) {}

  add(doc: Doc): void {
    for (const v of valuesAt(doc, this.path)) {
      const key = keyOf(v);
      let bucket = this.buckets.get(key);
      if (!bucket) {
        bucket = new Set();
        this.buckets.set(key, bucket);
      }
      bucket.add(doc);
    }
  }

  remove(doc: Doc): void {
    for (const v of valuesAt(doc, this.path)) this.buckets.get(keyOf(v))?.delete(doc);
  }

  clear(): void {
    this.buckets.clear();
  }

  /** How many candidates `lookup` would return, without building them; undefined when it cannot help. */
  count(filter: Doc): number | undefined {
    const condition = filter[this.path];
    if (condition === undefined) return undefined;
    const values = equalityValues(condition);
    if (!values) return undefined;
    return values.reduce<number>((n, v) => n + (this.buckets.get(keyOf(v))?.size ?? 0), 0);
  }

  /** Candidates for the filter's condition on this field, or undefined when the index cannot help. */
  lookup(filter: Doc): Doc[] | undefined {
    const condition = filter[this.path];
    if (condition === undefined) return undefined;
    const values = equalityValues(condition);
    if (!values) return undefined;
    const out = new Set<Doc>();
    for (const v of values) for (const doc of this.buckets.get(keyOf(v)) ?? []) out.add(doc);
    return [...out];
  }
}

function equalityValues(condition: unknown): unknown[] | undefined {
  if (condition === null || typeof condition !== 'object' || condition instanceof Date) return [condition];
  if (Array.isArray(condition)) return undefined;
  const ops = Object.keys(condition);
  if (ops.length === 1 && ops[0] === '$in') {
    const list = (condition as { $in: unknown }).$in;
    return Array.isArray(list) && list.every((v) => v === null || typeof v !== 'object') ? list : undefined;
  }
  return undefined;
}

/** A single date, or nothing, at the path: what the index orders exactly (nothing sorts first, as in MongoDB). */
function dateOrNothing(doc: Doc, path: string): boolean {
  const values = valuesAt(doc, path);
  return values.length === 1 && (values[0] === null || values[0] instanceof Date);
}

/** Range lookups on one date field, over an array sorted lazily (on the first read after a write). */
export class RangeIndex {
  private sorted: Doc[] = [];
  /** Added since the last read, in order; merged into `sorted` by the next read (flush). */
  private readonly pending = new Set<Doc>();
  /** Taken out of `sorted` since the last read: filtered out once by the next read, not once per write. */
  private readonly removed = new Set<Doc>();
  /** Documents holding something else than one date or nothing here (a string, an array), which it cannot order. */
  private others = 0;

  constructor(readonly path: string) {}

  add(doc: Doc): void {
    this.pending.add(doc);
    if (!dateOrNothing(doc, this.path)) this.others++;
  }

  /** Takes a document out before it changes (it is added again after): no scan of the index per write. */
  remove(doc: Doc): void {
    if (!this.pending.delete(doc)) this.removed.add(doc);
    if (!dateOrNothing(doc, this.path)) this.others--;
  }

  clear(): void {
    this.sorted = [];
    this.pending.clear();
    this.removed.clear();
    this.others = 0;
  }

  /** True when every document holds one date or nothing here, so `scan` gives MongoDB's sort order. */
  ordersAll(): boolean {
    return this.others === 0;
  }

  private time(doc: Doc): number {
    const v = valuesAt(doc, this.path)[0];
    return v instanceof Date ? v.getTime() : Number.NEGATIVE_INFINITY;
  }

  private flush(): void {
    if (this.removed.size) {
      this.sorted = this.sorted.filter((d) => !this.removed.has(d));
      this.removed.clear();
    }
    if (!this.pending.size) return;
    const pending = [...this.pending];
    this.pending.clear();
    if (pending.length * 64 < this.sorted.length) {
      // A few writes into a large index: insert each in place rather than re-sort everything.
      for (const doc of pending) this.sorted.splice(this.bound(this.time(doc), true), 0, doc);
    } else {
      this.sorted = this.sorted.concat(pending);
      this.sorted.sort((a, b) => this.time(a) - this.time(b));
    }
  }

  /** First position whose time is >= t (or > t when `after`). */
  private bound(t: number, after: boolean): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const v = this.time(this.sorted[mid] as Doc);
      if (v < t || (after && v === t)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * The first `limit` documents matching `test` in index order (descending when `direction` is -1), plus any
   * that tie with the last on this field, so a following `$sort` with tie-breakers and `$limit` is exact.
   */
  top(filter: Doc, test: (doc: Doc) => boolean, direction: 1 | -1, limit: number): Doc[] {
    this.flush();
    const inRange = this.lookup(filter) ?? this.sorted;
    const out: Doc[] = [];
    let boundary: number | undefined;
    for (let n = 0; n < inRange.length; n++) {
      const doc = inRange[direction === 1 ? n : inRange.length - 1 - n] as Doc;
      const t = this.time(doc);
      if (boundary !== undefined && t !== boundary) break;
      if (!test(doc)) continue;
      out.push(doc);
      if (out.length === limit) boundary = t;
    }
    return out;
  }

  /**
   * True when `lookup` returns exactly the documents the filter matches: the filter bounds only this field,
   * from below (so documents without a date here, sorted first, are excluded), with dates.
   */
  answers(filter: Doc): boolean {
    const keys = Object.keys(filter);
    const condition = filter[this.path];
    if (keys.length !== 1 || keys[0] !== this.path) return false;
    if (typeof condition !== 'object' || condition === null || condition instanceof Date) return false;
    const ops = Object.entries(condition);
    return (
      ops.every(([op, v]) => ['$gte', '$gt', '$lt', '$lte'].includes(op) && v instanceof Date) &&
      ops.some(([op]) => op === '$gte' || op === '$gt')
    );
  }

  lookup(filter: Doc): Doc[] | undefined {
    const span = this.span(filter);
    if (!span?.bounded) return undefined;
    return this.sorted.slice(span.start, span.end);
  }

  /**
   * Positions `[start, end)` in the sorted array that the filter's date bounds on this field allow (the whole
   * array when it has none); `bounded` says whether it had any.
   */
  private span(filter: Doc): { start: number; end: number; bounded: boolean } | undefined {
    this.flush();
    const condition = filter[this.path];
    if (condition === undefined) return { start: 0, end: this.sorted.length, bounded: false };
    if (typeof condition !== 'object' || condition === null || condition instanceof Date) return undefined;
    const c = condition as Record<string, unknown>;
    const date = (k: string) => (c[k] instanceof Date ? (c[k] as Date).getTime() : undefined);
    const [gte, gt, lt, lte] = [date('$gte'), date('$gt'), date('$lt'), date('$lte')];
    if (gte === undefined && gt === undefined && lt === undefined && lte === undefined) return undefined;
    const start = gte !== undefined ? this.bound(gte, false) : gt !== undefined ? this.bound(gt, true) : 0;
    const end =
      lt !== undefined
        ? this.bound(lt, false)
        : lte !== undefined
          ? this.bound(lte, true)
          : this.sorted.length;
    return { start, end: Math.max(start, end), bounded: true };
  }

  /** How many documents the filter's bounds on this field span, or undefined when they cannot be read. */
  spanSize(filter: Doc): number | undefined {
    const span = this.span(filter);
    return span && span.end - span.start;
  }

  /**
   * The documents within the filter's bounds on this field in index order, `chunk` at a time (a chunk is
   * extended so that documents with the same time are never split). Nothing is copied but the chunk, and each
   * chunk is found again from the last time handed out, so writes in between neither break nor stall the scan:
   * as with a MongoDB cursor, a document written meanwhile is seen if it sorts after the scan's position.
   */
  *scan(filter: Doc, direction: 1 | -1, chunk: number): Generator<Doc[]> {
    let last: number | undefined;
    for (;;) {
      const span = this.span(filter);
      if (!span) return;
      let { start, end } = span;
      if (direction === 1) {
        if (last !== undefined) start = Math.max(start, this.bound(last, true));
        if (start >= end) return;
        const stop = Math.min(end, start + chunk);
        end = stop < end ? Math.min(end, this.bound(this.time(this.sorted[stop - 1] as Doc), true)) : end;
        last = this.time(this.sorted[end - 1] as Doc);
      } else {
        if (last !== undefined) end = Math.min(end, this.bound(last, false));
        if (start >= end) return;
        const from = Math.max(start, end - chunk);
        start =
          from > start ? Math.max(start, this.bound(this.time(this.sorted[from] as Doc), false)) : start;
        last = this.time(this.sorted[start] as Doc);
      }
      const out = this.sorted.slice(start, end);
      if (direction === -1) out.reverse();
      yield out;
    }
  }
}
