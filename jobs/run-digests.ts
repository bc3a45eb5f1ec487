import type { Logger } from '@slack/bolt';
import type { ComposeDigest, ComposedDigest } from '../src/domain/digest.ts';
import {
  DELAY_GRACE_MS,
  type DueRun,
  dueRun,
  formatDelay,
  MISSED_AFTER_MS,
} from '../src/domain/digest-schedule.ts';
import { addDays, formatDate } from '../src/domain/time.ts';
import { failureNotice } from '../src/render/digest-admin-text.ts';
import { type DigestPosting, explainPostError, postDigest, sendPaced } from '../src/slack/post-digest.ts';
import {
  type Claim,
  type DigestRun,
  type DigestStore,
  LEASE_MS,
  type RunCandidate,
  runKey,
  type StoredDigest,
} from '../src/store/digest-store.ts';

// One tick's digest round: find the digests that are due, claim each day's run before posting (whoever inserts
// the claim posts), compose, post, record what happened. Safe to run in several processes at once.

export interface DigestJobDeps extends DigestPosting {
  digests: DigestStore;
  compose: ComposeDigest;
  /**
   * This process's clock: which digests are due, how late they are, when outcomes were recorded. A round can
   * outlast the minute it started in. Leases and retry times run on the database's (DigestStore.now).
   */
  now: () => Date;
  logger: Logger;
  /** Digests composed at once (store work); posting is paced per channel and channels run in parallel. */
  composeConcurrency?: number;
  /**
   * Aborted when a restart cancels the round: no further digest is claimed (the next process posts them); one
   * being posted finishes its call first.
   */
  signal?: AbortSignal;
}

/**
 * Attempts for a failure that may pass (a 5xx, a network error, a 429 that does not end): the run is released
 * and retried on a later tick after 1, 2, 4 then 8 minutes; the fifth failure is final and its creator is told.
 */
export const MAX_ATTEMPTS = 5;
export const retryDelayMs = (attempts: number): number => 60_000 * 2 ** Math.max(0, attempts - 1);

export interface RoundSummary {
  /** Due and not yet delivered when the round began. */
  due: number;
  posted: number;
  delayed: number;
  skipped: number;
  failed: number;
  /** Failed for now, to be retried on a later tick. */
  retrying: number;
  missed: number;
}

/** Runs `work` with at most `n` at a time. */
function limiter(n: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await work();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

/** A run held by a lease or waiting for its retry time: the database's clock says when it may move on. */
const leased = (run: DigestRun): boolean =>
  !run.test && (run.state === 'claimed' || (run.state === 'failed' && run.retryAt !== null));

/**
 * A run this tick may move on: none yet, a dead claim, or a retry whose time came. `dbNow` is the database's
 * clock, on which leases and retry times were stamped (read when some run is leased).
 */
function claimable(run: DigestRun | undefined, dbNow: Date | undefined): boolean {
  if (!run) return true;
  if (!leased(run) || !dbNow) return false;
  if (run.state === 'claimed') return run.leaseUntil !== null && run.leaseUntil < dbNow;
  return run.retryAt !== null && run.retryAt <= dbNow;
}

const describe = (def: StoredDigest, localDate: string) =>
  `digest ${def.id} (${def.team}, #${def.channelName ?? def.channelId}, ${localDate})`;

/** Posts every digest due at `now` that is not delivered yet; answers what happened. */
export async function runDueDigests(deps: DigestJobDeps, now: Date): Promise<RoundSummary> {
  const summary: RoundSummary = {
    due: 0,
    posted: 0,
    delayed: 0,
    skipped: 0,
    failed: 0,
    retrying: 0,
    missed: 0,
  };
  const due: { def: StoredDigest; run: DueRun }[] = [];
  for (const def of await deps.digests.active()) {
    const run = dueRun(def, now);
    if (run) due.push({ def, run });
  }
  if (due.length === 0) return summary;
  const existing = await deps.digests.runs(due.map(({ def, run }) => runKey(def.id, run.localDate)));
  // Comparing a lease with this process's clock would let a process whose clock runs ahead take over a live
  // claim (a second post), and one whose clock lags leave a dead one for too long.
  const dbNow = [...existing.values()].some(leased) ? await deps.digests.now() : undefined;
  const todo = due.filter(({ def, run }) => claimable(existing.get(runKey(def.id, run.localDate)), dbNow));
  summary.due = todo.length;

  // One lane per channel, lanes in parallel: a channel's digests go one after another (the pacer spaces them).
  const lanes = new Map<string, typeof todo>();
  for (const item of todo) lanes.set(item.def.channelId, [...(lanes.get(item.def.channelId) ?? []), item]);
  const composing = limiter(deps.composeConcurrency ?? 8);
  await Promise.all(
    [...lanes.values()].map(async (lane) => {
      for (const { def, run } of lane) {
        if (deps.signal?.aborted) break;
        try {
          await runOne(deps, composing, def, run, existing.get(runKey(def.id, run.localDate)), summary);
        } catch (error) {
          // The claim stays behind and its lease expires: a later tick (here or elsewhere) takes it over.
          deps.logger.error(
            `${describe(def, run.localDate)} failed; it will be retried after its lease`,
            error,
          );
        }
      }
    }),
  );
  if (summary.due > 0)
    deps.logger.info(
      `digests: ${summary.posted} posted (${summary.delayed} delayed), ${summary.skipped} skipped, ` +
        `${summary.failed} failed, ${summary.retrying} to retry, ${summary.missed} missed`,
    );
  return summary;
}

async function runOne(
  deps: DigestJobDeps,
  composing: ReturnType<typeof limiter>,
  def: StoredDigest,
  due: DueRun,
  seen: DigestRun | undefined,
  summary: RoundSummary,
): Promise<void> {
  const startedAt = deps.now();
  const lateMs = Math.max(0, startedAt.getTime() - due.scheduledAt.getTime());
  const candidate: RunCandidate = {
    digestId: def.id,
    localDate: due.localDate,
    scheduledAt: due.scheduledAt,
  };
  const label = describe(def, due.localDate);

  if (lateMs > MISSED_AFTER_MS) {
    if (!seen) {
      if (await deps.digests.recordMissed(candidate, startedAt, lateMs)) {
        summary.missed++;
        deps.logger.warn(`${label} missed: ${formatDelay(lateMs)} late, not posted`);
      }
      return;
    }
    const late = await deps.digests.takeOver(seen);
    if (late && (await deps.digests.finish(late, missed(startedAt, lateMs, seen.reason)))) summary.missed++;
    return;
  }

  const claim = seen ? await deps.digests.takeOver(seen) : await deps.digests.claim(candidate);
  if (!claim) return; // Someone else inserted or took it first: they post.

  const delayed = lateMs > DELAY_GRACE_MS;
  let composed: ComposedDigest;
  try {
    composed = await composing(() =>
      deps.compose(def, addDays(due.localDate, -1), {
        test: false,
        delayedBy: delayed ? formatDelay(lateMs) : null,
      }),
    );
  } catch (error) {
    deps.logger.error(`${label}: composing failed`, error);
    const reason = `building the digest failed: ${error instanceof Error ? error.message : String(error)}`;
    await failOrRetry(deps, def, claim, reason, summary);
    return;
  }

  if (composed.empty && def.skipEmpty) {
    await deps.digests.finish(claim, {
      state: 'skipped-empty',
      finishedAt: deps.now(),
      reason: `no assignments for ${def.team} on ${formatDate(addDays(due.localDate, -1), 'ddd D MMM')} (skip-empty)`,
    });
    summary.skipped++;
    return;
  }

  // A claim held past half its lease (a slow store, long 429 waits) is renewed before posting, so nobody can
  // take it over while this process is about to post; if it was taken over meanwhile, the other owner posts.
  // How long it was held is measured on this process's clock alone, from before the claim (the lease began
  // later, by the database's clock): comparing this clock with the lease's would be off by their skew.
  if (deps.now().getTime() - startedAt.getTime() > LEASE_MS / 2 && !(await deps.digests.renew(claim))) {
    deps.logger.warn(`${label}: the claim was taken over before posting; the new owner posts it`);
    return;
  }

  const result = await postDigest(deps, def.channelId, composed, claim.run, (ts) =>
    deps.digests.recordPosted(claim, ts),
  );
  if (result.ok) {
    if (result.threadError) deps.logger.warn(`${label}: the thread reply failed (${result.threadError})`);
    await deps.digests.finish(claim, {
      state: delayed ? 'posted-delayed' : 'posted',
      finishedAt: deps.now(),
      delayedByMs: delayed ? lateMs : 0,
      ts: result.ts,
      threadTs: result.threadTs,
      reason: result.threadError ? `the thread reply failed: ${result.threadError}` : null,
    });
    summary.posted++;
    if (delayed) summary.delayed++;
    return;
  }
  const reason = explainPostError(result.error, { id: def.channelId, name: def.channelName });
  if (result.permanent) {
    await fail(deps, def, claim, reason, summary);
    return;
  }
  await failOrRetry(deps, def, claim, reason, summary);
}

function missed(at: Date, lateMs: number, before: string | null) {
  return {
    state: 'missed' as const,
    finishedAt: at,
    delayedByMs: lateMs,
    reason: `still not posted 12 hours after the scheduled time${before ? ` (last error: ${before})` : ''}`,
  };
}

/** A failure that may pass: released for a later tick, unless this was the last attempt. */
async function failOrRetry(
  deps: DigestJobDeps,
  def: StoredDigest,
  claim: Claim,
  reason: string,
  summary: RoundSummary,
): Promise<void> {
  const attempts = claim.run.attempts;
  const delayMs = retryDelayMs(attempts);
  // Lateness is the schedule's, on this process's clock; the retry time itself is stamped on the database's.
  if (
    attempts >= MAX_ATTEMPTS ||
    deps.now().getTime() + delayMs - claim.run.scheduledAt.getTime() > MISSED_AFTER_MS
  ) {
    await fail(deps, def, claim, `${reason} (gave up after ${attempts} attempts)`, summary);
    return;
  }
  deps.logger.warn(`${describe(def, claim.run.localDate)}: ${reason}; retrying in ${formatDelay(delayMs)}`);
  await deps.digests.finish(claim, {
    state: 'failed',
    finishedAt: deps.now(),
    reason,
    retryAfterMs: delayMs,
  });
  summary.retrying++;
}

/** A final failure: the day's run stays failed (no retry every minute) and the creator hears about it once. */
async function fail(
  deps: DigestJobDeps,
  def: StoredDigest,
  claim: Claim,
  reason: string,
  summary: RoundSummary,
): Promise<void> {
  deps.logger.warn(`${describe(def, claim.run.localDate)} failed: ${reason}`);
  if (!(await deps.digests.finish(claim, { state: 'failed', finishedAt: deps.now(), reason }))) return;
  summary.failed++;
  if (claim.run.creatorNotified) return;
  const text = failureNotice(def, claim.run.localDate, reason);
  const dm = await deps.poster.openDm(def.createdBy);
  const sent = dm.ok
    ? await sendPaced(deps, {
        channel: dm.channel,
        text,
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
      })
    : dm;
  if (sent.ok) await deps.digests.markCreatorNotified(claim.run.id);
  else deps.logger.error(`could not tell ${def.createdBy} that ${def.id} failed: ${sent.error}`);
}
