import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mapIntercomWebhook, verifyIntercomSignature } from '../../src/ingest/connectors/intercom.ts';
import { intercomEndpoint } from '../../src/ingest/webhooks/intercom-endpoint.ts';
import {
  captureLogger,
  fixture,
  intercomHeaders,
  recordingStore,
  type Served,
  serve,
} from './webhook-harness.ts';

const NOW = new Date('2026-11-26T10:00:00Z');
const SECRET = 'intercom-client-secret';

const load = (name: string) => JSON.parse(fixture('intercom', name));

/** The v2 workflow notification with its second (admin) part changed. */
function withAdminPart(part: Record<string, unknown>) {
  const body = load('conversation.admin.assigned.v2.workflow');
  const parts = body.data.item.conversation_parts.conversation_parts;
  parts[1] = { ...parts[1], ...part };
  return body;
}

describe('verifyIntercomSignature', () => {
  const body = fixture('intercom', 'conversation.admin.assigned.v1');
  const signature = intercomHeaders(body, SECRET)['x-hub-signature'];

  it('accepts sha1=<hex HMAC-SHA1 of the raw body>', () => {
    expect(verifyIntercomSignature(Buffer.from(body), signature, SECRET)).toEqual({ ok: true });
  });

  it('refuses a wrong or missing signature, and other bytes, with 401', () => {
    expect(verifyIntercomSignature(Buffer.from(body), signature, 'other-secret')).toMatchObject({
      status: 401,
      error: expect.stringContaining('INTERCOM_CLIENT_SECRET'),
    });
    expect(verifyIntercomSignature(Buffer.from(body), undefined, SECRET)).toMatchObject({ status: 401 });
    expect(verifyIntercomSignature(Buffer.from(`${body} `), signature, SECRET)).toMatchObject({
      status: 401,
    });
  });

  it('answers 503 saying what to set when no client secret is configured', () => {
    expect(verifyIntercomSignature(Buffer.from(body), signature, undefined)).toMatchObject({
      status: 503,
      error: expect.stringContaining('set INTERCOM_CLIENT_SECRET'),
    });
  });
});

describe('mapIntercomWebhook', () => {
  it('maps an API 1.x assignment from its part, not the conversation-level assignee', () => {
    expect(mapIntercomWebhook(load('conversation.admin.assigned.v1'), NOW)).toEqual({
      kind: 'events',
      events: [
        {
          id: 'intercom:lkqcyt9t:part:6073773149',
          timestamp: new Date(1596635008 * 1000),
          conversationId: '137324500000000',
          contact: { id: 'intercom:lkqcyt9t:5ee3d479d1cf3dedbee23d68', name: 'Bob Dylan' },
          assignee: { id: 'intercom:lkqcyt9t:3330619', name: 'Andy' },
          source: 'user',
          assignedBy: { id: 'intercom:lkqcyt9t:3330619', name: 'Andy' },
          team: null,
        },
      ],
    });
  });

  it('maps an API 2.x default assignment to Workflow; its team part sets the team, not an event', () => {
    expect(mapIntercomWebhook(load('conversation.admin.assigned.v2.workflow'), NOW)).toEqual({
      kind: 'events',
      events: [
        {
          id: 'intercom:abc123:part:31338',
          timestamp: new Date(1751961599 * 1000),
          conversationId: '987654',
          contact: { id: 'intercom:abc123:60d0b1c3', name: 'cust-77' },
          assignee: { id: 'intercom:abc123:4242', name: '4242' },
          source: 'workflow',
          assignedBy: null,
          team: { id: 'intercom:abc123:5017', name: '5017' },
        },
      ],
    });
  });

  it('maps an unassignment (nobody_admin) by an app to Developer API', () => {
    expect(mapIntercomWebhook(load('conversation.admin.assigned.v2.api_unassign'), NOW)).toMatchObject({
      kind: 'events',
      events: [
        {
          id: 'intercom:abc123:part:31400',
          assignee: null,
          source: 'developer_api',
          assignedBy: null,
          team: { id: 'intercom:abc123:5017' },
        },
      ],
    });
  });

  it('maps assign_and_reopen by an admin to User, with the author as Assigned By', () => {
    expect(mapIntercomWebhook(load('conversation.admin.open.assigned.v1.reopen'), NOW)).toMatchObject({
      events: [
        {
          contact: { name: 'carla@example.com' },
          assignee: { id: 'intercom:lkqcyt9t:3330620', name: 'Beth' },
          source: 'user',
          assignedBy: { id: 'intercom:lkqcyt9t:3330619', name: 'Andy' },
        },
      ],
    });
  });

  it('maps a bot author to Bot and away mode to unknown', () => {
    expect(mapIntercomWebhook(withAdminPart({ part_type: 'assignment' }), NOW)).toMatchObject({
      events: [{ source: 'bot', assignedBy: null }],
    });
    expect(
      mapIntercomWebhook(
        withAdminPart({ part_type: 'away_mode_assignment', author: { type: 'admin', id: '1' } }),
        NOW,
      ),
    ).toMatchObject({ events: [{ source: 'unknown', assignedBy: null }] });
    expect(mapIntercomWebhook(withAdminPart({ part_type: 'assignment', author: null }), NOW)).toMatchObject({
      events: [{ source: 'unknown' }],
    });
  });

  it('gives no event for a team-only assignment', () => {
    expect(mapIntercomWebhook(load('conversation.admin.assigned.v2.team_only'), NOW)).toEqual({
      kind: 'ignored',
      reason: expect.stringContaining('only the team changed'),
    });
  });

  it('falls back to the conversation assignee, keyed by the notification, when there is no assignment part', () => {
    const body = load('conversation.admin.assigned.v2.workflow');
    body.data.item.conversation_parts.conversation_parts = [];
    body.data.item.updated_at = 1751961700;
    expect(mapIntercomWebhook(body, NOW)).toMatchObject({
      events: [
        {
          id: 'intercom:abc123:notification:notif_6a1d0b6e-1111-4c2b-9d3e-0f00000000aa',
          timestamp: new Date(1751961700 * 1000),
          assignee: { id: 'intercom:abc123:4242' },
          source: 'unknown',
        },
      ],
    });
  });

  it('ignores other topics', () => {
    expect(mapIntercomWebhook(load('conversation.user.replied'), NOW)).toEqual({
      kind: 'ignored',
      reason: expect.stringContaining('"conversation.user.replied"'),
    });
    expect(mapIntercomWebhook({ type: 'notification_event', topic: 'ping', data: {} }, NOW).kind).toBe(
      'ignored',
    );
  });

  it('says what is missing when it cannot find the contact', () => {
    const body = load('conversation.admin.assigned.v2.workflow');
    delete body.data.item.contacts;
    expect(mapIntercomWebhook(body, NOW)).toEqual({
      kind: 'invalid',
      problems: [expect.stringContaining('no contact')],
    });
  });
});

describe('POST /webhooks/intercom', () => {
  let server: Served;
  let harness: Awaited<ReturnType<typeof recordingStore>>;
  let logger: ReturnType<typeof captureLogger>;

  beforeEach(async () => {
    harness = await recordingStore(() => NOW);
    logger = captureLogger();
    server = await serve(
      intercomEndpoint({ store: harness.store, logger, now: () => NOW, clientSecret: SECRET }),
    );
  });
  afterEach(async () => {
    await server.close();
    await harness.real.close();
  });

  const send = (body: string, secret = SECRET) => server.post(body, intercomHeaders(body, secret));

  it('records an assignment and its unassignment', async () => {
    expect(await send(fixture('intercom', 'conversation.admin.assigned.v2.workflow'))).toEqual({
      status: 200,
      json: { accepted: 1, duplicates: 0, unchanged: 0 },
    });
    expect((await send(fixture('intercom', 'conversation.admin.assigned.v2.api_unassign'))).json).toEqual({
      accepted: 1,
      duplicates: 0,
      unchanged: 0,
    });
  });

  it('counts a redelivery (same part, another delivery attempt) as a duplicate', async () => {
    const first = load('conversation.admin.assigned.v1');
    await send(JSON.stringify(first));
    const retry = { ...first, delivery_attempts: 2, first_sent_at: first.first_sent_at + 60 };
    expect((await send(JSON.stringify(retry))).json).toEqual({ accepted: 0, duplicates: 1, unchanged: 0 });
  });

  it('refuses a signed part created_at of 1e300 with 400 naming the part, storing nothing', async () => {
    const body = withAdminPart({ created_at: 1e300 });
    expect(await send(JSON.stringify(body))).toEqual({
      status: 400,
      json: {
        error: 'the payload is not in the shape this endpoint reads: nothing was stored',
        problems: ['conversation part 31338 created_at: is not a real date and time'],
      },
    });
    const late = withAdminPart({ created_at: NOW.getTime() / 1000 + 2 * 86_400 });
    expect((await send(JSON.stringify(late))).json).toMatchObject({
      problems: [expect.stringContaining('is more than a day ahead')],
    });
    expect(harness.batches).toEqual([]);
  });

  it('refuses a bad signature with 401 and stores nothing', async () => {
    expect((await send(fixture('intercom', 'conversation.admin.assigned.v1'), 'wrong')).status).toBe(401);
    expect(harness.batches).toEqual([]);
  });

  it('answers 200 ignored to other topics and to team-only changes', async () => {
    expect((await send(fixture('intercom', 'conversation.user.replied'))).json).toMatchObject({
      ignored: true,
    });
    expect((await send(fixture('intercom', 'conversation.admin.assigned.v2.team_only'))).json).toMatchObject({
      ignored: true,
    });
    expect(harness.batches).toEqual([]);
  });

  it('answers 400 to malformed JSON and 413 to a body over 1 MB, storing nothing', async () => {
    expect((await send('{"topic": ')).status).toBe(400);
    expect((await send(JSON.stringify({ topic: 'ping', pad: 'x'.repeat(1024 * 1024) }))).status).toBe(413);
    expect(harness.batches).toEqual([]);
  });

  it('answers 503 when the store is unreachable or no client secret is set', async () => {
    harness.down();
    expect((await send(fixture('intercom', 'conversation.admin.assigned.v1'))).status).toBe(503);
    expect(harness.batches).toEqual([]);
    const off = await serve(
      intercomEndpoint({ store: harness.store, logger, now: () => NOW, clientSecret: undefined }),
    );
    const res = await off.post('{}', { 'content-type': 'application/json' });
    await off.close();
    expect(res).toEqual({ status: 503, json: { error: expect.stringContaining('INTERCOM_CLIENT_SECRET') } });
  });
});
