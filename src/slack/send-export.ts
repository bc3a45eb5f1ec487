import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@slack/bolt';
import { z } from 'zod';
import type { ExportPlan } from '../domain/export.ts';
import { makeWorkDir, privateTempRoot } from '../lifecycle/temp-space.ts';
import { isRestart } from '../lifecycle/work-tracker.ts';
import {
  doneText,
  type ExportProblem,
  emptyExportText,
  exportComment,
  exportFailedText,
  exportFilename,
  exportTitle,
  progressText,
} from '../render/export-messages.ts';
import { writeExportFile } from '../reports/write-export-file.ts';
import type { AssignmentStore } from '../store/assignment-store.ts';
import { slackFailureOf } from './slack-call-limits.ts';
import {
  callSlack,
  type FileUploadClient,
  type PostBytes,
  SlackCallError,
  UploadRejectedError,
  uploadFile,
} from './upload-file.ts';

/** The part of Slack's Web API an export needs (a Bolt `client` is one). */
export interface ExportClient extends FileUploadClient {
  conversations: { open(args: { users: string }): Promise<unknown> };
  chat: {
    postMessage(args: { channel: string; text: string }): Promise<unknown>;
    update(args: { channel: string; ts: string; text: string }): Promise<unknown>;
  };
}

/** When the DM shows progress: once an export has run `afterMs`, then updated at most every `everyMs`. */
export interface ExportProgressTiming {
  afterMs: number;
  everyMs: number;
}

export const DEFAULT_PROGRESS: ExportProgressTiming = { afterMs: 3000, everyMs: 2000 };
/** Slack's largest file. */
export const SLACK_FILE_LIMIT = 1024 ** 3;

export interface SendExportDeps {
  store: Pick<AssignmentStore, 'exportRows'>;
  logger: Pick<Logger, 'error' | 'warn'>;
  /**
   * The private directory the file is written in before it is uploaded, in a directory of its own that is removed
   * either way (by default `$TMPDIR/handoff-<uid>`, mode 0700).
   */
  tmpDir?: string;
  post?: PostBytes;
  progress?: ExportProgressTiming;
  /** Milliseconds, for the progress timing. */
  clock?: () => number;
  maxBytes?: number;
}

export type ExportOutcome =
  | { kind: 'sent'; rows: number; fileId: string; channelId: string }
  | { kind: 'empty'; channelId: string }
  /** `told`: the DM says what went wrong; otherwise the caller must say it (`text`) some other way. */
  | { kind: 'failed'; problem: ExportProblem; text: string; told: boolean };

class TooLargeError extends Error {
  constructor(
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`the export is ${bytes} bytes, over the ${limit}-byte limit`);
  }
}

const openedSchema = z.object({ channel: z.object({ id: z.string().min(1) }) });
const postedSchema = z.object({ ts: z.string().min(1) });
const platformErrorSchema = z.object({
  code: z.string(),
  data: z.object({ error: z.string(), needed: z.string().optional() }).optional(),
});

// The scope each method needs, for a `missing_scope` answer that does not name it.
const SCOPES: Record<string, string> = {
  'conversations.open': 'im:write',
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'files.getUploadURLExternal': 'files:write',
  'files.completeUploadExternal': 'files:write',
};

/** What a failure means for the requester; anything unexpected is "internal" (and logged in full). */
function problemOf(error: unknown, signal: AbortSignal | undefined): ExportProblem {
  if (isRestart(error) || (signal?.aborted && isRestart(signal.reason))) return { kind: 'restart' };
  if (error instanceof TooLargeError) return { kind: 'too_large', bytes: error.bytes, limit: error.limit };
  if (error instanceof UploadRejectedError) return { kind: 'upload', status: error.status };
  if (error instanceof SlackCallError) {
    const parsed = platformErrorSchema.safeParse(error.cause);
    const detail = parsed.success ? parsed.data : undefined;
    return {
      kind: 'slack',
      method: error.method,
      error: slackFailureOf(error.cause)?.error ?? detail?.code ?? 'no_answer',
      needed: detail?.data?.needed ?? SCOPES[error.method],
    };
  }
  return { kind: 'internal' };
}

/**
 * The progress message in the DM: posted once the export has run `afterMs` and then updated with the row count
 * at most every `everyMs`, never two calls at once. A failed update is logged and skipped: progress is a
 * courtesy, the file is the point.
 */
function startProgress(
  deps: Required<Pick<SendExportDeps, 'clock'>> & Pick<SendExportDeps, 'logger'>,
  client: ExportClient,
  channel: string,
  timing: ExportProgressTiming,
  text: (rows: number) => string,
) {
  const started = deps.clock();
  let rows = 0;
  let shown = -1;
  let ts: string | undefined;
  let busy: Promise<void> | undefined;
  const show = async (message: string) => {
    if (ts === undefined) {
      const posted = await callSlack('chat.postMessage', () =>
        client.chat.postMessage({ channel, text: message }),
      );
      ts = postedSchema.parse(posted).ts;
    } else {
      const at = ts;
      await callSlack('chat.update', () => client.chat.update({ channel, ts: at, text: message }));
    }
  };
  const tick = () => {
    if (busy || rows === shown || deps.clock() - started < timing.afterMs) return;
    const n = rows;
    busy = show(text(n))
      .then(() => {
        shown = n;
      })
      .catch((error: unknown) => deps.logger.warn('export progress message failed', error))
      .finally(() => {
        busy = undefined;
      });
  };
  const timer = setInterval(tick, timing.everyMs);
  timer.unref();
  return {
    setRows(n: number) {
      rows = n;
    },
    /** Stops updating; waits for an update in flight. */
    async stop() {
      clearInterval(timer);
      await busy;
    },
    /** Replaces the progress message with `message`, or posts it when `always` and none was shown. */
    async finish(message: string, always: boolean): Promise<boolean> {
      if (ts === undefined && !always) return false;
      await show(message);
      return true;
    },
  };
}

/**
 * Exports the log a plan covers to its requester: opens the DM with the bot, writes the CSV from the store's
 * cursor to a temporary file (so the upload can announce its length), uploads it there with a comment saying
 * what it holds, and removes the file, whatever happens. A slow export shows progress in the DM; a failure is
 * logged and explained there (or, when the DM cannot be opened, left for the caller to say).
 */
export async function sendExport(
  deps: SendExportDeps,
  client: ExportClient,
  request: { userId: string; plan: ExportPlan; signal?: AbortSignal },
): Promise<ExportOutcome> {
  const { plan, userId, signal } = request;
  const fail = (error: unknown): Extract<ExportOutcome, { kind: 'failed' }> => {
    const problem = problemOf(error, signal);
    if (problem.kind === 'restart')
      deps.logger.warn(`export "${plan.command}" for ${userId}: stopped by a restart`);
    else deps.logger.error(`export "${plan.command}" for ${userId} failed`, error);
    return { kind: 'failed', problem, text: exportFailedText(plan, problem), told: false };
  };
  let channel: string;
  try {
    const opened = await callSlack('conversations.open', () => client.conversations.open({ users: userId }));
    channel = openedSchema.parse(opened).channel.id;
  } catch (error) {
    return fail(error);
  }
  const clock = deps.clock ?? Date.now;
  const progress = startProgress(
    { clock, logger: deps.logger },
    client,
    channel,
    deps.progress ?? DEFAULT_PROGRESS,
    (rows) => progressText(plan, rows),
  );
  let dir: string | undefined;
  try {
    dir = await makeWorkDir(deps.tmpDir ?? privateTempRoot(), 'export');
    const path = join(dir, exportFilename(plan));
    const written = await writeExportFile(
      deps.store.exportRows(plan.range, plan.filters),
      plan.zone,
      path,
      (n) => progress.setRows(n),
      signal,
    );
    await progress.stop();
    if (written.rows === 0) {
      await progress.finish(emptyExportText(plan), true);
      return { kind: 'empty', channelId: channel };
    }
    const limit = deps.maxBytes ?? SLACK_FILE_LIMIT;
    if (written.bytes > limit) throw new TooLargeError(written.bytes, limit);
    const { fileId } = await uploadFile(
      { client, ...(deps.post ? { post: deps.post } : {}) },
      {
        path,
        filename: exportFilename(plan),
        title: exportTitle(plan),
        channelId: channel,
        initialComment: exportComment(plan, written.rows),
      },
      signal,
    );
    // The file is there: a progress message that cannot be marked done is no failure of the export.
    await progress
      .finish(doneText(plan, written.rows), false)
      .catch((error: unknown) => deps.logger.warn('marking the export message done failed', error));
    return { kind: 'sent', rows: written.rows, fileId, channelId: channel };
  } catch (error) {
    await progress.stop();
    const outcome = fail(error);
    try {
      return { ...outcome, told: await progress.finish(outcome.text, true) };
    } catch (notified) {
      deps.logger.error(`could not tell ${userId} in a DM that the export failed`, notified);
      return outcome;
    }
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}
