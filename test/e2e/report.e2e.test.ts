import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogger } from '../fakes/fake-digest-poster.ts';
import { sendCommand } from '../fakes/send-command.ts';
import { signedButton, signedCommand } from '../fakes/signed-request.ts';
import { INGEST_TOKEN, startTestApp, type TestApp } from '../fakes/start-test-app.ts';

const NOW = new Date('2026-11-26T10:00:00Z');
const ZONE = 'Asia/Kuala_Lumpur';

// Yesterday in Kuala Lumpur (UTC+8) is Wed 25 Nov: [2026-11-24T16:00Z, 2026-11-25T16:00Z).
const events = [
  {
    id: 'e1',
    timestamp: '2026-11-25T00:00:00+08:00',
    contact: { id: 'k1', name: 'Aisha Rahman' },
    assignee: { id: 'u2', name: 'Mei Tan' },
    source: 'workflow',
    conversationId: 88231,
  },
  {
    id: 'e2',
    timestamp: '2026-11-25T09:30:00+08:00',
    contact: { id: 'k2', name: 'Wei Lim' },
    assignee: { id: 'u2', name: 'Mei Tan' },
    source: 'Workflow',
    conversationId: '88232',
  },
  {
    id: 'e3',
    timestamp: '2026-11-25T10:00:00+08:00',
    contact: { id: 'k3', name: '<!channel> *Bold*' },
    assignee: { id: 'u3', name: 'John Doe' },
    source: 'workflow',
    conversationId: '88233',
  },
  {
    id: 'e4',
    timestamp: '2026-11-25T11:00:00+08:00',
    contact: { id: 'k1', name: 'Aisha Rahman' },
    assignee: { id: 'u3', name: 'John Doe' },
    source: 'user',
    assignedBy: { id: 'u9', name: 'Sarah Lee' },
    conversationId: 88231,
  },
  {
    id: 'e5',
    timestamp: '2026-11-25T23:59:59+08:00',
    contact: { id: 'k2', name: 'Wei Lim' },
    assignee: null,
    source: 'close_conversation',
    conversationId: '88232',
  },
  // Unchanged: k3 already has John Doe. Not an assignment.
  {
    id: 'e6',
    timestamp: '2026-11-25T12:00:00+08:00',
    contact: { id: 'k3', name: 'x' },
    assignee: { id: 'u3', name: 'John Doe' },
    source: 'bot',
  },
  // Exactly local midnight at the end of the day: belongs to Thursday, not yesterday.
  {
    id: 'e7',
    timestamp: '2026-11-26T00:00:00+08:00',
    contact: { id: 'k4', name: 'Nur Hassan' },
    assignee: { id: 'u2', name: 'Mei Tan' },
    source: 'workflow',
  },
  // The day before yesterday, for the comparison.
  {
    id: 'e8',
    timestamp: '2026-11-24T15:00:00+08:00',
    contact: { id: 'k5', name: 'Omar Ali' },
    assignee: { id: 'u2', name: 'Mei Tan' },
    source: 'bot',
  },
];

async function post(app: TestApp, path: string, body: string, headers: Record<string, string>) {
  const res = await fetch(`${app.url}${path}`, { method: 'POST', body, headers });
  return { status: res.status, text: await res.text() };
}

function ingest(app: TestApp, body: unknown, token = INGEST_TOKEN) {
  return post(app, '/api/events', typeof body === 'string' ? body : JSON.stringify(body), {
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
  });
}

/** Sends a signed slash command and waits for the answer at its response_url. */
async function command(app: TestApp, text: string, userId = 'U1') {
  const { responseUrl, ackMs } = await sendCommand(app, text, { userId });
  const answer = (await app.sink.firstPostTo(responseUrl)).body;
  return { answer, ackMs, json: JSON.stringify(answer) };
}

describe('/assignments end to end (signed requests into the real Bolt app)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ now: () => NOW });
    app.slack.zones.set('U1', ZONE);
    const res = await ingest(app, events);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ accepted: 7, duplicates: 0, unchanged: 1 });
  });

  afterAll(() => app.stop());

  it('answers yesterday privately with the exact range, totals per source and the log', async () => {
    const { answer, json } = await command(app, 'yesterday');
    expect(answer.response_type).toBe('ephemeral');
    expect(json).toContain('Assignments · Yesterday, Wed 25 Nov');
    expect(json).toContain('Kuala Lumpur time (UTC+8)');
    // e1..e5: 3 workflow, 1 user, 1 close conversation (an unassignment counts); e6 unchanged, e7 is Thursday.
    expect(String(answer.text)).toMatch(/\b5\b/);
    expect(json).toContain('Workflow 3 (60%) · User 1 (20%) · Close Conversation 1 (20%)');
    expect(json).toContain('+4 (+400%) vs Tue 24 Nov (1)');
    if (process.env.CHARTS === 'local') expect(json).toMatch(/"slack_file":\{"id":"F\d+"\}/);
    else expect(json).toContain('quickchart.example/chart');
    expect(json).toContain('Unassignments count as assignments');
    expect(json).not.toContain('<!channel>');
  });

  it('filters by source and echoes the filter', async () => {
    const { answer, json } = await command(app, 'yesterday source:workflow');
    expect(json).toContain('Source: Workflow');
    expect(json).toContain('Workflow 3 (100%)');
    expect(String(answer.text)).toMatch(/\b3\b/);
    expect(json).not.toContain('Sarah Lee');
  });

  it('derives the previous assignee and shows Assigned By for users', async () => {
    const { json } = await command(app, 'yesterday conv:88231');
    expect(json).toContain('Mei Tan → John Doe');
    expect(json).toContain('Sarah Lee');
  });

  it('explains filters that match nothing instead of drawing an empty chart', async () => {
    const { json } = await command(app, 'yesterday assignee:"Nobody Here"');
    expect(json).toContain('No agent named Nobody Here in this range.');
    expect(json).not.toContain('"type":"image"');
    const { json: other } = await command(app, 'yesterday source:bot assignee:"Mei Tan"');
    expect(other).toContain('No applicable data');
  });

  it('suggests the nearest name for assignee:, by:, team: and contact: that match nothing', async () => {
    await app.store.agents.upsert([{ id: 'u2', name: 'Mei Tan', team: 'Support' }]);
    for (const [text, answer] of [
      ['yesterday assignee:"Mei Tam"', 'No agent named Mei Tam. Did you mean Mei Tan?'],
      ['yesterday by:"Sara Lee"', 'No user named Sara Lee. Did you mean Sarah Lee?'],
      ['yesterday team:Suport', 'No team named Suport. Did you mean Support?'],
      [
        'yesterday contact:"Aisha Rahmn" source:user',
        'No contact named Aisha Rahmn. Did you mean Aisha Rahman?',
      ],
    ] as const) {
      const { json } = await command(app, text);
      expect(json, text).toContain(answer);
      expect(json, text).not.toContain('No applicable data');
    }
  });

  it('answers a typo with the nearest valid word, and help with usage', async () => {
    expect((await command(app, 'yesterday sorce:workflow')).json).toContain('Did you mean `source:`?');
    expect((await command(app, 'workflw')).json).toContain('source:workflow');
    expect((await command(app, 'help')).json).toContain('/assignments [range] [filters…]');
  });

  it('acknowledges within Slack’s 3 seconds', async () => {
    const { ackMs } = await command(app, 'last 30 days');
    expect(ackMs).toBeLessThan(3000);
  });

  it('shares the same answer visibly in the channel from the button', async () => {
    const responseUrl = app.sink.newUrl();
    const req = signedButton({ actionId: 'report_share', value: '/assignments yesterday', responseUrl });
    const before = app.sink.posts.length;
    expect((await post(app, '/slack/events', req.body, req.headers)).status).toBe(200);
    await app.sink.waitFor(before + 1);
    const shared = app.sink.postsTo(responseUrl)[0]?.body ?? {};
    expect(shared.response_type).toBe('in_channel');
    expect(shared.replace_original).toBe(false);
    expect(JSON.stringify(shared)).toContain('Shared by <@U1>');
    expect(JSON.stringify(shared)).toContain('Workflow 3 (60%)');
  });

  it('rejects forged and stale signatures with 401 and answers nothing', async () => {
    const before = app.sink.posts.length;
    const forged = signedCommand(
      { text: 'yesterday', responseUrl: app.sink.newUrl() },
      { secret: 'wrong-secret-000000' },
    );
    expect((await post(app, '/slack/events', forged.body, forged.headers)).status).toBe(401);
    const stale = signedCommand(
      { text: 'yesterday', responseUrl: app.sink.newUrl() },
      { timestamp: Math.floor(Date.now() / 1000) - 10 * 60 },
    );
    expect((await post(app, '/slack/events', stale.body, stale.headers)).status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(app.sink.posts.length).toBe(before);
  });

  it('serves /healthz once the store answers', async () => {
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
  });
});

describe('POST /api/events', () => {
  let app: TestApp;
  const one = {
    timestamp: '2026-11-25T09:00:00Z',
    contact: { id: 'c1' },
    assignee: { id: 'a1', name: 'Ann' },
    source: 'bot',
  };

  beforeAll(async () => {
    app = await startTestApp({ now: () => NOW });
  });
  afterAll(() => app.stop());

  async function total(): Promise<number> {
    const { json } = await command(app, '30d');
    const n = Number(/\*(\d+) assignments?\*/.exec(json)?.[1]);
    expect(Number.isInteger(n)).toBe(true);
    return n;
  }

  it('counts duplicates and unchanged, idempotently', async () => {
    expect(JSON.parse((await ingest(app, one)).text)).toEqual({ accepted: 1, duplicates: 0, unchanged: 0 });
    expect(JSON.parse((await ingest(app, one)).text)).toEqual({ accepted: 0, duplicates: 1, unchanged: 0 });
    const same = { ...one, timestamp: '2026-11-25T10:00:00Z' };
    expect(JSON.parse((await ingest(app, same)).text)).toEqual({ accepted: 0, duplicates: 0, unchanged: 1 });
  });

  it('stores nothing from a batch with one bad event, and names it by index and field', async () => {
    const good = { ...one, id: 'good-1', contact: { id: 'c2' } };
    const res = await ingest(app, [
      good,
      { ...one, source: 'carrier pigeon' },
      { ...one, timestamp: '2026-11-25 09:00' },
    ]);
    expect(res.status).toBe(400);
    const body = JSON.parse(res.text);
    expect(body.problems).toEqual([
      expect.objectContaining({ index: 1, field: 'source' }),
      expect.objectContaining({ index: 2, field: 'timestamp' }),
    ]);
    expect(JSON.parse((await ingest(app, good)).text).accepted).toBe(1);
  });

  it('counts an unassignment that names who had it, and not a "move" to the one it names (K1, K2)', async () => {
    const k1 = {
      id: 'r1',
      timestamp: '2026-11-25T10:00:00Z',
      conversationId: '501',
      contact: { id: 'K1', name: 'Kay One' },
      previousAssignee: { id: 'u1', name: 'Mei Tan' },
      assignee: null,
      source: 'close_conversation',
    };
    expect(JSON.parse((await ingest(app, k1)).text)).toEqual({ accepted: 1, duplicates: 0, unchanged: 0 });
    const k2 = { ...k1, id: 'r2', contact: { id: 'K2' }, assignee: k1.previousAssignee, source: 'workflow' };
    expect(JSON.parse((await ingest(app, k2)).text)).toEqual({ accepted: 0, duplicates: 0, unchanged: 1 });
  });

  it('refuses a timestamp before 2000 or more than a day ahead with 400 naming it; nothing is stored', async () => {
    const before = await total();
    const res = await ingest(app, [
      { ...one, id: 't-ok' },
      { ...one, id: 't-old', timestamp: '1999-12-31T23:00:00Z' },
      { ...one, id: 't-far', timestamp: '9999-12-31T00:00:00Z' },
    ]);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).problems).toEqual([
      { index: 1, field: 'timestamp', message: expect.stringContaining('is before 2000-01-01') },
      { index: 2, field: 'timestamp', message: expect.stringContaining('more than a day ahead') },
    ]);
    expect(await total()).toBe(before);
  });

  it('answers a report on a date no event can have with a clear range error', async () => {
    for (const text of ['9999-12-31', '1000-01-01', 'export 9999-12-31', 'conversation:88231 1000-01-01']) {
      const { json } = await command(app, text);
      expect(json).toContain('is outside the dates a report covers');
      expect(json).not.toContain('Something went wrong');
    }
  });

  it('refuses without the token, malformed JSON, and oversized bodies; nothing changes', async () => {
    const before = await total();
    expect((await ingest(app, { ...one, id: 'x1' }, 'wrong-token-wrong-token')).status).toBe(401);
    expect(
      (await post(app, '/api/events', JSON.stringify(one), { 'content-type': 'application/json' })).status,
    ).toBe(401);
    expect((await ingest(app, '{"timestamp": ')).status).toBe(400);
    const huge = JSON.stringify(
      Array.from({ length: 6000 }, (_, i) => ({
        ...one,
        id: `big-${i}`,
        contact: { id: `c-${i}`, name: 'n'.repeat(1500) },
      })),
    );
    expect((await ingest(app, huge)).status).toBe(413);
    const tooMany = Array.from({ length: 5001 }, (_, i) => ({ ...one, id: `many-${i}` }));
    expect((await ingest(app, tooMany)).status).toBe(400);
    expect(await total()).toBe(before);
  });
});

describe('when the store is unreachable', () => {
  it('answers 503 so senders retry, stores nothing, and /healthz tells nothing of the store', async () => {
    const logger = captureLogger();
    const app = await startTestApp({ now: () => NOW, logger });
    let stored = 0;
    const failing = app.store;
    failing.ping = async () => {
      throw new Error(
        'MongoDB at mongodb://db.internal:27017/?replicaSet=rs0&authSource=admin did not answer: check MONGODB_URI',
      );
    };
    const ingestOriginal = failing.ingest;
    failing.ingest = async (e) => {
      stored += e.length;
      return ingestOriginal(e);
    };
    const res = await ingest(app, {
      timestamp: '2026-11-25T09:00:00Z',
      contact: { id: 'c1' },
      assignee: null,
      source: 'bot',
    });
    expect(res.status).toBe(503);
    expect(stored).toBe(0);
    expect(logger.lines).toContainEqual({
      level: 'error',
      message: expect.stringContaining('POST /api/events: the store failed; answered 503'),
    });
    // /healthz needs no token: "store unreachable" and nothing more; the host and options go to the log, once.
    for (let probe = 0; probe < 3; probe++) {
      const health = await fetch(`${app.url}/healthz`);
      expect({ status: health.status, body: await health.text() }).toEqual({
        status: 503,
        body: '{"ok":false,"error":"store unreachable"}',
      });
    }
    const healthLog = logger.lines.filter((l) => l.message.startsWith('GET /healthz'));
    expect(healthLog).toEqual([
      {
        level: 'warn',
        message: expect.stringContaining(
          'the store does not answer (503 until it does) MongoDB at mongodb://db.internal',
        ),
      },
    ]);
    await app.stop();
  });
});

describe('ALLOWED_USERS', () => {
  it('turns away users not on the list, politely', async () => {
    const app = await startTestApp({ now: () => NOW, allowedUsers: ['U1'] });
    const { json } = await command(app, 'yesterday', 'U2');
    expect(json).toContain('ALLOWED_USERS');
    expect(json).not.toContain('Total');
    await app.stop();
  });
});
