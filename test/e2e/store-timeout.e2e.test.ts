import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_TOO_SLOW } from '../../src/render/wording.ts';
import { createAssignmentStore } from '../../src/store/assignment-store.ts';
import { createMemoryEngine } from '../../src/store/memory-engine.ts';
import { makeEvent } from '../builders/event.ts';
import { captureLogger } from '../fakes/fake-digest-poster.ts';
import { signedButton, signedCommand } from '../fakes/signed-request.ts';
import { startTestApp, type TestApp } from '../fakes/start-test-app.ts';

// A report the store cannot answer within its time limit gets a polite answer, not silence. The in-process
// engine gives up for real here: its clock is stepped (a second per look while it scans) rather than waited on.

const NOW = new Date('2026-11-26T10:00:00Z');

interface ViewOption {
  actionId: string;
  label: string;
  value: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null;
const listOf = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);

/** The options of the report's By … menu. */
function viewOptions(message: Json): ViewOption[] {
  return listOf(message.blocks)
    .flatMap((b) => listOf(b.elements))
    .filter((e) => e.type === 'static_select')
    .flatMap((e) =>
      listOf(e.options).map((o) => ({
        actionId: String(e.action_id ?? ''),
        label: isObject(o.text) ? String(o.text.text ?? '') : '',
        value: String(o.value ?? ''),
      })),
    );
}

const textOf = (message: { text?: unknown; blocks?: unknown }) => JSON.stringify(message);

describe('a report past the store’s time limit', () => {
  let app: TestApp;
  const logger = captureLogger();
  let now = 0;
  let step = 0;

  beforeAll(async () => {
    const engine = createMemoryEngine({ clock: () => (now += step) });
    const store = createAssignmentStore(engine, () => NOW);
    await store.init();
    const events = Array.from({ length: 6000 }, (_, i) =>
      makeEvent({
        id: `t${i}`,
        timestamp: new Date(NOW.getTime() - 1000 * (i + 1)),
        contact: { id: `c${i}`, name: `Contact ${i}` },
      }),
    );
    expect((await store.ingest(events)).accepted).toBe(6000);
    app = await startTestApp({ now: () => NOW, store, logger });
  });

  afterAll(() => app.stop());

  async function answer(send: (responseUrl: string) => { body: string; headers: Record<string, string> }) {
    const responseUrl = app.sink.newUrl();
    const before = app.sink.posts.length;
    const req = send(responseUrl);
    const res = await fetch(`${app.url}/slack/events`, {
      method: 'POST',
      body: req.body,
      headers: req.headers,
    });
    expect(res.status).toBe(200);
    await app.sink.waitFor(before + 1);
    return app.sink.postsTo(responseUrl)[0]?.body ?? {};
  }

  it('answers the command and a button with "try a shorter range", logged as a warning', async () => {
    const report = await answer((responseUrl) => signedCommand({ text: 'last 7 days', responseUrl }));
    expect(String(report.text)).toContain('6,000');
    const byDay = viewOptions(report).find((o) => o.label === 'By day');
    if (!byDay) throw new Error('no By day in the views menu');

    step = 1000;
    const slow = await answer((responseUrl) => signedCommand({ text: 'last 7 days', responseUrl }));
    expect(textOf(slow)).toContain(STORE_TOO_SLOW);
    const pressed = await answer((responseUrl) =>
      signedButton({ actionId: byDay.actionId, value: byDay.value, responseUrl, menu: true }),
    );
    expect(textOf(pressed)).toContain(STORE_TOO_SLOW);
    step = 0;

    expect(logger.lines.filter((l) => l.level === 'error')).toEqual([]);
    const warnings = logger.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      /^\/assignments "last 7 days" failed for U1: the store took too long: aggregate/,
    );
  });
});
