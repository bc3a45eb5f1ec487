import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AssignmentEvent, Party } from '../../src/domain/event.ts';
import { makeEvent } from '../builders/event.ts';
import { captureLogger } from '../fakes/fake-digest-poster.ts';
import { commandAnswer } from '../fakes/send-command.ts';
import { signedButton } from '../fakes/signed-request.ts';
import { startTestApp, type TestApp } from '../fakes/start-test-app.ts';

/** Thursday 26 Nov 2026, 18:00 in Kuala Lumpur. */
const NOW = new Date('2026-11-26T10:00:00Z');
const ZONE = 'Asia/Kuala_Lumpur';

const MEI: Party = { id: 'u2', name: 'Mei Tan' };
const JOHN: Party = { id: 'u1', name: 'John Doe' };
const ALI: Party = { id: 'u3', name: 'Ali Hassan' };
const SARAH: Party = { id: 'u9', name: 'Sarah Lee' };
const WEI: Party = { id: '7654321', name: 'Wei Lim' };

let n = 0;
const at = (iso: string, assignee: Party | null, overrides: Partial<AssignmentEvent> = {}) =>
  makeEvent({
    id: `tl${++n}`,
    timestamp: new Date(iso),
    assignee,
    source: assignee ? 'workflow' : 'close_conversation',
    ...overrides,
  });

// Aisha's conversation 88231 (times in Kuala Lumpur): Mei on Mon 23 Nov; two quiet days later, on Wed 25 Nov,
// John (by Sarah), Mei again (ping-pong), Ali, nobody (the 4th that day: busy); and Mei the next afternoon, after
// more than a day of quiet (not ping-pong: she gave it up 26 hours before). Her next conversation 90001 starts after that. Wei's 55-assignment conversation 55555 pages.
const STORY: AssignmentEvent[] = [
  at('2026-11-23T09:00:00+08:00', MEI),
  at('2026-11-25T09:00:00+08:00', JOHN, { source: 'user', assignedBy: SARAH }),
  at('2026-11-25T10:00:00+08:00', MEI),
  at('2026-11-25T11:00:00+08:00', ALI),
  at('2026-11-25T12:00:00+08:00', null),
  at('2026-11-26T13:00:00+08:00', MEI),
  at('2026-11-26T15:00:00+08:00', JOHN, { conversationId: '90001' }),
];
const LONG: AssignmentEvent[] = Array.from({ length: 55 }, (_, i) =>
  at(new Date(Date.parse('2026-10-01T00:00:00Z') + i * 6 * 3_600_000).toISOString(), i % 2 ? JOHN : MEI, {
    contact: WEI,
    conversationId: '55555',
  }),
);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null;
const listOf = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);

function textsOf(body: Json): string[] {
  return listOf(body.blocks).flatMap((b) => [
    ...(isObject(b.text) && typeof b.text.text === 'string' ? [b.text.text] : []),
    ...listOf(b.elements).flatMap((e) => (typeof e.text === 'string' ? [e.text] : [])),
  ]);
}

function button(body: Json, label: string): { actionId: string; value: string } {
  const found = listOf(body.blocks)
    .flatMap((b) => listOf(b.elements))
    .find((e) => e.type === 'button' && isObject(e.text) && e.text.text === label);
  if (!found) throw new Error(`no ${label} button`);
  return { actionId: String(found.action_id), value: String(found.value) };
}

const labels = (body: Json) =>
  listOf(body.blocks)
    .flatMap((b) => listOf(b.elements))
    .filter((e) => e.type === 'button')
    .map((e) => (isObject(e.text) ? e.text.text : undefined));

async function post(app: TestApp, body: string, headers: Record<string, string>): Promise<number> {
  const res = await fetch(`${app.url}/slack/events`, { method: 'POST', body, headers });
  await res.text();
  return res.status;
}

async function press(app: TestApp, pressed: { actionId: string; value: string }): Promise<Json> {
  const responseUrl = app.sink.newUrl();
  const req = signedButton({ ...pressed, responseUrl });
  const before = app.sink.posts.length;
  expect(await post(app, req.body, req.headers)).toBe(200);
  await app.sink.waitFor(before + 1);
  return app.sink.postsTo(responseUrl)[0]?.body ?? {};
}

/** The entry times a page shows, in order. */
const entryTimes = (body: Json) =>
  textsOf(body).flatMap((t) => {
    const m = /^\*(\d+ \w+ \d{4} \d\d:\d\d)\*/.exec(t);
    return m?.[1] ? [m[1]] : [];
  });

describe('/assignments conversation:… and contact:… answer with a timeline', () => {
  let app: TestApp;
  const logger = captureLogger();

  beforeAll(async () => {
    app = await startTestApp({ now: () => NOW, logger });
    app.slack.zones.set('U1', ZONE);
    expect((await app.store.ingest([...STORY, ...LONG])).accepted).toBe(STORY.length + LONG.length);
  });

  afterAll(() => app.stop());

  it('tells a conversation’s story over all time, with holdings and flags, privately', async () => {
    const answer = await commandAnswer(app, 'conversation:88231');
    expect(answer.response_type).toBe('ephemeral');
    const texts = textsOf(answer);
    expect(texts).toContain(
      '*Conversation 88231 · Aisha Rahman (1234567)*\nAll time · Kuala Lumpur time (UTC+8)',
    );
    expect(texts.join('\n')).toContain('6 assignments · 3 assignees');
    expect(texts.join('\n')).toContain('Ping-pong ×1 · More than 3 on Wed 25 Nov 2026 (4) · After quiet ×1');
    expect(texts).toContain('*Entries 1–6 of 6*');
    expect(texts).toContain('*23 Nov 2026 09:00*\n_Unassigned_ → Mei Tan · Workflow\n_held 2 d_');
    expect(texts).toContain(
      // Mei Tan held it for those 2 days: a long hold is not quiet.
      '*25 Nov 2026 09:00*\nMei Tan → John Doe · User · by Sarah Lee\n_held 1 h_',
    );
    expect(texts).toContain(
      '*25 Nov 2026 10:00*\nJohn Doe → Mei Tan · Workflow\n_held 1 h_ · :repeat: ping-pong: back to Mei Tan',
    );
    expect(texts).toContain(
      '*25 Nov 2026 12:00*\nAli Hassan → _Unassigned_ · Close Conversation\n_nobody for 1 d 1 h_ · :zap: 4th on Wed 25 Nov',
    );
    // The conversation's last holder: still holding at 18:00, 5 hours after 13:00.
    expect(texts).toContain(
      '*26 Nov 2026 13:00*\n_Unassigned_ → Mei Tan · Workflow\n_still holding (5 h so far)_ · :zzz: after 1 d 1 h quiet',
    );
    expect(labels(answer)).toEqual([]);
  });

  it('takes conv: and a range, and ends the last holding at the next event after the range', async () => {
    const answer = await commandAnswer(app, 'conv:88231 2026-11-25');
    const texts = textsOf(answer);
    expect(texts[1]).toBe(
      '*Conversation 88231 · Aisha Rahman (1234567)*\nWed 25 Nov 2026 · Kuala Lumpur time (UTC+8)',
    );
    expect(texts).toContain('*Entries 1–4 of 4*');
    expect(texts.join('\n')).toContain('_nobody for 1 d 1 h (until after this range)_');
    // Back to Mei: she had it before the range (the event before the range is known), so ping-pong.
    expect(texts.join('\n')).toContain(':repeat: ping-pong: back to Mei Tan');
  });

  it('tells a contact’s story across conversations, by id', async () => {
    const texts = textsOf(await commandAnswer(app, 'contact:1234567'));
    expect(texts[1]).toBe('*Contact Aisha Rahman (1234567)*\nAll time · Kuala Lumpur time (UTC+8)');
    expect(texts).toContain('*Entries 1–7 of 7*');
    expect(texts.some((t) => t.startsWith('*26 Nov 2026 15:00* · conv 90001\nMei Tan → John Doe'))).toBe(
      true,
    );
    expect(texts.join('\n')).toContain('_still holding (3 h so far)_');
  });

  it('stays a report when another filter comes with it', async () => {
    const answer = await commandAnswer(app, 'last 7 days conversation:88231 source:workflow');
    expect(JSON.stringify(answer)).toContain('Filters: Source: Workflow · Conversation: 88231');
    expect(JSON.stringify(answer)).not.toContain('Assignment timeline');
  });

  it('opens a long timeline on its newest page, and pages 25 at a time with Older and Newer, in place', async () => {
    const first = await commandAnswer(app, 'conversation:55555');
    expect(textsOf(first)).toContain('*Entries 51–55 of 55*');
    expect(entryTimes(first)).toHaveLength(5);
    expect(labels(first)).toEqual(['Older']);
    expect(textsOf(first).join('\n')).toContain('still holding');

    const second = await press(app, button(first, 'Older'));
    expect(second.replace_original).toBe(true);
    expect(textsOf(second)).toContain('*Entries 26–50 of 55*');
    // Entry 26 is 25 × 6 hours after the first: 7 Oct 08:00 + 6 h = 7 Oct 14:00.
    expect(entryTimes(second)[0]).toBe('7 Oct 2026 14:00');
    expect(labels(second)).toEqual(['Older', 'Newer']);

    const oldest = await press(app, button(second, 'Older'));
    expect(textsOf(oldest)).toContain('*Entries 1–25 of 55*');
    expect(entryTimes(oldest)[0]).toBe('1 Oct 2026 08:00');
    expect(entryTimes(oldest)).toHaveLength(25);
    expect(labels(oldest)).toEqual(['Newer']);

    const back = await press(app, button(second, 'Newer'));
    expect(entryTimes(back)).toEqual(entryTimes(first));
  });

  it('answers a page button after its response_url expired with a fresh ephemeral message', async () => {
    const first = await commandAnswer(app, 'conversation:55555');
    const responseUrl = app.sink.newUrl();
    app.sink.expire(responseUrl);
    const req = signedButton({ ...button(first, 'Older'), responseUrl });
    const before = app.slack.callsTo('chat.postEphemeral').length;
    expect(await post(app, req.body, req.headers)).toBe(200);
    await app.slack.waitForCalls('chat.postEphemeral', before + 1);
    const call = app.slack.callsTo('chat.postEphemeral').at(-1);
    expect(call?.args).toMatchObject({ channel: 'C1', user: 'U1' });
    expect(JSON.stringify(call?.args.blocks)).toContain('*Entries 26–50 of 55*');
    await vi.waitFor(() =>
      expect(
        logger.lines.filter(
          (l) => l.level === 'warn' && l.message.includes('response_url failed') && l.message.includes('404'),
        ),
      ).toHaveLength(1),
    );
  });

  it('suggests the nearest contact for a name that is nobody’s', async () => {
    const answer = await commandAnswer(app, 'contact:"Aisha Rahmn"');
    expect(textsOf(answer)).toContain(':warning: No contact named Aisha Rahmn. Did you mean Aisha Rahman?');
  });

  it('asks which contact a shared name means, and says when there is nothing', async () => {
    await app.store.ingest([
      at('2026-11-01T09:00:00+08:00', ALI, { contact: { id: '999', name: 'Wei Lim' }, conversationId: '2' }),
    ]);
    expect(JSON.stringify(await commandAnswer(app, 'contact:"wei lim"'))).toContain(
      '`contact:wei lim` matches several contacts: Wei Lim (`contact:7654321`), Wei Lim (`contact:999`)',
    );
    const none = textsOf(await commandAnswer(app, 'conversation:00000 yesterday'));
    expect(none).toContain('No assignments in this range.');
  });
});
