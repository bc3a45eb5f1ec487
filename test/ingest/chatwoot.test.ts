import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ChatwootContext,
  mapChatwootWebhook,
  verifyChatwootSignature,
} from '../../src/ingest/connectors/chatwoot.ts';
import { chatwootEndpoint } from '../../src/ingest/webhooks/chatwoot-endpoint.ts';
import {
  captureLogger,
  chatwootHeaders,
  fixture,
  recordingStore,
  type Served,
  serve,
} from './webhook-harness.ts';

const NOW = new Date('2026-11-26T10:00:00Z');
const NOW_S = NOW.getTime() / 1000;
const SECRET = 'chatwoot-account-7-secret';
const ACCOUNT: ChatwootContext = {
  accountId: '7',
  apiUserIds: [],
  now: new Date('2026-11-30T00:00:00Z'),
};

const load = (name: string) => JSON.parse(fixture('chatwoot', name));

describe('verifyChatwootSignature', () => {
  const body = fixture('chatwoot', 'conversation_updated.reassigned');
  const raw = Buffer.from(body);
  const headersAt = (timestamp: number, secret = SECRET) => {
    const h = chatwootHeaders(body, secret, timestamp);
    return { signature: h['x-chatwoot-signature'], timestamp: h['x-chatwoot-timestamp'] };
  };

  it('refuses an account without a secret with 503 and what to set, unless it is listed as unsigned', () => {
    const none = { signature: undefined, timestamp: undefined };
    expect(verifyChatwootSignature(raw, none, undefined, NOW, '9')).toEqual({
      ok: false,
      status: 503,
      error: expect.stringMatching(
        /account 9 are off: add 9:<secret> to CHATWOOT_WEBHOOK_SECRETS.*CHATWOOT_UNSIGNED_ACCOUNTS/,
      ),
    });
    expect(verifyChatwootSignature(raw, none, undefined, NOW, '9', new Set(['9']))).toEqual({ ok: true });
    // A secret wins over the unsigned list: the account must sign.
    expect(verifyChatwootSignature(raw, none, [SECRET], NOW, '7', new Set(['7']))).toMatchObject({
      status: 401,
    });
  });

  it('accepts "<timestamp>.<raw body>" signed with any of the account’s secrets', () => {
    expect(verifyChatwootSignature(raw, headersAt(NOW_S - 60), ['older', SECRET], NOW, '7')).toEqual({
      ok: true,
    });
  });

  it('refuses a missing signature, naming the account and the setting', () => {
    expect(
      verifyChatwootSignature(raw, { signature: undefined, timestamp: String(NOW_S) }, [SECRET], NOW, '7'),
    ).toEqual({
      ok: false,
      status: 401,
      error: expect.stringMatching(/X-Chatwoot-Signature is missing.*account 7.*CHATWOOT_WEBHOOK_SECRETS/),
    });
  });

  it('refuses a wrong secret, and a signature moved to another timestamp', () => {
    expect(verifyChatwootSignature(raw, headersAt(NOW_S, 'wrong'), [SECRET], NOW, '7')).toMatchObject({
      status: 401,
      error: expect.stringContaining('does not match'),
    });
    const moved = { ...headersAt(NOW_S), timestamp: String(NOW_S - 1) };
    expect(verifyChatwootSignature(raw, moved, [SECRET], NOW, '7')).toMatchObject({ status: 401 });
  });

  it('refuses timestamps more than 5 minutes from now, either way, as stale', () => {
    for (const timestamp of [NOW_S - 301, NOW_S + 301]) {
      expect(verifyChatwootSignature(raw, headersAt(timestamp), [SECRET], NOW, '7')).toMatchObject({
        status: 401,
        error: expect.stringContaining('stale'),
      });
    }
    expect(verifyChatwootSignature(raw, headersAt(NOW_S - 300), [SECRET], NOW, '7').ok).toBe(true);
  });
});

describe('mapChatwootWebhook', () => {
  it('maps an assignee_id change with its previous assignee, team, display id and updated_at', () => {
    expect(mapChatwootWebhook(load('conversation_updated.reassigned'), ACCOUNT)).toEqual({
      kind: 'events',
      events: [
        {
          id: 'chatwoot:7:1532:9>12@1700000250.123',
          timestamp: new Date(1700000250123),
          conversationId: '1532',
          contact: { id: 'chatwoot:7:412', name: 'Aisha Rahman' },
          // Only the id of the previous assignee is in the payload.
          previousAssignee: { id: 'chatwoot:7:9', name: '9' },
          assignee: { id: 'chatwoot:7:12', name: 'John Doe' },
          source: 'unknown',
          assignedBy: null,
          team: { id: 'chatwoot:7:3', name: 'sales-my' },
        },
      ],
    });
  });

  it('refuses an updated_at before 2000 or more than a day ahead, naming the field', () => {
    for (const updated_at of [9e12, 1e300, 946_684_799, ACCOUNT.now.getTime() / 1000 + 86_401]) {
      const body = { ...load('conversation_updated.reassigned'), updated_at };
      expect(mapChatwootWebhook(body, ACCOUNT)).toEqual({
        kind: 'invalid',
        problems: [expect.stringMatching(/^updated_at: is (before 2000|more than a day ahead|not a real)/)],
      });
    }
  });

  it('scopes ids by account, so two accounts never share a contact', () => {
    const body = load('conversation_updated.reassigned');
    const a = mapChatwootWebhook(body, ACCOUNT);
    const b = mapChatwootWebhook(body, { ...ACCOUNT, accountId: '9' });
    expect(a).toMatchObject({ events: [{ contact: { id: 'chatwoot:7:412' }, conversationId: '1532' }] });
    expect(b).toMatchObject({ events: [{ contact: { id: 'chatwoot:9:412' }, conversationId: '1532' }] });
  });

  it('maps an unassignment: current null, previous known by id', () => {
    expect(mapChatwootWebhook(load('conversation_updated.unassigned'), ACCOUNT)).toMatchObject({
      events: [{ previousAssignee: { id: 'chatwoot:7:12', name: '12' }, assignee: null, team: null }],
    });
  });

  it('maps a first assignment with its team: previous explicitly nobody', () => {
    expect(mapChatwootWebhook(load('conversation_updated.team_and_agent'), ACCOUNT)).toMatchObject({
      events: [
        {
          previousAssignee: null,
          assignee: { id: 'chatwoot:7:15', name: 'Mei Tan' },
          team: { id: 'chatwoot:7:3', name: 'sales-my' },
          timestamp: new Date(1700000400500),
        },
      ],
    });
  });

  it('ignores a team change without an assignee change, and other changes', () => {
    expect(mapChatwootWebhook(load('conversation_updated.team_only'), ACCOUNT)).toEqual({
      kind: 'ignored',
      reason: 'the team changed but the assignee did not: no assignment',
    });
    expect(mapChatwootWebhook(load('conversation_updated.labels_only'), ACCOUNT)).toEqual({
      kind: 'ignored',
      reason: expect.stringContaining('"label_list"'),
    });
  });

  it('ignores events other than conversation_updated', () => {
    for (const event of ['conversation_created', 'message_created', 'conversation_status_changed']) {
      expect(
        mapChatwootWebhook({ ...load('conversation_updated.reassigned'), event }, ACCOUNT),
      ).toMatchObject({
        kind: 'ignored',
        reason: expect.stringContaining(event),
      });
    }
  });

  describe('source, from performed_by', () => {
    const by = (performedBy: unknown, apiUserIds: string[] = []) =>
      mapChatwootWebhook(
        { ...load('conversation_updated.by_user'), performed_by: performedBy },
        { ...ACCOUNT, apiUserIds },
      );

    it('a user is User, and Assigned By (named when the payload knows the name)', () => {
      expect(mapChatwootWebhook(load('conversation_updated.by_user'), ACCOUNT)).toMatchObject({
        events: [{ source: 'user', assignedBy: { id: 'chatwoot:7:9', name: '9' } }],
      });
      // Mei Tan took it herself: her name is in meta.assignee.
      expect(by({ type: 'user', id: 15 })).toMatchObject({
        events: [{ source: 'user', assignedBy: { id: 'chatwoot:7:15', name: 'Mei Tan' } }],
      });
      // An unassigned-by-the-previous-agent change names them from the actor when it carries a name.
      expect(by({ type: 'user', id: 12, name: 'John Doe' })).toMatchObject({
        events: [
          { previousAssignee: { id: 'chatwoot:7:12', name: 'John Doe' }, assignedBy: { name: 'John Doe' } },
        ],
      });
    });

    it("the account's API user is Developer API", () => {
      expect(by({ type: 'user', id: 9 }, ['9'])).toMatchObject({
        events: [{ source: 'developer_api', assignedBy: null }],
      });
      expect(by({ type: 'user', id: 9 }, ['10'])).toMatchObject({ events: [{ source: 'user' }] });
    });

    it('an automation rule is Workflow, an agent bot is Bot', () => {
      expect(by({ type: 'automation_rule', id: 3 })).toMatchObject({
        events: [{ source: 'workflow', assignedBy: null }],
      });
      expect(by({ type: 'agent_bot', id: 1 })).toMatchObject({
        events: [{ source: 'bot', assignedBy: null }],
      });
    });

    it('no actor, or one we cannot place, is unknown', () => {
      expect(by(undefined)).toMatchObject({ events: [{ source: 'unknown', assignedBy: null }] });
      expect(by({ type: 'inbox', id: 3 })).toMatchObject({ events: [{ source: 'unknown' }] });
    });
  });

  it('names the contact by email when it has no name', () => {
    expect(mapChatwootWebhook(load('conversation_updated.by_user'), ACCOUNT)).toMatchObject({
      events: [{ contact: { id: 'chatwoot:7:416', name: 'omar@example.com' } }],
    });
  });

  it('names the field it cannot read', () => {
    const body = load('conversation_updated.reassigned');
    body.changed_attributes[0].assignee_id.current_value = { id: 12 };
    expect(mapChatwootWebhook(body, ACCOUNT)).toEqual({
      kind: 'invalid',
      problems: [expect.stringMatching(/^changed_attributes\.0\.assignee_id\.current_value: /)],
    });
    const noSender = load('conversation_updated.reassigned');
    delete noSender.meta.sender;
    expect(mapChatwootWebhook(noSender, ACCOUNT)).toMatchObject({
      kind: 'invalid',
      problems: [expect.stringMatching(/^meta\.sender: /)],
    });
  });
});

describe('POST /webhooks/chatwoot/:accountId', () => {
  let server: Served;
  let harness: Awaited<ReturnType<typeof recordingStore>>;
  let logger: ReturnType<typeof captureLogger>;

  beforeEach(async () => {
    harness = await recordingStore(() => NOW);
    logger = captureLogger();
    server = await serve(
      chatwootEndpoint({
        store: harness.store,
        logger,
        now: () => NOW,
        secrets: new Map([['7', [SECRET]]]),
        apiUsers: new Map([['7', ['99']]]),
        unsignedAccounts: new Set(['9']),
      }),
      (url) => ({ accountId: url.split('/').pop() ?? '' }),
    );
  });
  afterEach(async () => {
    await server.close();
    await harness.real.close();
  });

  /** Account 7 signs (it has a secret); account 9 is listed in CHATWOOT_UNSIGNED_ACCOUNTS; 11 is neither. */
  const signed = (body: string, options: { timestamp?: number; delivery?: string } = {}) =>
    server.post(
      body,
      chatwootHeaders(body, SECRET, options.timestamp ?? NOW_S, options.delivery),
      '/webhooks/chatwoot/7',
    );
  const unsigned = (body: string, headers: Record<string, string> = {}) =>
    server.post(body, { 'content-type': 'application/json', ...headers }, '/webhooks/chatwoot/9');

  it('records a signed assignment and counts a redelivery (same X-Chatwoot-Delivery) as a duplicate', async () => {
    const body = fixture('chatwoot', 'conversation_updated.team_and_agent');
    expect(await signed(body, { delivery: 'dlv-1' })).toEqual({
      status: 200,
      json: { accepted: 1, duplicates: 0, unchanged: 0 },
    });
    expect((await signed(body, { delivery: 'dlv-1', timestamp: NOW_S + 30 })).json).toEqual({
      accepted: 0,
      duplicates: 1,
      unchanged: 0,
    });
  });

  it('keys on the signed payload: a replay with a new X-Chatwoot-Delivery is a duplicate', async () => {
    const body = fixture('chatwoot', 'conversation_updated.reassigned');
    expect((await signed(body, { delivery: 'dlv-1' })).json).toMatchObject({ accepted: 1 });
    expect((await signed(body, { delivery: 'dlv-2', timestamp: NOW_S + 60 })).json).toEqual({
      accepted: 0,
      duplicates: 1,
      unchanged: 0,
    });
  });

  it('refuses an account with no secret that is not listed as unsigned: 503, the setup hint, nothing stored', async () => {
    const body = fixture('chatwoot', 'conversation_updated.reassigned');
    const res = await server.post(body, { 'content-type': 'application/json' }, '/webhooks/chatwoot/11');
    expect(res).toEqual({
      status: 503,
      json: { error: expect.stringContaining('add 11:<secret> to CHATWOOT_WEBHOOK_SECRETS') },
    });
    expect(harness.batches).toEqual([]);
  });

  it('refuses an unsigned updated_at of 9e12 with 400 naming the field, and the contact still takes events', async () => {
    const good = JSON.parse(fixture('chatwoot', 'conversation_updated.reassigned'));
    const res = await unsigned(JSON.stringify({ ...good, updated_at: 9e12 }));
    expect(res).toEqual({
      status: 400,
      json: {
        error: 'the payload is not in the shape this endpoint reads: nothing was stored',
        problems: ['updated_at: is not a real date and time'],
      },
    });
    expect(harness.batches).toEqual([]);
    expect((await unsigned(JSON.stringify(good))).json).toEqual({ accepted: 1, duplicates: 0, unchanged: 0 });
  });

  it('recognises a redelivery without X-Chatwoot-Delivery by what it says', async () => {
    const body = fixture('chatwoot', 'conversation_updated.reassigned');
    expect((await unsigned(body)).json).toEqual({ accepted: 1, duplicates: 0, unchanged: 0 });
    expect((await unsigned(body)).json).toEqual({ accepted: 0, duplicates: 1, unchanged: 0 });
  });

  it('records an assignment and then the unassignment', async () => {
    await unsigned(fixture('chatwoot', 'conversation_updated.reassigned'));
    expect((await unsigned(fixture('chatwoot', 'conversation_updated.unassigned'))).json).toEqual({
      accepted: 1,
      duplicates: 0,
      unchanged: 0,
    });
    expect(harness.batches.flat().map((e) => e.assignee?.id ?? null)).toEqual(['chatwoot:9:12', null]);
  });

  it('requires signatures for an account with a secret: 401 unsigned, forged or stale; nothing stored', async () => {
    const body = fixture('chatwoot', 'conversation_updated.reassigned');
    const bare = await server.post(body, { 'content-type': 'application/json' }, '/webhooks/chatwoot/7');
    expect(bare.status).toBe(401);
    const forged = chatwootHeaders(body, 'not-the-secret', NOW_S);
    expect((await server.post(body, forged, '/webhooks/chatwoot/7')).status).toBe(401);
    const stale = await signed(body, { timestamp: NOW_S - 10 * 60 });
    expect(stale).toEqual({ status: 401, json: { error: expect.stringContaining('stale') } });
    expect(harness.batches).toEqual([]);
  });

  it('counts a change by the configured API user as Developer API', async () => {
    const body = JSON.parse(fixture('chatwoot', 'conversation_updated.by_user'));
    body.performed_by = { type: 'user', id: 99 };
    expect((await signed(JSON.stringify(body))).status).toBe(200);
    expect(harness.batches[0]?.[0]).toMatchObject({
      source: 'developer_api',
      contact: { id: 'chatwoot:7:416' },
    });
  });

  it('answers 200 ignored to a team-only change and to other events', async () => {
    expect(await signed(fixture('chatwoot', 'conversation_updated.team_only'))).toEqual({
      status: 200,
      json: { ignored: true, reason: expect.stringContaining('team changed') },
    });
    expect((await unsigned(JSON.stringify({ event: 'message_created', id: 1 }))).json).toMatchObject({
      ignored: true,
    });
    expect(harness.batches).toEqual([]);
  });

  it('answers 400 to malformed JSON and 413 to a body over 1 MB, storing nothing', async () => {
    expect((await signed('{"event": "conversation_updated", ')).status).toBe(400);
    const huge = JSON.stringify({ event: 'conversation_updated', pad: 'x'.repeat(1024 * 1024) });
    expect((await signed(huge)).status).toBe(413);
    expect(harness.batches).toEqual([]);
  });

  it('answers 404 to an account id that is not a number', async () => {
    const res = await server.post('{}', { 'content-type': 'application/json' }, '/webhooks/chatwoot/acme');
    expect(res).toEqual({
      status: 404,
      json: { error: expect.stringContaining('/webhooks/chatwoot/<account id>') },
    });
  });

  it('answers 503 when the store is unreachable, storing nothing', async () => {
    harness.down();
    expect((await signed(fixture('chatwoot', 'conversation_updated.reassigned'))).status).toBe(503);
    expect(harness.batches).toEqual([]);
    expect(logger.lines.filter((l) => l.level === 'error')).toHaveLength(1);
  });
});
