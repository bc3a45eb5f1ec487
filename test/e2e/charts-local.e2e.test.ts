import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AssignmentEvent, Party } from '../../src/domain/event.ts';
import { DEVICE_PIXEL_RATIO } from '../../src/render/chart.ts';
import { makeEvent } from '../builders/event.ts';
import { captureLogger } from '../fakes/fake-digest-poster.ts';
import { commandAnswer } from '../fakes/send-command.ts';
import { signedCommand } from '../fakes/signed-request.ts';
import { startTestApp, type TestApp } from '../fakes/start-test-app.ts';

// CHARTS=local end to end: every chart is drawn in process, uploaded through the fake Slack's upload flow
// (files.getUploadURLExternal, the bytes, files.completeUploadExternal without a channel, files.info), and shown
// from an image block naming the file. No QuickChart URL is ever sent.

const NOW = new Date('2026-11-26T10:00:00Z');
const ZONE = 'Asia/Kuala_Lumpur';
const MEI: Party = { id: 'u2', name: 'Mei Tan' };
const JOHN: Party = { id: 'u3', name: 'John Doe' };

const EVENTS: AssignmentEvent[] = [
  ...Array.from({ length: 6 }, (_, i) =>
    makeEvent({
      id: `w${i}`,
      timestamp: new Date(Date.parse('2026-11-25T09:00:00+08:00') + i * 600_000),
      contact: { id: `c${i}`, name: `Contact ${i}` },
      assignee: i % 2 ? JOHN : MEI,
      source: i < 4 ? 'workflow' : 'bot',
    }),
  ),
];

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null;
const listOf = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);

function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('CHARTS=local: charts drawn here and shown from Slack files', () => {
  let app: TestApp;
  const logger = captureLogger();

  const command = (text: string): Promise<Json> => commandAnswer(app, text);

  beforeAll(async () => {
    app = await startTestApp({ now: () => NOW, charts: 'local', logger });
    app.slack.zones.set('U1', ZONE);
    await app.store.agents.upsert([
      { id: 'u2', name: 'Mei Tan', team: 'Support' },
      { id: 'u3', name: 'John Doe', team: 'Support' },
    ]);
    await app.store.ingest(EVENTS);
  });

  afterAll(() => app.stop());

  it('uploads the report chart as a PNG, unshared, and shows it by file id', async () => {
    const before = app.slack.uploads.size;
    const answer = await command('yesterday');
    const [image] = listOf(answer.blocks).filter((b) => b.type === 'image');
    expect(image?.image_url).toBeUndefined();
    const fileId = isObject(image?.slack_file) ? String(image.slack_file.id) : '';
    expect(app.slack.uploads.size).toBe(before + 1);
    const upload = app.slack.uploads.get(fileId);
    expect(upload?.filename).toBe('assignments-by-source.png');
    // Completed without a channel: the file is shared only by the message that shows it.
    expect(upload?.completed).toMatchObject({ channelId: undefined, title: 'Assignments by source' });
    expect(pngSize(upload?.bytes ?? Buffer.alloc(24))).toEqual({
      width: 500 * DEVICE_PIXEL_RATIO,
      height: 120 * DEVICE_PIXEL_RATIO,
    });
    expect(app.slack.callsTo('files.info').some((c) => c.args.file === fileId)).toBe(true);
    expect(String(image?.alt_text)).toContain('Workflow 4 (67%), Bot 2 (33%)');
    expect(JSON.stringify(answer)).not.toContain('quickchart');
  });

  it('draws and uploads the digest chart too', async () => {
    app.slack.channels.set('C777', 'support');
    app.slack.admins.add('UADMIN');
    const responseUrl = app.sink.newUrl();
    const add = signedCommand({
      text: `digest add <#C777|support> team:Support at 09:00 tz:${ZONE}`,
      userId: 'UADMIN',
      responseUrl,
    });
    await fetch(`${app.url}/slack/events`, { method: 'POST', body: add.body, headers: add.headers });
    await app.sink.waitFor(app.sink.posts.length + 1);
    const id = /`([a-z0-9]{4})`/.exec(JSON.stringify(app.sink.postsTo(responseUrl)[0]?.body))?.[1] ?? '';
    const testUrl = app.sink.newUrl();
    const test = signedCommand({ text: `digest test ${id}`, userId: 'UADMIN', responseUrl: testUrl });
    const before = app.slack.uploads.size;
    const sent = app.sink.posts.length;
    await fetch(`${app.url}/slack/events`, { method: 'POST', body: test.body, headers: test.headers });
    await app.sink.waitFor(sent + 1);
    expect(JSON.stringify(app.sink.postsTo(testUrl)[0]?.body)).toContain('Posted a test');
    const posted = app.slack.callsTo('chat.postMessage').find((c) => c.args.channel === 'C777');
    const blocks =
      typeof posted?.args.blocks === 'string' ? JSON.parse(posted.args.blocks) : posted?.args.blocks;
    const [image] = listOf(blocks).filter((b) => b.type === 'image');
    expect(isObject(image?.slack_file) && app.slack.uploads.has(String(image.slack_file.id))).toBe(true);
    expect(app.slack.uploads.size).toBe(before + 1);
    expect([...app.slack.uploads.values()].at(-1)?.filename).toBe('digest-by-source.png');
  });

  it('still answers when the upload is refused: no image, a note, and the error logged once', async () => {
    app.slack.failures.set('files.getUploadURLExternal', 'missing_scope');
    try {
      const answer = await command('yesterday');
      expect(listOf(answer.blocks).some((b) => b.type === 'image')).toBe(false);
      expect(JSON.stringify(answer)).toContain('The chart could not be drawn here');
      expect(JSON.stringify(answer)).toContain('Workflow 4 (67%) · Bot 2 (33%)');
      await vi.waitFor(() =>
        expect(
          logger.lines.filter((l) => l.level === 'error' && l.message.includes('files:write')),
        ).toHaveLength(1),
      );
    } finally {
      app.slack.failures.delete('files.getUploadURLExternal');
    }
  });
});
