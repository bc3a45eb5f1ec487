import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ExportRow } from '../../src/domain/export.ts';
import { shutDown } from '../../src/lifecycle/shut-down.ts';
import { createWorkTracker, type WorkTracker } from '../../src/lifecycle/work-tracker.ts';
import { captureLogger } from '../fakes/fake-digest-poster.ts';
import { sendCommand } from '../fakes/send-command.ts';
import { INGEST_TOKEN, startTestApp, type TestApp } from '../fakes/start-test-app.ts';

// SIGTERM during an export: src/main.ts calls shutDown with these parts. Before, the process exited in 0.3 s,
// left a partial CSV of customer names in /tmp, and the requester saw only "Preparing…".

const NOW = new Date('2026-11-26T10:00:00Z');

const row = (n: number): ExportRow => ({
  eventId: `id:e${n}`,
  timestamp: new Date(NOW.getTime() - 86_400_000 + n * 1000),
  conversationId: String(88_000 + n),
  contact: { id: String(1_200_000 + n), name: `Customer ${n}` },
  previousAssignee: null,
  assignee: { id: 'u2', name: 'Mei Tan' },
  source: 'workflow',
  assignedBy: null,
});

/** A store read that yields `count` rows (forever without one), a row every 2 ms: an export that takes a while. */
function slowRows(count = Number.POSITIVE_INFINITY) {
  return async function* (): AsyncGenerator<ExportRow> {
    for (let n = 0; n < count; n++) {
      await sleep(2);
      yield row(n);
    }
  };
}

describe('a clean stop while an export runs', () => {
  let app: TestApp;
  let work: WorkTracker;
  let tmpDir: string;
  const logger = captureLogger();

  beforeEach(async () => {
    tmpDir = await mkdtemp(join(tmpdir(), 'handoff-shutdown-e2e-'));
    work = createWorkTracker();
    app = await startTestApp({
      now: () => NOW,
      work,
      logger,
      exportOptions: { tmpDir, progress: { afterMs: 0, everyMs: 20 } },
    });
  });
  afterEach(async () => {
    await rm(tmpDir, { recursive: true, force: true });
  });

  async function command(text: string, userId = 'U1') {
    return (await sendCommand(app, text, { userId })).responseUrl;
  }

  const stop = (graceMs: number) =>
    shutDown(
      {
        work,
        stopJobs: async () => {},
        closers: [{ name: 'the test app', close: () => app.stop() }],
        logger,
        graceMs,
        cancelMs: 5000,
      },
      'SIGTERM',
    );

  const dmTexts = () =>
    app.slack
      .callsTo('chat.postMessage')
      .concat(app.slack.callsTo('chat.update'))
      .map((c) => String(c.args.text));

  it('cancels an export still running after the grace period: the requester is told, the file is gone', async () => {
    app.store.exportRows = slowRows();
    await command('export 400d');
    // The progress message in the DM says rows are being written.
    await app.slack.waitForCalls('chat.postMessage', 1);
    expect(await readdir(tmpDir)).toHaveLength(1);
    await stop(300);
    expect(dmTexts().at(-1)).toBe(
      ':warning: Your export `/assignments export 400d` did not arrive: stopped by a restart: run it again (Handoff is back within a minute).',
    );
    expect(app.slack.uploads.size).toBe(0);
    expect(await readdir(tmpDir)).toEqual([]);
    expect(logger.lines).toContainEqual({
      level: 'warn',
      message: 'stopped by the restart: export "export 400d" for U1',
    });
  });

  it('lets an export that finishes within the grace period arrive, and refuses new work meanwhile', async () => {
    app.store.exportRows = slowRows(200);
    await command('export yesterday');
    await app.slack.waitForCalls('chat.postMessage', 1);
    const stopping = stop(20_000);
    // New work is refused politely while the export finishes: a command, and an HTTP request (503, retry).
    const refused = await command('yesterday');
    await vi.waitFor(() => expect(app.sink.postsTo(refused)).toHaveLength(1));
    expect(app.sink.postsTo(refused)[0]?.body.text).toBe('Handoff is restarting: run it again in a minute.');
    const events = await fetch(`${app.url}/api/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${INGEST_TOKEN}`, 'content-type': 'application/json' },
      body: '[]',
    });
    expect({ status: events.status, retryAfter: events.headers.get('retry-after') }).toEqual({
      status: 503,
      retryAfter: '30',
    });
    await stopping;
    const [upload] = [...app.slack.uploads.values()];
    expect(upload?.completed?.channelId).toBe('DU1');
    expect(upload?.bytes.toString('utf8').split('\r\n')).toHaveLength(202);
    expect(await readdir(tmpDir)).toEqual([]);
  });
});
