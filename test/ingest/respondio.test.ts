import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NO_FILTERS } from '../../src/domain/filters.ts';
import { resolveRange } from '../../src/domain/range.ts';
import { mapRespondioWebhook, verifyRespondioSignature } from '../../src/ingest/connectors/respondio.ts';
import { respondioEndpoint } from '../../src/ingest/webhooks/respondio-endpoint.ts';
import {
  captureLogger,
  fixture,
  recordingStore,
  respondioHeaders,
  type Served,
  serve,
} from './webhook-harness.ts';

const NOW = new Date('2026-11-26T10:00:00Z');
const KEY = 'respondio-signing-key-1';

describe('verifyRespondioSignature', () => {
  it('accepts the documented check vector', () => {
    const raw = Buffer.from('{"event":"message","data":"test"}');
    expect(verifyRespondioSignature(raw, 'UtAE5LaeNjrL33PUEQfh69YKw7UhrrkOL9tQN0+xIrI=', ['secret'])).toEqual(
      {
        ok: true,
      },
    );
  });

  it('accepts any configured key, so keys can be rotated', () => {
    const body = fixture('respondio', 'contact.assignee.updated');
    const signature = respondioHeaders(body, KEY)['x-webhook-signature'];
    expect(verifyRespondioSignature(Buffer.from(body), signature, ['old-key', KEY]).ok).toBe(true);
  });

  it('checks the raw bytes: the same JSON re-serialised does not match', () => {
    const body = fixture('respondio', 'contact.assignee.updated');
    const signature = respondioHeaders(body, KEY)['x-webhook-signature'];
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body)));
    expect(verifyRespondioSignature(reserialised, signature, [KEY])).toMatchObject({
      ok: false,
      status: 401,
    });
  });

  it('refuses a missing or wrong signature with 401, and says what to check', () => {
    const raw = Buffer.from('{}');
    expect(verifyRespondioSignature(raw, undefined, [KEY])).toMatchObject({
      status: 401,
      error: expect.stringContaining('X-Webhook-Signature is missing'),
    });
    expect(verifyRespondioSignature(raw, 'bm9wZQ==', [KEY])).toMatchObject({
      status: 401,
      error: expect.stringContaining('RESPONDIO_WEBHOOK_SECRETS'),
    });
  });

  it('answers 503 with the setting to set when no key is configured', () => {
    expect(verifyRespondioSignature(Buffer.from('{}'), 'x', [])).toMatchObject({
      status: 503,
      error: expect.stringContaining('set RESPONDIO_WEBHOOK_SECRETS'),
    });
  });
});

describe('mapRespondioWebhook', () => {
  const map = (name: string) => mapRespondioWebhook(JSON.parse(fixture('respondio', name)), NOW);

  it('maps contact.assignee.updated to an assignment at receipt time, source unknown, previous left to the store', () => {
    expect(map('contact.assignee.updated')).toEqual({
      kind: 'events',
      events: [
        {
          id: 'respondio:cc5f231a-633c-4ffc-bf61-d970fe5e0085',
          timestamp: NOW,
          conversationId: null,
          contact: { id: '1234567', name: 'Aisha Rahman' },
          assignee: { id: '2001', name: 'John Doe' },
          source: 'unknown',
          assignedBy: null,
          team: null,
        },
      ],
    });
  });

  it('reads a null assignee as an unassignment, and a string contact id as the same contact', () => {
    const mapping = map('contact.assignee.updated.unassigned');
    expect(mapping).toMatchObject({
      kind: 'events',
      events: [{ contact: { id: '1234567' }, assignee: null, source: 'unknown' }],
    });
    expect(mapping.kind === 'events' && 'previousAssignee' in (mapping.events[0] ?? {})).toBe(false);
  });

  it('reads an empty assignee {} as nobody, and names a contact without a name by phone', () => {
    expect(map('contact.assignee.updated.empty_assignee')).toMatchObject({
      kind: 'events',
      events: [{ contact: { id: '7654321', name: '+60198765432' }, assignee: null }],
    });
  });

  it('falls back from the name to the email, then the id, for the assignee', () => {
    const body = JSON.parse(fixture('respondio', 'contact.assignee.updated'));
    body.contact.assignee = { id: 2002, firstName: '', lastName: null, email: 'mei@acme.example' };
    expect(mapRespondioWebhook(body, NOW)).toMatchObject({
      events: [{ assignee: { id: '2002', name: 'mei@acme.example' } }],
    });
    body.contact.assignee = { id: 2003 };
    expect(mapRespondioWebhook(body, NOW)).toMatchObject({
      events: [{ assignee: { id: '2003', name: '2003' } }],
    });
  });

  it('maps a close that left nobody assigned to a Close Conversation unassignment', () => {
    expect(map('conversation.closed')).toEqual({
      kind: 'events',
      events: [
        {
          id: 'respondio:7d1e0c55-8a3b-4f0e-b2a1-0c9d8e7f6a5b',
          timestamp: NOW,
          conversationId: null,
          contact: { id: '1234567', name: 'Aisha Rahman' },
          assignee: null,
          source: 'close_conversation',
          assignedBy: null,
          team: { id: 'sales my', name: 'Sales MY' },
        },
      ],
    });
  });

  it('ignores a close that left the contact assigned', () => {
    expect(map('conversation.closed.still_assigned')).toEqual({
      kind: 'ignored',
      reason: expect.stringContaining('John Doe'),
    });
  });

  it('ignores event types that are not assignments, naming the ones it reads', () => {
    expect(map('message.received')).toEqual({
      kind: 'ignored',
      reason: expect.stringMatching(/"message.received".*contact.assignee.updated and conversation.closed/),
    });
    expect(mapRespondioWebhook({ event: 'message', data: 'test' }, NOW).kind).toBe('ignored');
  });

  it('names the field when a known event cannot be read', () => {
    const body = JSON.parse(fixture('respondio', 'contact.assignee.updated'));
    delete body.contact.id;
    expect(mapRespondioWebhook(body, NOW)).toEqual({
      kind: 'invalid',
      problems: [expect.stringMatching(/^contact\.id: /)],
    });
    expect(mapRespondioWebhook([1, 2], NOW)).toMatchObject({ kind: 'invalid' });
  });
});

describe('POST /webhooks/respondio', () => {
  let server: Served;
  let harness: Awaited<ReturnType<typeof recordingStore>>;
  let logger: ReturnType<typeof captureLogger>;
  let clock: Date;

  beforeEach(async () => {
    clock = NOW;
    harness = await recordingStore(() => clock);
    logger = captureLogger();
    server = await serve(
      respondioEndpoint({ store: harness.store, logger, now: () => clock, secrets: [KEY] }),
    );
  });
  afterEach(async () => {
    await server.close();
    await harness.real.close();
  });

  const send = (body: string, key = KEY) => server.post(body, respondioHeaders(body, key));
  const later = (minutes: number) => {
    clock = new Date(NOW.getTime() + minutes * 60_000);
  };

  it('records an assignment, then an unassignment with the previous assignee derived', async () => {
    expect(await send(fixture('respondio', 'contact.assignee.updated'))).toEqual({
      status: 200,
      json: { accepted: 1, duplicates: 0, unchanged: 0 },
    });
    later(5);
    expect((await send(fixture('respondio', 'contact.assignee.updated.unassigned'))).json).toEqual({
      accepted: 1,
      duplicates: 0,
      unchanged: 0,
    });
    const report = await harness.real.report(
      resolveRange({ kind: 'preset', preset: 'today' }, clock, 'UTC'),
      NO_FILTERS,
    );
    expect(report.total).toBe(2);
    expect(report.latest[0]).toMatchObject({
      previousAssignee: { id: '2001', name: 'John Doe' },
      assignee: null,
      source: 'unknown',
    });
  });

  it('counts a redelivery (same event_id) as a duplicate', async () => {
    const body = fixture('respondio', 'contact.assignee.updated');
    await send(body);
    later(1);
    expect((await send(body)).json).toEqual({ accepted: 0, duplicates: 1, unchanged: 0 });
  });

  it('records a close as an unassignment only when our state says the contact was assigned', async () => {
    await send(fixture('respondio', 'contact.assignee.updated'));
    later(60);
    expect((await send(fixture('respondio', 'conversation.closed'))).json).toEqual({
      accepted: 1,
      duplicates: 0,
      unchanged: 0,
    });
    const report = await harness.real.report(
      resolveRange({ kind: 'preset', preset: 'today' }, clock, 'UTC'),
      NO_FILTERS,
    );
    expect(report.bySource.find((s) => s.source === 'close_conversation')?.count).toBe(1);

    // The same close for a contact that was never assigned here: nothing changed, nothing counted.
    const other = JSON.parse(fixture('respondio', 'conversation.closed'));
    other.event_id = 'another-close';
    other.contact.id = 999;
    expect((await send(JSON.stringify(other))).json).toEqual({ accepted: 0, duplicates: 0, unchanged: 1 });
  });

  it('keeps respond.io ids, so a row of its CSV log export can complete the webhook event’s source', async () => {
    await send(fixture('respondio', 'contact.assignee.updated'));
    // The export's row for the same change: Contact ID 1234567, Assigned To "John Doe", Source Workflow.
    const row = {
      id: 'csv:row-1',
      timestamp: new Date(NOW.getTime() + 30_000),
      conversationId: '88231',
      contact: { id: '1234567', name: 'Aisha Rahman' },
      assignee: { id: 'John Doe', name: 'John Doe' },
      source: 'workflow' as const,
      assignedBy: null,
      team: null,
    };
    expect(await harness.real.ingest([row], { enrichWithinMs: 2 * 60_000 })).toMatchObject({ enriched: 1 });
    const report = await harness.real.report(
      resolveRange({ kind: 'preset', preset: 'today' }, NOW, 'UTC'),
      NO_FILTERS,
    );
    expect(report.total).toBe(1);
    expect(report.latest[0]).toMatchObject({ source: 'workflow', conversationId: '88231' });
  });

  it('refuses a wrong or missing signature with 401, stores nothing, and logs it once at warn', async () => {
    const body = fixture('respondio', 'contact.assignee.updated');
    expect((await send(body, 'not-the-key')).status).toBe(401);
    expect((await server.post(body, { 'content-type': 'application/json' })).status).toBe(401);
    expect(harness.batches).toEqual([]);
    expect(logger.lines.filter((l) => l.level === 'warn')).toHaveLength(2);
  });

  it('answers 400 to signed malformed JSON and stores nothing', async () => {
    const res = await send('{"event_type": "contact.assignee.updated", ');
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: expect.stringContaining('not JSON') });
    expect(harness.batches).toEqual([]);
  });

  it('answers 400 with the problems to a known event it cannot read', async () => {
    const res = await send(JSON.stringify({ event_type: 'contact.assignee.updated', event_id: 'x' }));
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ problems: [expect.stringMatching(/^contact: /)] });
    expect(harness.batches).toEqual([]);
  });

  it('answers 413 to a body over 1 MB', async () => {
    const huge = JSON.stringify({ event_type: 'message.received', pad: 'x'.repeat(1024 * 1024) });
    expect((await send(huge)).status).toBe(413);
    expect(harness.batches).toEqual([]);
  });

  it('answers 200 ignored to other event types', async () => {
    expect(await send(fixture('respondio', 'message.received'))).toEqual({
      status: 200,
      json: { ignored: true, reason: expect.stringContaining('message.received') },
    });
    expect(harness.batches).toEqual([]);
  });

  it('answers 503 when the store is unreachable, storing nothing, so respond.io retries', async () => {
    harness.down();
    const res = await send(fixture('respondio', 'contact.assignee.updated'));
    expect(res.status).toBe(503);
    expect(harness.batches).toEqual([]);
    expect(logger.lines.filter((l) => l.level === 'error')).toHaveLength(1);
  });

  it('answers 503 saying what to set when no signing key is configured', async () => {
    const off = await serve(
      respondioEndpoint({ store: harness.store, logger, now: () => clock, secrets: [] }),
    );
    const res = await off.post('{}', { 'content-type': 'application/json' });
    await off.close();
    expect(res).toEqual({
      status: 503,
      json: { error: expect.stringContaining('set RESPONDIO_WEBHOOK_SECRETS') },
    });
  });
});
