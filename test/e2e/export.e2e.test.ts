import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partyKeys, type StoredEvent } from '../../src/domain/event.ts';
import { NO_FILTERS } from '../../src/domain/filters.ts';
import { resolveRange } from '../../src/domain/range.ts';
import { SOURCE_LABELS, SOURCES } from '../../src/domain/sources.ts';
import { parseCsvTimestamp } from '../../src/ingest/csv/parse-csv-timestamp.ts';
import { stripFormulaGuard } from '../../src/ingest/csv/strip-formula-guard.ts';
import { createAssignmentStore, EVENTS } from '../../src/store/assignment-store.ts';
import type { FakeUpload } from '../fakes/fake-slack-api.ts';
import { signedButton, signedCommand } from '../fakes/signed-request.ts';
import { startTestApp, type TestApp } from '../fakes/start-test-app.ts';
import { openTestEngine } from '../store/engines.ts';

// `/assignments export …` and the Export CSV button on the real Bolt app: signed requests in, Slack's Web API
// faked on a local port, 100,000 events through the upload flow, read back with csv-parse.

const NOW = new Date('2026-11-26T10:00:00Z');
const ZONE = 'Asia/Kuala_Lumpur';
const EVENT_COUNT = 100_000;
const DAY = 86_400_000;
const NAMES = ['Mei Tan', 'John Doe', '-Priya Nair', '=Wei Lim', '陈伟', 'Zoë "Z" Ünal, Jr.', '@Ahmed Khan'];

const nameOf = (i: number) => NAMES[i % NAMES.length] ?? 'Mei Tan';

/**
 * Event i, from 20 days before NOW at 34-second steps with every instant shared by two events (ties broken by
 * id): every source, unassignments, no conversation, and names a spreadsheet would run as formulas.
 */
function storedEvent(i: number): StoredEvent {
  const source = SOURCES[i % SOURCES.length] ?? 'workflow';
  const assignee = source === 'close_conversation' ? null : { id: `u${i % 7}`, name: nameOf(i) };
  const previousAssignee = i % 3 === 0 ? null : { id: `u${(i + 1) % 7}`, name: nameOf(i + 1) };
  const assignedBy = source === 'user' ? { id: 'u9', name: '+Sarah Lee' } : null;
  const contact = { id: String(1_000_000 + (i % 40_000)), name: `${nameOf(i + 2)} ${i % 40_000}` };
  return {
    _id: i % 2 ? `id:evt-${i}` : `h:${i.toString(36).padStart(8, '0')}`,
    ts: new Date(NOW.getTime() - 20 * DAY + Math.floor(i / 2) * 34_000 + (i % 1000)),
    conversationId: i % 13 === 0 ? null : String(80_000 + (i % 9_000)),
    contact,
    previousAssignee,
    assignee,
    source,
    assignedBy,
    team: null,
    keys: {
      assignee: partyKeys(assignee),
      assignedBy: partyKeys(assignedBy),
      contact: partyKeys(contact),
      team: [],
    },
    receivedAt: NOW,
    origin: 'api',
  };
}

const EVENTS_BY_TIME = Array.from({ length: EVENT_COUNT }, (_, i) => storedEvent(i)).sort(
  (a, b) => a.ts.getTime() - b.ts.getTime() || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0),
);

async function post(app: TestApp, body: string, headers: Record<string, string>) {
  const started = performance.now();
  const res = await fetch(`${app.url}/slack/events`, { method: 'POST', body, headers });
  await res.text();
  return { status: res.status, ms: performance.now() - started };
}

/** The text of the ephemeral answers at a response_url, once `count` have arrived. */
async function replies(app: TestApp, responseUrl: string, count: number): Promise<Record<string, unknown>[]> {
  const deadline = Date.now() + 20_000;
  while (app.sink.postsTo(responseUrl).length < count) {
    if (Date.now() > deadline)
      throw new Error(`only ${app.sink.postsTo(responseUrl).length} replies arrived`);
    await app.sink.waitFor(app.sink.posts.length + 1, 20_000);
  }
  return app.sink.postsTo(responseUrl).map((p) => p.body);
}

async function completedUpload(app: TestApp, count: number): Promise<FakeUpload> {
  await app.slack.waitForCalls('files.completeUploadExternal', count, 120_000);
  const uploads = [...app.slack.uploads.values()].filter((u) => u.completed);
  const upload = uploads[count - 1];
  if (!upload) throw new Error('no completed upload');
  return upload;
}

/** Resolves once `check` holds: the export finishes its DM message and removes its file after the upload. */
async function eventually(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const tmpEmpty = async (dir: string) => (await readdir(dir)).length === 0;

const records = (upload: FakeUpload): string[][] =>
  parse(upload.bytes, { bom: true, relax_column_count: false });

describe('export end to end (signed requests into the real Bolt app)', () => {
  let app: TestApp;
  let tmpDir: string;

  beforeAll(async () => {
    tmpDir = await mkdtemp(join(tmpdir(), 'handoff-export-e2e-'));
    const engine = await openTestEngine('export', { onWorker: true });
    const store = createAssignmentStore(engine);
    await store.init();
    // Loaded straight into the collection: this suite is about reading them out.
    for (let i = 0; i < EVENT_COUNT; i += 10_000)
      await engine.collection(EVENTS).upsertMany(
        EVENTS_BY_TIME.slice(i, i + 10_000).map(({ _id, ...rest }) => ({
          filter: { _id },
          update: { $setOnInsert: rest },
        })),
      );
    app = await startTestApp({
      now: () => NOW,
      store,
      allowedUsers: ['U1'],
      // Progress from the first tick, every 20 ms: a one-second export shows it without the test waiting.
      exportOptions: { tmpDir, progress: { afterMs: 0, everyMs: 20 } },
    });
    app.slack.zones.set('U1', ZONE);
  }, 120_000);

  afterAll(async () => {
    await app.stop();
    await rm(tmpDir, { recursive: true, force: true });
  });

  it('sends 100,000 events through the upload flow to the requester’s DM, with progress on the way', async () => {
    const responseUrl = app.sink.newUrl();
    const req = signedCommand({ text: 'export 30d', userId: 'U1', responseUrl });
    const res = await post(app, req.body, req.headers);
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(3000);
    const [preparing] = await replies(app, responseUrl, 1);
    expect(preparing).toMatchObject({ response_type: 'ephemeral' });
    expect(String(preparing?.text)).toMatch(
      /^Preparing your export of the assignments log, Last 30 days, .*I'll DM you the file\.$/,
    );

    const upload = await completedUpload(app, 1);
    const [announce] = app.slack.callsTo('files.getUploadURLExternal');
    expect(announce?.args).toMatchObject({ filename: 'assignments-2026-10-28-to-2026-11-26.csv' });
    expect(upload.length).toBe(upload.bytes.length);
    expect(upload.completed?.channelId).toBe('DU1');
    expect(app.slack.callsTo('conversations.open')[0]?.args).toMatchObject({ users: 'U1' });
    expect(upload.completed?.initialComment).toContain(
      '*Assignments log export*: 100,000 rows, oldest first.',
    );
    expect(upload.completed?.initialComment).toContain(
      'Range: Last 30 days, Wed 28 Oct – Thu 26 Nov 2026 (2026-10-28 00:00 +08:00 to 2026-11-27 00:00 +08:00, Asia/Kuala_Lumpur)',
    );
    expect(upload.completed?.initialComment).toContain('Reproduce: `/assignments export 30d`');
    expect(app.slack.callsTo('files.upload')).toHaveLength(0);

    // The file, read back as a spreadsheet would: every event once, oldest first, each field as stored.
    expect(upload.bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(upload.bytes.includes('\r\n')).toBe(true);
    const [header, ...rows] = records(upload);
    expect(header).toEqual([
      'Timestamp',
      'Conversation ID',
      'Contact ID',
      'Contact Name',
      'Previous Assignee',
      'Assigned To',
      'Source',
      'Assigned By',
      'Event ID',
    ]);
    expect(rows).toHaveLength(EVENT_COUNT);
    const mismatches: string[] = [];
    rows.forEach((fields, i) => {
      const e = EVENTS_BY_TIME[i];
      const [ts = '', conversation, contactId, contactName, previous, assignee, source, by, id] =
        fields.map(stripFormulaGuard);
      const instant = parseCsvTimestamp(ts, 'UTC');
      const expected = [
        e?.conversationId ?? '',
        e?.contact.id,
        e?.contact.name,
        e?.previousAssignee?.name ?? '',
        e?.assignee?.name ?? '',
        e ? SOURCE_LABELS[e.source] : '',
        e?.assignedBy?.name ?? '',
        e?._id,
      ];
      const got = [conversation, contactId, contactName, previous, assignee, source, by, id];
      if (!instant.ok || instant.instant.getTime() !== e?.ts.getTime() || !ts.endsWith(' +08:00'))
        mismatches.push(`row ${i + 2}: time ${ts}`);
      else if (JSON.stringify(got) !== JSON.stringify(expected))
        mismatches.push(`row ${i + 2}: ${JSON.stringify(got)} ≠ ${JSON.stringify(expected)}`);
    });
    expect(mismatches.slice(0, 5)).toEqual([]);
    // Names that a spreadsheet would run are neutralised in the file itself.
    expect(rows.some((r) => r[5] === "'-Priya Nair")).toBe(true);
    expect(rows.some((r) => r[5] === "'=Wei Lim")).toBe(true);
    expect(rows.some((r) => r[7] === "'+Sarah Lee")).toBe(true);
    expect(rows.some((r) => r[5] === 'Zoë "Z" Ünal, Jr.')).toBe(true);

    // Progress in the DM: posted, updated with rising counts, then marked done.
    await eventually(
      () => app.slack.callsTo('chat.update').some((c) => String(c.args.text).includes('ready')),
      'the progress message marked done',
    );
    const progress = app.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'DU1');
    expect(progress).toHaveLength(1);
    expect(String(progress[0]?.args.text)).toMatch(
      /Exporting the assignments log, Last 30 days, .*rows written so far\./,
    );
    const updates = app.slack.callsTo('chat.update').map((c) => String(c.args.text));
    expect(updates.length).toBeGreaterThanOrEqual(2);
    const counts = updates
      .slice(0, -1)
      .map((t) => Number(/… ([\d,]+) rows/.exec(t)?.[1]?.replaceAll(',', '')));
    expect(counts.every((n, i) => i === 0 || n > (counts[i - 1] ?? 0))).toBe(true);
    expect(updates.at(-1)).toMatch(/ready: 100,000 rows\. The file is below\.$/);
    await eventually(() => tmpEmpty(tmpDir), 'the temporary file removed');
  }, 120_000);

  it('exports what a report covers from its Export CSV button, privately', async () => {
    const before = app.slack.callsTo('files.completeUploadExternal').length;
    const responseUrl = app.sink.newUrl();
    const value = '/assignments yesterday source:workflow,user';
    const req = signedButton({ actionId: 'report_export', value, userId: 'U1', responseUrl });
    expect((await post(app, req.body, req.headers)).status).toBe(200);
    const [preparing] = await replies(app, responseUrl, 1);
    expect(preparing).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(preparing?.text)).toContain('Yesterday, Wed 25 Nov 2026 (filters: Source: Workflow, User)');

    const upload = await completedUpload(app, before + 1);
    expect(upload.filename).toBe('assignments-2026-11-25.csv');
    expect(upload.completed?.channelId).toBe('DU1');
    expect(upload.completed?.initialComment).toContain(
      'Reproduce: `/assignments export yesterday source:workflow,user`',
    );
    const range = resolveRange({ kind: 'preset', preset: 'yesterday' }, NOW, ZONE);
    const expected = EVENTS_BY_TIME.filter(
      (e) => e.ts >= range.from && e.ts < range.to && (e.source === 'workflow' || e.source === 'user'),
    );
    const [, ...rows] = records(upload);
    expect(expected.length).toBeGreaterThan(1000);
    expect(rows.map((r) => r[8])).toEqual(expected.map((e) => e._id));
    // The same number the report shows for the same command.
    const report = await app.store.report(range, { ...NO_FILTERS, sources: ['workflow', 'user'] });
    expect(rows).toHaveLength(report.total);
    await eventually(() => tmpEmpty(tmpDir), 'the temporary file removed');
  }, 60_000);

  it('answers a mistake privately and sends nothing', async () => {
    const uploads = app.slack.callsTo('files.getUploadURLExternal').length;
    const responseUrl = app.sink.newUrl();
    const req = signedCommand({ text: 'export yesterday sorce:bot', userId: 'U1', responseUrl });
    expect((await post(app, req.body, req.headers)).status).toBe(200);
    const [answer] = await replies(app, responseUrl, 1);
    expect(String(answer?.text)).toContain('Unknown filter `sorce:`. Did you mean `source:`?');
    expect(String(answer?.text)).toContain('/assignments export [range] [filters]');
    expect(app.slack.callsTo('files.getUploadURLExternal')).toHaveLength(uploads);
  });

  it('refuses someone not allowed to run reports, from the command and from the button', async () => {
    const uploads = app.slack.callsTo('files.getUploadURLExternal').length;
    const commandUrl = app.sink.newUrl();
    const command = signedCommand({ text: 'export yesterday', userId: 'U2', responseUrl: commandUrl });
    expect((await post(app, command.body, command.headers)).status).toBe(200);
    const buttonUrl = app.sink.newUrl();
    const button = signedButton({
      actionId: 'report_export',
      value: '/assignments yesterday',
      userId: 'U2',
      responseUrl: buttonUrl,
    });
    expect((await post(app, button.body, button.headers)).status).toBe(200);
    const [byCommand] = await replies(app, commandUrl, 1);
    const [byButton] = await replies(app, buttonUrl, 1);
    for (const answer of [byCommand, byButton])
      expect(String(answer?.text)).toContain(
        'You are not on the list of people who may run assignment reports',
      );
    expect(app.slack.callsTo('files.getUploadURLExternal')).toHaveLength(uploads);
    expect(app.slack.callsTo('conversations.open').filter((c) => c.args.users === 'U2')).toHaveLength(0);
  });
});
