import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webApi } from '@slack/bolt';
import { parse } from 'csv-parse/sync';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ExportPlan, ExportRow } from '../../src/domain/export.ts';
import { planExport } from '../../src/domain/export.ts';
import { type SendExportDeps, sendExport } from '../../src/slack/send-export.ts';
import { FakeSlackApi } from '../fakes/fake-slack-api.ts';

const NOW = new Date('2026-11-26T10:00:00Z');
const ZONE = 'Asia/Kuala_Lumpur';

function plan(text: string): ExportPlan {
  const request = planExport({ text, zone: ZONE, now: NOW });
  if (request.kind !== 'plan') throw new Error(request.message);
  return request.plan;
}

function row(i: number): ExportRow {
  return {
    eventId: `id:e${i}`,
    timestamp: new Date(Date.UTC(2026, 10, 25, 0, 0, 0) + i * 1000),
    conversationId: String(88_000 + (i % 50)),
    contact: { id: String(1_000_000 + i), name: i % 2 ? `-Contact ${i}` : `Contact, ${i}` },
    previousAssignee: null,
    assignee: { id: 'u2', name: 'Mei Tan' },
    source: 'workflow',
    assignedBy: null,
  };
}

/** A store that exports `n` rows, pausing where `pauses` says until a condition holds (no clock involved). */
function fakeStore(n: number, pauses: Map<number, () => Promise<void>> = new Map(), failAt?: number) {
  const state = { closed: false, asked: [] as unknown[] };
  return {
    state,
    exportRows(window: unknown, filters: unknown): AsyncIterable<ExportRow> {
      state.asked.push({ window, filters });
      return (async function* () {
        try {
          for (let i = 0; i < n; i++) {
            await pauses.get(i)?.();
            if (i === failAt) throw new Error('the store stopped answering');
            yield row(i);
          }
        } finally {
          state.closed = true;
        }
      })();
    },
  };
}

describe('sendExport', () => {
  let slack: FakeSlackApi;
  let client: webApi.WebClient;
  let root: string;
  let tmpDir: string;
  type Log = (...args: unknown[]) => void;
  let logger: { error: ReturnType<typeof vi.fn<Log>>; warn: ReturnType<typeof vi.fn<Log>> };

  beforeAll(async () => {
    slack = await new FakeSlackApi().start();
    client = new webApi.WebClient('xoxb-test', { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
    root = await mkdtemp(join(tmpdir(), 'handoff-send-export-test-'));
  });

  beforeEach(async () => {
    slack.calls.length = 0;
    slack.failures.clear();
    tmpDir = join(root, String(Math.random()).slice(2));
    await mkdir(tmpDir);
    logger = { error: vi.fn<Log>(), warn: vi.fn<Log>() };
  });

  afterEach(async () => {
    // Whatever happened, the temporary file is gone.
    expect(await readdir(tmpDir)).toEqual([]);
  });

  afterAll(async () => {
    await slack.stop();
    await rm(root, { recursive: true, force: true });
  });

  const deps = (store: SendExportDeps['store'], extra: Partial<SendExportDeps> = {}): SendExportDeps => ({
    store,
    logger,
    tmpDir,
    ...extra,
  });

  it('sends the file to the DM with a comment saying what it holds; a quick export shows no progress', async () => {
    const store = fakeStore(2500);
    const p = plan('export yesterday source:workflow assignee:"Mei Tan"');
    const outcome = await sendExport(deps(store), client, { userId: 'U7', plan: p });
    expect(outcome).toMatchObject({ kind: 'sent', rows: 2500, channelId: 'DU7' });
    expect(store.state.asked).toEqual([{ window: p.range, filters: p.filters }]);
    expect(slack.callsTo('conversations.open')[0]?.args).toMatchObject({ users: 'U7' });
    expect(slack.callsTo('chat.postMessage')).toHaveLength(0);
    const upload = outcome.kind === 'sent' ? slack.uploads.get(outcome.fileId) : undefined;
    expect(upload?.filename).toBe('assignments-2026-11-25.csv');
    expect(upload?.completed?.channelId).toBe('DU7');
    expect(upload?.completed?.title).toBe('Assignments log, Yesterday, Wed 25 Nov 2026 (Asia/Kuala_Lumpur)');
    expect(upload?.completed?.initialComment).toBe(
      [
        '*Assignments log export*: 2,500 rows, oldest first.',
        'Range: Yesterday, Wed 25 Nov 2026 (2026-11-25 00:00 +08:00 to 2026-11-26 00:00 +08:00, Asia/Kuala_Lumpur)',
        'Filters: Source: Workflow · Assigned To: Mei Tan',
        'Timestamps are in Asia/Kuala_Lumpur with their UTC offset. The last column, Event ID, lets `npm run import` recognise every row, so importing this file adds nothing already stored.',
        'Reproduce: `/assignments export yesterday source:workflow assignee:"Mei Tan"`',
      ].join('\n'),
    );
    const records: string[][] = parse(upload?.bytes ?? Buffer.alloc(0), { bom: true });
    expect(records).toHaveLength(2501);
    expect(records[1]).toEqual([
      '2026-11-25 08:00:00.000 +08:00',
      '88000',
      '1000000',
      'Contact, 0',
      '',
      'Mei Tan',
      'Workflow',
      '',
      'id:e0',
    ]);
    expect(records[2]?.[3]).toBe("'-Contact 1");
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('shows progress in the DM for a slow export, updated as rows are written, then marks it done', async () => {
    // The store holds back until the progress it should have caused has arrived: no sleeping, no clock.
    const pauses = new Map<number, () => Promise<void>>([
      [1500, () => slack.waitForCalls('chat.postMessage', 1)],
      [3000, () => slack.waitForCalls('chat.update', 1)],
      [4500, () => slack.waitForCalls('chat.update', 2)],
    ]);
    const store = fakeStore(6000, pauses);
    const outcome = await sendExport(deps(store, { progress: { afterMs: 0, everyMs: 5 } }), client, {
      userId: 'U7',
      plan: plan('export last 7 days'),
    });
    expect(outcome).toMatchObject({ kind: 'sent', rows: 6000 });
    const [posted] = slack.callsTo('chat.postMessage');
    expect(posted?.args).toMatchObject({ channel: 'DU7' });
    expect(String(posted?.args.text)).toMatch(
      /^:hourglass_flowing_sand: Exporting the assignments log, Last 7 days, .*… [\d,]+ rows written so far\.$/,
    );
    const updates = slack.callsTo('chat.update').map((c) => String(c.args.text));
    expect(updates.length).toBeGreaterThanOrEqual(3);
    const counts = updates
      .slice(0, -1)
      .map((t) => Number(/… ([\d,]+) rows/.exec(t)?.[1]?.replaceAll(',', '')));
    expect(counts.every((n, i) => n > 0 && (i === 0 || n > (counts[i - 1] ?? 0)))).toBe(true);
    expect(updates.at(-1)).toMatch(
      /^:white_check_mark: Export of Last 7 days, .* ready: 6,000 rows\. The file is below\.$/,
    );
    // The message is updated in place.
    const ts = slack.callsTo('chat.update').map((c) => c.args.ts);
    expect(new Set(ts).size).toBe(1);
  });

  it('says so in the DM when nothing matches, and sends no file', async () => {
    const outcome = await sendExport(deps(fakeStore(0)), client, {
      userId: 'U7',
      plan: plan('export yesterday team:Nowhere'),
    });
    expect(outcome).toEqual({ kind: 'empty', channelId: 'DU7' });
    expect(slack.callsTo('files.getUploadURLExternal')).toHaveLength(0);
    expect(String(slack.callsTo('chat.postMessage')[0]?.args.text)).toContain(
      'No assignments match `/assignments export yesterday team:Nowhere`',
    );
  });

  it('explains a failure in the DM, logs it once, closes the store cursor and removes the file', async () => {
    const store = fakeStore(5000, new Map(), 3000);
    const outcome = await sendExport(deps(store), client, { userId: 'U7', plan: plan('export yesterday') });
    expect(outcome).toMatchObject({ kind: 'failed', told: true, problem: { kind: 'internal' } });
    expect(store.state.closed).toBe(true);
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(String(slack.callsTo('chat.postMessage')[0]?.args.text)).toMatch(
      /^:warning: Your export `\/assignments export yesterday` did not arrive: something went wrong while writing the file\. It has been logged; try again/,
    );
    expect(slack.callsTo('files.getUploadURLExternal')).toHaveLength(0);
  });

  it('updates the progress message with the failure when one is showing', async () => {
    const pauses = new Map([[2000, () => slack.waitForCalls('chat.postMessage', 1)]]);
    const store = fakeStore(5000, pauses, 4000);
    const outcome = await sendExport(deps(store, { progress: { afterMs: 0, everyMs: 5 } }), client, {
      userId: 'U7',
      plan: plan('export yesterday'),
    });
    expect(outcome).toMatchObject({ kind: 'failed', told: true });
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(String(slack.callsTo('chat.update').at(-1)?.args.text)).toMatch(/^:warning: Your export/);
  });

  it('refuses a file over the size limit with what to do instead', async () => {
    const outcome = await sendExport(deps(fakeStore(100), { maxBytes: 4096 }), client, {
      userId: 'U7',
      plan: plan('export last month'),
    });
    expect(outcome).toMatchObject({
      kind: 'failed',
      told: true,
      problem: { kind: 'too_large', limit: 4096 },
    });
    expect(String(slack.callsTo('chat.postMessage')[0]?.args.text)).toContain(
      "KB, over Slack's 4 KB limit for one file. Export a shorter range or add filters",
    );
    expect(slack.callsTo('files.getUploadURLExternal')).toHaveLength(0);
  });

  it('names the missing scope when Slack refuses the upload', async () => {
    slack.failures.set('files.completeUploadExternal', 'missing_scope');
    const outcome = await sendExport(deps(fakeStore(10)), client, {
      userId: 'U7',
      plan: plan('export today'),
    });
    expect(outcome).toMatchObject({
      kind: 'failed',
      told: true,
      problem: {
        kind: 'slack',
        method: 'files.completeUploadExternal',
        error: 'missing_scope',
        needed: 'files:write',
      },
    });
    expect(String(slack.callsTo('chat.postMessage')[0]?.args.text)).toContain(
      'Slack refused `files.completeUploadExternal` because the app lacks the `files:write` scope.',
    );
  });

  it('leaves it to the caller to explain when the DM cannot be opened', async () => {
    slack.failures.set('conversations.open', 'missing_scope');
    const store = fakeStore(10);
    const outcome = await sendExport(deps(store), client, { userId: 'U7', plan: plan('export today') });
    expect(outcome).toMatchObject({ kind: 'failed', told: false, problem: { needed: 'im:write' } });
    expect(outcome.kind === 'failed' && outcome.text).toContain('lacks the `im:write` scope');
    expect(store.state.asked).toHaveLength(0);
  });
});
