import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AssignmentEvent, Party } from '../../src/domain/event.ts';
import { makeEvent } from '../builders/event.ts';
import { captureLogger } from '../fakes/fake-digest-poster.ts';
import { commandAnswer } from '../fakes/send-command.ts';
import { signedButton } from '../fakes/signed-request.ts';
import { startTestApp, type TestApp } from '../fakes/start-test-app.ts';

/** Thursday 26 Nov 2026, 18:00 in Kuala Lumpur: yesterday there is Wed 25 Nov. */
const NOW = new Date('2026-11-26T10:00:00Z');
const ZONE = 'Asia/Kuala_Lumpur';

const MEI: Party = { id: 'u2', name: 'Mei Tan' };
const JOHN: Party = { id: 'u1', name: 'John Doe' };
const ALI: Party = { id: 'u3', name: 'Ali Hassan' };
const SARAH: Party = { id: 'u9', name: 'Sarah Lee' };
const HOSTILE = '<!channel> *Boss*';

const kl = (day: string, minutes: number) => new Date(Date.parse(`${day}T08:00:00+08:00`) + minutes * 60_000);

/**
 * Yesterday: 42 contacts assigned every 10 minutes from 08:00 (Mei 20, John 15, Ali 7; every fifth by Sarah Lee,
 * the rest by a workflow), then c0, c1, c2 closed (unassigned) at 15:00, 15:10, 15:20: 45 in all. The day before:
 * Mei 6, John 4.
 */
function events(): AssignmentEvent[] {
  const yesterday = Array.from({ length: 42 }, (_, i) =>
    makeEvent({
      id: `y${i}`,
      timestamp: kl('2026-11-25', i * 10),
      conversationId: String(70_000 + i),
      contact: { id: `c${i}`, name: i === 7 ? HOSTILE : `Contact ${i}` },
      assignee: i < 20 ? MEI : i < 35 ? JOHN : ALI,
      source: i % 5 === 0 ? 'user' : 'workflow',
      assignedBy: i % 5 === 0 ? SARAH : null,
    }),
  );
  const closes = [0, 1, 2].map((i) =>
    makeEvent({
      id: `close${i}`,
      timestamp: kl('2026-11-25', 420 + i * 10),
      conversationId: String(70_000 + i),
      contact: { id: `c${i}`, name: `Contact ${i}` },
      assignee: null,
      source: 'close_conversation',
    }),
  );
  const before = Array.from({ length: 10 }, (_, i) =>
    makeEvent({
      id: `p${i}`,
      timestamp: kl('2026-11-24', i * 10),
      contact: { id: `p${i}`, name: `Earlier ${i}` },
      assignee: i < 6 ? MEI : JOHN,
    }),
  );
  return [...before, ...yesterday, ...closes];
}

interface Button {
  actionId: string;
  label: string;
  value: string;
  /** An option of the By … menu (labelled "▾ By team"), chosen rather than pressed. */
  menu?: boolean;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null;
const listOf = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);

/** Buttons, and each option of a menu as a button labelled "▾ …". */
function buttonsOf(body: Json): Button[] {
  return listOf(body.blocks)
    .filter((b) => b.type === 'actions')
    .flatMap((b) => listOf(b.elements))
    .flatMap((e): Button[] =>
      e.type === 'button'
        ? [
            {
              actionId: String(e.action_id ?? ''),
              label: isObject(e.text) ? String(e.text.text ?? '') : '',
              value: String(e.value ?? ''),
            },
          ]
        : e.type === 'static_select'
          ? listOf(e.options).map((o) => ({
              actionId: String(e.action_id ?? ''),
              label: `▾ ${isObject(o.text) ? String(o.text.text ?? '') : ''}`,
              value: String(o.value ?? ''),
              menu: true,
            }))
          : [],
    );
}

function button(body: Json, label: string): Button {
  const found = buttonsOf(body).find((b) => b.label === label);
  if (!found) throw new Error(`no ${label} button in ${JSON.stringify(buttonsOf(body).map((b) => b.label))}`);
  return found;
}

/** Every section and context text of a message, one string per block or element. */
function textsOf(body: Json): string[] {
  return listOf(body.blocks).flatMap((b) => [
    ...(isObject(b.text) && typeof b.text.text === 'string' ? [b.text.text] : []),
    ...listOf(b.elements).flatMap((e) => (typeof e.text === 'string' ? [e.text] : [])),
  ]);
}

async function post(app: TestApp, body: string, headers: Record<string, string>): Promise<number> {
  const res = await fetch(`${app.url}/slack/events`, { method: 'POST', body, headers });
  await res.text();
  return res.status;
}

/** Presses a button as `userId` and returns what arrived at its response_url. */
async function press(
  app: TestApp,
  pressed: Pick<Button, 'actionId' | 'value' | 'menu'>,
  userId = 'U1',
  where: { ephemeral?: boolean } = {},
): Promise<Json> {
  const responseUrl = app.sink.newUrl();
  const req = signedButton({
    actionId: pressed.actionId,
    value: pressed.value,
    responseUrl,
    userId,
    ...(pressed.menu ? { menu: true } : {}),
    ...where,
  });
  const before = app.sink.posts.length;
  expect(await post(app, req.body, req.headers)).toBe(200);
  await app.sink.waitFor(before + 1);
  return app.sink.postsTo(responseUrl)[0]?.body ?? {};
}

/** The conversation ids of the log rows a message shows, top to bottom. */
const logConversations = (body: Json) =>
  textsOf(body).flatMap((t) => [...t.matchAll(/ · conv (\d+) · /g)].map((m) => Number(m[1])));

describe('buttons on a report (signed block_actions into the real Bolt app)', () => {
  let app: TestApp;
  let report: Json;
  const logger = captureLogger();

  beforeAll(async () => {
    app = await startTestApp({ now: () => NOW, logger });
    app.slack.zones.set('U1', ZONE);
    await app.store.agents.upsert([
      { id: 'u2', name: 'Mei Tan', team: 'Support' },
      { id: 'u1', name: 'John Doe', team: 'Support' },
      { id: 'u3', name: 'Ali Hassan', team: 'Sales' },
    ]);
    expect((await app.store.ingest(events())).accepted).toBe(55);
    report = await commandAnswer(app, 'yesterday');
  });

  afterAll(() => app.stop());

  it('puts Log and By agent first, the By views in one menu, Export CSV, and Share last', () => {
    expect(JSON.stringify(report)).toContain('*45 assignments* · +35 (+350%) vs Tue 24 Nov (10)');
    expect(buttonsOf(report).map((b) => b.label)).toEqual([
      'Log',
      'By agent',
      '▾ By agent',
      '▾ By team',
      '▾ By source',
      '▾ By day',
      'Export CSV',
      'Share to channel',
    ]);
    expect(button(report, 'Export CSV')).toEqual({
      actionId: 'report_export',
      label: 'Export CSV',
      value: '/assignments 2026-11-25',
    });
  });

  it('Log shows the newest 20 rows in place of the report, then Older and Newer page through all 45', async () => {
    const page1 = await press(app, button(report, 'Log'));
    expect(page1.replace_original).toBe(true);
    expect(page1.response_type).toBe('ephemeral');
    expect(textsOf(page1)).toContain('*Rows 1–20 of 45* · newest first');
    // Newest first: the three closes (c2, c1, c0 at 15:20, 15:10, 15:00), then c41 down to c25.
    expect(logConversations(page1)).toEqual([
      70_002,
      70_001,
      70_000,
      ...Array.from({ length: 17 }, (_, i) => 70_041 - i),
    ]);
    expect(JSON.stringify(page1)).toContain('Mei Tan → _Unassigned_ · Close Conversation');
    expect(buttonsOf(page1).some((b) => b.label === 'Newer')).toBe(false);

    const page2 = await press(app, button(page1, 'Older'));
    expect(page2.replace_original).toBe(true);
    expect(textsOf(page2)).toContain('*Rows 21–40 of 45* · newest first');
    expect(logConversations(page2)).toEqual(Array.from({ length: 20 }, (_, i) => 70_024 - i));

    const page3 = await press(app, button(page2, 'Older'));
    expect(textsOf(page3)).toContain('*Rows 41–45 of 45* · newest first');
    expect(logConversations(page3)).toEqual([70_004, 70_003, 70_002, 70_001, 70_000]);
    expect(buttonsOf(page3).some((b) => b.label === 'Older')).toBe(false);
    // The first assignment, at 08:00 by Sarah Lee.
    expect(JSON.stringify(page3)).toContain(
      '*08:00* · conv 70000 · Contact 0\\n_Unassigned_ → Mei Tan · User · by Sarah Lee',
    );

    const back = await press(app, button(page2, 'Newer'));
    expect(logConversations(back)).toEqual(logConversations(page1));
    // A hostile contact name is shown inert.
    const withHostile = await press(app, button(page2, 'Older'));
    expect(JSON.stringify(withHostile)).not.toContain('<!channel>');
  });

  it('By agent lists each agent with count, share and change against the day before, Unassigned last', async () => {
    const board = await press(app, button(report, 'By agent'));
    expect(board.replace_original).toBe(true);
    const text = textsOf(board).join('\n');
    expect(text).toContain('*45 assignments* · +35 (+350%) vs Tue 24 Nov (10)');
    expect(text).toContain(
      [
        '*Mei Tan* — 20 · 44% · +14 (+233%)',
        '*John Doe* — 15 · 33% · +11 (+275%)',
        '*Ali Hassan* — 7 · 16% · new',
        '*Unassigned* — 3 · 7% · new',
      ].join('\n'),
    );
    expect(buttonsOf(board).map((b) => b.label)).toEqual([
      'Report',
      'Log',
      '▾ By team',
      '▾ By source',
      '▾ By day',
      'Export CSV',
    ]);
  });

  it('By team, chosen in the menu, counts an unassignment for the team of the agent who had it', async () => {
    const answer = await press(app, button(report, '▾ By team'));
    expect(answer.replace_original).toBe(true);
    const text = textsOf(answer).join('\n');
    expect(text).toContain('*Support* — 38 · 84% · +28 (+280%)\n*Sales* — 7 · 16% · new');
  });

  it('By source regroups the same numbers the report shows', async () => {
    const text = textsOf(await press(app, button(report, '▾ By source'))).join('\n');
    // Every fifth of the 42 (0, 5, …, 40) by a User: 9; the rest Workflow: 33; three closes.
    expect(text).toContain(
      '*Workflow* — 33 · 73% · +23 (+230%)\n*User* — 9 · 20% · new\n*Close Conversation* — 3 · 7% · new',
    );
  });

  it('By day compares the day with the same weekday a week earlier, not with the day before', async () => {
    const board = await press(app, button(report, '▾ By day'));
    // Wed 18 Nov had none; Tue 24 Nov's ten are not a Wednesday's.
    expect(textsOf(board).join('\n')).toContain('*Wed 25 Nov 2026* — 45 · 100% · new');
    expect(textsOf(board).join('\n')).toContain('each day against the same weekday a week earlier');
    // And back to the report, same numbers, with its buttons again.
    const again = await press(app, button(board, 'Report'));
    expect(JSON.stringify(again)).toContain('*45 assignments* · +35 (+350%) vs Tue 24 Nov (10)');
    expect(buttonsOf(again).map((b) => b.label)).toContain('Share to channel');
  });

  it('Share posts the report visibly in the channel and leaves the private one alone', async () => {
    const shared = await press(app, button(report, 'Share to channel'));
    expect(shared.response_type).toBe('in_channel');
    expect(shared.replace_original).toBe(false);
    expect(JSON.stringify(shared)).toContain('*45 assignments*');
    expect(listOf(shared.blocks)[0]).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'Shared by <@U1>' }],
    });
    expect(buttonsOf(shared)).toEqual([]);
  });

  it('answers a press on a message the channel sees privately, never replacing that message', async () => {
    const answer = await press(app, button(report, 'Log'), 'U1', { ephemeral: false });
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.replace_original).toBe(false);
    expect(textsOf(answer)).toContain('*Rows 1–20 of 45* · newest first');
  });

  it('shows the days the report showed when pressed days later (the range travels as dates)', async () => {
    const later = await startTestApp({ now: () => new Date('2026-11-29T10:00:00Z') });
    try {
      later.slack.zones.set('U1', ZONE);
      await later.store.ingest(events());
      const board = await press(later, button(report, 'By agent'));
      expect(JSON.stringify(board)).toContain('Assignments by agent · Wed 25 Nov');
      expect(JSON.stringify(board)).toContain('Kuala Lumpur time (UTC+8)');
      expect(textsOf(board).join('\n')).toContain('*Mei Tan* — 20 · 44% · +14 (+233%)');
    } finally {
      await later.stop();
    }
  });

  it('answers with a fresh ephemeral message when the response_url has expired, and logs it at warn', async () => {
    const responseUrl = app.sink.newUrl();
    app.sink.expire(responseUrl);
    const pressed = button(report, 'Log');
    const req = signedButton({ actionId: pressed.actionId, value: pressed.value, responseUrl });
    const before = app.slack.callsTo('chat.postEphemeral').length;
    expect(await post(app, req.body, req.headers)).toBe(200);
    await app.slack.waitForCalls('chat.postEphemeral', before + 1);
    const call = app.slack.callsTo('chat.postEphemeral').at(-1);
    expect(call?.args.channel).toBe('C1');
    expect(call?.args.user).toBe('U1');
    expect(JSON.stringify(call?.args.blocks)).toContain('*Rows 1–20 of 45*');
    expect(app.sink.refused.map((p) => p.path)).toEqual([new URL(responseUrl).pathname]);
    const warned = () =>
      logger.lines.filter((l) => l.level === 'warn' && l.message.includes('response_url failed'));
    // The warning follows Slack's answer to chat.postEphemeral.
    await vi.waitFor(() => expect(warned()).toHaveLength(1));
    expect(warned()[0]?.message).toContain('404');
  });

  it('posts a shared report to the channel directly when the response_url has expired', async () => {
    const responseUrl = app.sink.newUrl();
    app.sink.expire(responseUrl);
    const pressed = button(report, 'Share to channel');
    const req = signedButton({ actionId: pressed.actionId, value: pressed.value, responseUrl });
    const before = app.slack.callsTo('chat.postMessage').length;
    expect(await post(app, req.body, req.headers)).toBe(200);
    await app.slack.waitForCalls('chat.postMessage', before + 1);
    const call = app.slack.callsTo('chat.postMessage').at(-1);
    expect(call?.args.channel).toBe('C1');
    expect(JSON.stringify(call?.args.blocks)).toContain('*45 assignments*');
    expect(JSON.stringify(call?.args.blocks)).toContain('Shared by <@U1>');
  });

  it('answers a button it cannot read politely, leaving the message as it was', async () => {
    const answer = await press(app, { actionId: 'report_view_log', value: '/assignments yesterday' });
    expect(answer.replace_original).toBe(false);
    expect(JSON.stringify(answer)).toContain('I could not read what this button was for');
  });
});

describe('ALLOWED_USERS on buttons', () => {
  it('checks again who presses, and takes the numbers off screen for someone not on the list', async () => {
    const app = await startTestApp({ now: () => NOW, allowedUsers: ['U1'] });
    try {
      await app.store.ingest(events());
      const report = await commandAnswer(app, 'yesterday');
      const answer = await press(app, button(report, 'By agent'), 'U2');
      expect(answer.replace_original).toBe(true);
      expect(JSON.stringify(answer)).toContain('ALLOWED_USERS');
      expect(JSON.stringify(answer)).not.toContain('Mei Tan');
      // On a message the channel sees (a digest), the refusal goes to the one who pressed, privately.
      const onChannel = await press(app, button(report, 'By agent'), 'U2', { ephemeral: false });
      expect([onChannel.response_type, onChannel.replace_original]).toEqual(['ephemeral', false]);
      expect(JSON.stringify(onChannel)).toContain('ALLOWED_USERS');
    } finally {
      await app.stop();
    }
  });
});
