import { $cond as mingoCond } from 'mingo/operators/expression/conditional';
import type { AnyObject, ArrayOrObject, Options } from 'mingo/types';

// mingo evaluates every operator of an expression through its generic machinery, about a microsecond each: the
// local-day tree of local-day.ts (log2(days) `$cond`s and `$lt`s) would cost a 50k-event report several hundred
// milliseconds in process. The in-process engine recognises that one shape, a tree of
// `{ $cond: [{ $lt: ['$field', Date] }, left, right] }` with day strings as leaves, compiles it once into a
// sorted array of boundaries, and answers each document with a binary search. Anything else is mingo's own
// `$cond`, and so is a document whose field holds no date (where `$lt` compares across types).

interface DayTree {
  field: string;
  /** Boundaries in increasing order; `labels[i]` is the value for dates with exactly `i` boundaries at or before them. */
  bounds: number[];
  labels: string[];
}

const compiled = new WeakMap<object, DayTree | null>();

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** The tree's boundaries and labels in order, or null when `args` is not a local-day tree on a top-level field. */
function compile(args: unknown): DayTree | null {
  const bounds: number[] = [];
  const labels: string[] = [];
  let field: string | undefined;
  const walk = (node: unknown): boolean => {
    if (typeof node === 'string') {
      if (node.startsWith('$')) return false;
      labels.push(node);
      return true;
    }
    const condArgs = isPlainObject(node) && Object.keys(node).length === 1 ? node.$cond : undefined;
    return walkCond(condArgs);
  };
  const walkCond = (condArgs: unknown): boolean => {
    if (!Array.isArray(condArgs) || condArgs.length !== 3) return false;
    const [test, left, right] = condArgs;
    if (!isPlainObject(test) || Object.keys(test).length !== 1) return false;
    const lt = test.$lt;
    if (!Array.isArray(lt) || lt.length !== 2) return false;
    const [path, bound] = lt;
    if (typeof path !== 'string' || !/^\$[^.$]+$/.test(path) || !(bound instanceof Date)) return false;
    if (field !== undefined && field !== path) return false;
    field = path;
    if (!walk(left)) return false;
    bounds.push(bound.getTime());
    return walk(right);
  };
  if (!walkCond(args) || field === undefined) return null;
  // In order, the boundaries of a search tree increase strictly; anything else is not one.
  for (let i = 1; i < bounds.length; i++) if ((bounds[i] as number) <= (bounds[i - 1] as number)) return null;
  return { field: field.slice(1), bounds, labels };
}

function search(tree: DayTree, t: number): string | undefined {
  let lo = 0;
  let hi = tree.bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((tree.bounds[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return tree.labels[lo];
}

/** Drop-in `$cond` for mingo's Context: one binary search for a local-day tree, mingo's own for anything else. */
export function $cond(obj: AnyObject, expr: ArrayOrObject, options: Options): unknown {
  let tree = compiled.get(expr);
  if (tree === undefined) {
    tree = compile(expr);
    compiled.set(expr, tree);
  }
  if (tree) {
    const value = obj[tree.field];
    if (value instanceof Date) return search(tree, value.getTime());
  }
  return mingoCond(obj, expr, options);
}
