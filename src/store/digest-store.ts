import { randomInt, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { canonicalZone } from '../domain/canonical-zone.ts';
import type { DigestDefinition } from '../domain/digest.ts';
import type { ReportFilters } from '../domain/filters.ts';
import { SOURCES } from '../domain/sources.ts';
import type { LocalDate } from '../domain/time.ts';
import type { Doc, Engine, IndexSpec } from './collection.ts';
import { ensureIndexes, type IndexCheck, type IndexOptions, type IndexSet } from './ensure-indexes.ts';
import { isDuplicateKey } from './is-duplicate-key.ts';

// Digest definitions and their runs. A run's `_id` is `digestId:localDate`: inserting it is the claim, so with
// any number of bot processes on one database exactly one posts a digest on a given local day. A claim holds
// for a lease, and a failed run waits for its retry time; both are stamped and compared on the database's
// clock (Engine.now), never a bot process's, so processes whose clocks disagree by minutes still agree who
// holds a run.

export const DIGESTS = 'digests';
export const DIGEST_RUNS = 'digest_runs';

/** How long a claim holds, by the database's clock, before another process may take it over. */
export const LEASE_MS = 10 * 60 * 1000;
/** How many runs `digest log` shows. */
export const LOG_RUNS = 14;

/** A definition as stored: when it was last resumed, so a resumed digest starts with its next occurrence. */
export interface StoredDigest extends DigestDefinition {
  resumedAt: Date | null;
}

export type NewDigest = Omit<StoredDigest, 'id' | 'resumedAt' | 'paused'>;

export type RunOutcome = 'posted' | 'posted-delayed' | 'skipped-empty' | 'failed' | 'missed';
export type RunState = 'claimed' | RunOutcome;

export interface DigestRun {
  id: string;
  digestId: string;
  /** The local date the run belongs to; the digest covers the day before. */
  localDate: LocalDate;
  scheduledAt: Date;
  /** `digest test`: posted on request, never counts as that day's delivery. */
  test: boolean;
  state: RunState;
  /** Who holds the claim (a token per claim, not per process). */
  owner: string | null;
  leaseUntil: Date | null;
  attempts: number;
  /** When the claim was taken (the database's clock, as `leaseUntil`). */
  claimedAt: Date;
  finishedAt: Date | null;
  /** How late it started, when it was posted after its minute (catch-up). */
  delayedByMs: number;
  /** Why it failed or was skipped, in words for `digest log`. */
  reason: string | null;
  /** A failure that may be retried: not before this instant (the database's clock). Null when final. */
  retryAt: Date | null;
  /** The main message's ts once posted (kept so a run taken over after a crash does not post it again). */
  ts: string | null;
  threadTs: string | null;
  /** The creator was told by DM that this run failed. */
  creatorNotified: boolean;
}

/** A run this process holds; finishing it requires still holding it. */
export interface Claim {
  run: DigestRun;
  owner: string;
}

export interface RunCandidate {
  digestId: string;
  localDate: LocalDate;
  scheduledAt: Date;
}

export interface RunFinish {
  state: RunOutcome;
  finishedAt: Date;
  delayedByMs?: number;
  reason?: string | null;
  /** A failure that may pass: retried this long from now by the database's clock. Absent when final. */
  retryAfterMs?: number;
  ts?: string | null;
  threadTs?: string | null;
}

export interface DigestStore {
  /** Checks the indexes and creates what is missing; safe on every start (ensure-indexes.ts). */
  init(options?: IndexOptions): Promise<IndexCheck>;
  /** Stores a new digest under a fresh short id (unique in the store). */
  add(digest: NewDigest): Promise<StoredDigest>;
  get(id: string): Promise<StoredDigest | null>;
  list(): Promise<StoredDigest[]>;
  /** Digests that are not paused: what each tick looks at. */
  active(): Promise<StoredDigest[]>;
  /** Removes a digest and its runs; false when there was none. */
  remove(id: string): Promise<boolean>;
  setPaused(id: string, paused: boolean, at: Date): Promise<StoredDigest | null>;
  /** Runs by key (`digestId:localDate`), for a tick's due digests in one query. */
  runs(keys: readonly string[]): Promise<Map<string, DigestRun>>;
  /** The database's clock, on which leases and retry times are stamped: what to compare them with. */
  now(): Promise<Date>;
  /** Inserts the run for a day, leased from the database's now; null when someone else inserted it first. */
  claim(candidate: RunCandidate): Promise<Claim | null>;
  /**
   * Takes over a run whose lease expired or whose retry time has come by the database's clock; null when
   * neither holds, or someone else took it first.
   */
  takeOver(run: DigestRun): Promise<Claim | null>;
  /** Extends the lease to a whole one from the database's now; false when the claim was lost meanwhile. */
  renew(claim: Claim): Promise<boolean>;
  /** Records the main message's ts as soon as it is posted. */
  recordPosted(claim: Claim, ts: string): Promise<boolean>;
  finish(claim: Claim, outcome: RunFinish): Promise<boolean>;
  /** Records a day as missed (more than 12 h late) unless that day already has a run. */
  recordMissed(candidate: RunCandidate, now: Date, lateMs: number): Promise<boolean>;
  /** Records a `digest test` run. */
  recordTest(
    candidate: RunCandidate,
    outcome: { state: 'posted' | 'failed'; at: Date; reason: string | null; ts: string | null },
  ): Promise<void>;
  markCreatorNotified(runId: string): Promise<void>;
  /** The latest runs of a digest, newest first. */
  log(digestId: string, limit?: number): Promise<DigestRun[]>;
}

export const runKey = (digestId: string, localDate: LocalDate): string => `${digestId}:${localDate}`;

const DIGEST_INDEXES: IndexSpec[] = [
  // Every tick: `find({ paused: false })` in creation order, the digests that may be due.
  { name: 'paused_created_id', keys: { paused: 1, createdAt: 1, _id: 1 } },
  // `digest list`: all of them, in creation order.
  { name: 'created_id', keys: { createdAt: 1, _id: 1 } },
];

const RUN_INDEXES: IndexSpec[] = [
  // `digest log ID`: one digest's latest runs, newest first; and `digest remove` deleting them. Claims need no
  // index of their own: the key is the `_id`, unique by nature.
  { name: 'digest_scheduled_claimed', keys: { digestId: 1, scheduledAt: -1, claimedAt: -1 } },
];

/** The digests' indexes; earlier versions created the retired ones, which these replace. */
export const DIGEST_INDEX_SETS: IndexSet[] = [
  { collection: DIGESTS, indexes: DIGEST_INDEXES, retired: ['paused'] },
  { collection: DIGEST_RUNS, indexes: RUN_INDEXES, retired: ['digest_scheduled'] },
];

const filtersSchema = z.object({
  sources: z.array(z.enum(SOURCES)),
  assignees: z.array(z.string()),
  assignedBy: z.array(z.string()),
  contacts: z.array(z.string()),
  conversations: z.array(z.string()),
  teams: z.array(z.string()),
}) satisfies z.ZodType<ReportFilters>;

const digestSchema = z.object({
  _id: z.string(),
  channelId: z.string(),
  channelName: z.string().nullable(),
  team: z.string(),
  at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
  // A digest stored before zone names were canonicalised is shown by its canonical name all the same.
  zone: z.string().transform((zone) => canonicalZone(zone) ?? zone),
  weekdaysOnly: z.boolean(),
  skipEmpty: z.boolean(),
  filters: filtersSchema,
  paused: z.boolean(),
  createdBy: z.string(),
  createdAt: z.date(),
  resumedAt: z.date().nullable(),
});

const runSchema = z.object({
  _id: z.string(),
  digestId: z.string(),
  localDate: z.string(),
  scheduledAt: z.date(),
  test: z.boolean(),
  state: z.enum(['claimed', 'posted', 'posted-delayed', 'skipped-empty', 'failed', 'missed']),
  owner: z.string().nullable(),
  leaseUntil: z.date().nullable(),
  attempts: z.number().int(),
  claimedAt: z.date(),
  finishedAt: z.date().nullable(),
  delayedByMs: z.number(),
  reason: z.string().nullable(),
  retryAt: z.date().nullable(),
  ts: z.string().nullable(),
  threadTs: z.string().nullable(),
  creatorNotified: z.boolean(),
});

function toDigest(doc: Doc): StoredDigest {
  const { _id, ...rest } = digestSchema.parse(doc);
  return { id: _id, ...rest };
}

function toRun(doc: Doc): DigestRun {
  const { _id, ...rest } = runSchema.parse(doc);
  return { id: _id, ...rest };
}

// No 0/o, 1/l/i: ids are read off a screen and typed.
const ID_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

function randomId(length: number): string {
  return Array.from({ length }, () => ID_ALPHABET[randomInt(ID_ALPHABET.length)]).join('');
}

function newRun(candidate: RunCandidate, fields: Partial<Omit<DigestRun, 'id'>>): Doc {
  return {
    digestId: candidate.digestId,
    localDate: candidate.localDate,
    scheduledAt: candidate.scheduledAt,
    test: false,
    state: 'claimed',
    owner: null,
    leaseUntil: null,
    attempts: 0,
    claimedAt: candidate.scheduledAt,
    finishedAt: null,
    delayedByMs: 0,
    reason: null,
    retryAt: null,
    ts: null,
    threadTs: null,
    creatorNotified: false,
    ...fields,
  };
}

/** The digest store over either engine; `newId` picks candidate ids (random, 4 characters, then 5). */
export function createDigestStore(
  engine: Engine,
  options: { newId?: (attempt: number) => string } = {},
): DigestStore {
  const digests = engine.collection(DIGESTS);
  const runs = engine.collection(DIGEST_RUNS);
  const newId = options.newId ?? ((attempt: number) => randomId(attempt < 10 ? 4 : 5));

  /** Inserts if absent; true when this call inserted it. */
  async function insertOnce(collection: typeof runs, id: string, doc: Doc): Promise<boolean> {
    try {
      return (await collection.updateOne({ _id: id }, { $setOnInsert: doc }, { upsert: true })).upserted;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async function get(id: string): Promise<StoredDigest | null> {
    const doc = await digests.findOne({ _id: id });
    return doc ? toDigest(doc) : null;
  }

  async function findDigests(filter: Doc): Promise<StoredDigest[]> {
    const out: StoredDigest[] = [];
    for await (const doc of digests.find(filter, { sort: { createdAt: 1, _id: 1 } })) out.push(toDigest(doc));
    return out;
  }

  return {
    init: (options) => ensureIndexes(engine, DIGEST_INDEX_SETS, options),
    async add(digest) {
      for (let attempt = 0; attempt < 30; attempt++) {
        const id = newId(attempt);
        const doc = { ...digest, filters: { ...digest.filters, teams: [] }, paused: false, resumedAt: null };
        if (await insertOnce(digests, id, doc)) return { id, ...doc };
      }
      throw new Error('could not find a free digest id after 30 tries');
    },
    get,
    list: () => findDigests({}),
    active: () => findDigests({ paused: false }),
    async remove(id) {
      const removed = await digests.deleteMany({ _id: id });
      if (removed > 0) await runs.deleteMany({ digestId: id });
      return removed > 0;
    },
    async setPaused(id, paused, at) {
      const set: Doc = paused ? { paused } : { paused, resumedAt: at };
      // Resuming a digest that is not paused keeps its resume time: it must not skip today's occurrence.
      const r = await digests.updateOne({ _id: id, paused: !paused }, { $set: set });
      if (r.matched === 0 && !(await get(id))) return null;
      return get(id);
    },
    async runs(keys) {
      const out = new Map<string, DigestRun>();
      if (keys.length === 0) return out;
      // What was claimed decides what this round claims: read from the primary.
      for await (const doc of runs.find({ _id: { $in: [...keys] } }, { primary: true })) {
        const run = toRun(doc);
        out.set(run.id, run);
      }
      return out;
    },
    now: () => engine.now(),
    async claim(candidate) {
      const now = await engine.now();
      const owner = randomUUID();
      const id = runKey(candidate.digestId, candidate.localDate);
      const doc = newRun(candidate, {
        owner,
        leaseUntil: new Date(now.getTime() + LEASE_MS),
        attempts: 1,
        claimedAt: now,
      });
      if (!(await insertOnce(runs, id, doc))) return null;
      return { owner, run: toRun({ _id: id, ...doc }) };
    },
    async takeOver(run) {
      // Read before the write, so the lease compared is at worst a round trip older than the database's now
      // (a takeover a moment late, never early), and the new lease a round trip shorter than a whole one.
      const now = await engine.now();
      const owner = randomUUID();
      const leaseUntil = new Date(now.getTime() + LEASE_MS);
      // `attempts` is the version: of several processes that saw the same expired run, one moves it on.
      const r = await runs.updateOne(
        {
          _id: run.id,
          attempts: run.attempts,
          $or: [
            { state: 'claimed', leaseUntil: { $lt: now } },
            { state: 'failed', retryAt: { $ne: null, $lte: now } },
          ],
        },
        {
          $set: { state: 'claimed', owner, leaseUntil, claimedAt: now, retryAt: null },
          $inc: { attempts: 1 },
        },
      );
      if (r.matched === 0) return null;
      return {
        owner,
        run: {
          ...run,
          state: 'claimed',
          owner,
          leaseUntil,
          claimedAt: now,
          retryAt: null,
          attempts: run.attempts + 1,
        },
      };
    },
    async renew(claim) {
      const now = await engine.now();
      const leaseUntil = new Date(now.getTime() + LEASE_MS);
      const r = await runs.updateOne(
        { _id: claim.run.id, owner: claim.owner, state: 'claimed' },
        { $set: { leaseUntil } },
      );
      if (r.matched === 1) claim.run.leaseUntil = leaseUntil;
      return r.matched === 1;
    },
    async recordPosted(claim, ts) {
      const r = await runs.updateOne(
        { _id: claim.run.id, owner: claim.owner, state: 'claimed' },
        { $set: { ts } },
      );
      return r.matched === 1;
    },
    async finish(claim, outcome) {
      const retryAt =
        outcome.retryAfterMs === undefined
          ? null
          : new Date((await engine.now()).getTime() + outcome.retryAfterMs);
      const set: Doc = {
        state: outcome.state,
        finishedAt: outcome.finishedAt,
        leaseUntil: null,
        delayedByMs: outcome.delayedByMs ?? 0,
        reason: outcome.reason ?? null,
        retryAt,
        ...(outcome.ts !== undefined ? { ts: outcome.ts } : {}),
        ...(outcome.threadTs !== undefined ? { threadTs: outcome.threadTs } : {}),
      };
      const r = await runs.updateOne(
        { _id: claim.run.id, owner: claim.owner, state: 'claimed' },
        { $set: set },
      );
      return r.matched === 1;
    },
    async recordMissed(candidate, now, lateMs) {
      const id = runKey(candidate.digestId, candidate.localDate);
      return insertOnce(
        runs,
        id,
        newRun(candidate, {
          state: 'missed',
          claimedAt: now,
          finishedAt: now,
          delayedByMs: lateMs,
          reason: 'the bot was not running within 12 hours of the scheduled time',
        }),
      );
    },
    async recordTest(candidate, outcome) {
      const id = `${runKey(candidate.digestId, candidate.localDate)}:test:${randomUUID().slice(0, 8)}`;
      await insertOnce(
        runs,
        id,
        newRun(candidate, {
          test: true,
          state: outcome.state,
          attempts: 1,
          claimedAt: outcome.at,
          finishedAt: outcome.at,
          reason: outcome.reason,
          ts: outcome.ts,
        }),
      );
    },
    async markCreatorNotified(runId) {
      await runs.updateOne({ _id: runId }, { $set: { creatorNotified: true } });
    },
    async log(digestId, limit = LOG_RUNS) {
      const out: DigestRun[] = [];
      for await (const doc of runs.find({ digestId }, { sort: { scheduledAt: -1, claimedAt: -1 }, limit }))
        out.push(toRun(doc));
      return out;
    },
  };
}
