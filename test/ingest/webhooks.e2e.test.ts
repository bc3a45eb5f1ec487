import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_FILTERS } from '../../src/domain/filters.ts';
import { resolveRange } from '../../src/domain/range.ts';
import { startTestApp, type TestApp } from '../fakes/start-test-app.ts';
import { chatwootHeaders, fixture, intercomHeaders, respondioHeaders } from './webhook-harness.ts';

const START = new Date('2026-11-26T08:00:00Z');
const RESPONDIO_KEY = 'respondio-e2e-key';
const CHATWOOT_SECRET = 'chatwoot-e2e-secret';
const INTERCOM_SECRET = 'intercom-e2e-secret';

describe('platform webhooks end to end (signed HTTP into the real Bolt app)', () => {
  let app: TestApp;
  let clock = START;
  const seconds = () => clock.getTime() / 1000;
  const advance = (minutes: number) => {
    clock = new Date(clock.getTime() + minutes * 60_000);
  };

  async function post(path: string, body: string, headers: Record<string, string>) {
    const res = await fetch(`${app.url}${path}`, { method: 'POST', body, headers });
    return { status: res.status, json: await res.json() };
  }
  const respondio = (body: string, key = RESPONDIO_KEY) =>
    post('/webhooks/respondio', body, respondioHeaders(body, key));
  const chatwoot = (body: string, delivery: string) =>
    post(
      '/webhooks/chatwoot/7',
      body,
      chatwootHeaders(body, CHATWOOT_SECRET, Math.round(seconds()), delivery),
    );
  const intercom = (body: string) => post('/webhooks/intercom', body, intercomHeaders(body, INTERCOM_SECRET));

  /** A Chatwoot fixture as if it happened now, with the given actor. */
  function chatwootNow(name: string, performedBy: unknown): string {
    const body = JSON.parse(fixture('chatwoot', name));
    return JSON.stringify({ ...body, updated_at: seconds() + 0.25, performed_by: performedBy });
  }

  /** An Intercom fixture whose assignment parts happened now. */
  function intercomNow(name: string): string {
    const body = JSON.parse(fixture('intercom', name));
    for (const part of body.data.item.conversation_parts.conversation_parts)
      part.created_at = Math.round(seconds());
    return JSON.stringify(body);
  }

  const today = (filters = NO_FILTERS) =>
    app.store.report(resolveRange({ kind: 'preset', preset: 'today' }, clock, 'UTC'), filters, 20);

  beforeAll(async () => {
    app = await startTestApp({
      now: () => clock,
      webhooks: {
        respondioSecrets: [RESPONDIO_KEY],
        chatwootSecrets: new Map([['7', [CHATWOOT_SECRET]]]),
        chatwootApiUsers: new Map([['7', ['99']]]),
        intercomClientSecret: INTERCOM_SECRET,
      },
    });
  });
  afterAll(() => app.stop());

  it('records what each platform sends, once, and the report counts it by source', async () => {
    const accepted = { accepted: 1, duplicates: 0, unchanged: 0 };

    // respond.io: John Doe takes Aisha (source unknown), then closing the conversation unassigns her.
    expect(await respondio(fixture('respondio', 'contact.assignee.updated'))).toEqual({
      status: 200,
      json: accepted,
    });
    advance(10);
    expect((await respondio(fixture('respondio', 'conversation.closed'))).json).toEqual(accepted);
    advance(1);
    // A redelivery of the first, and a forgery: neither changes anything.
    expect((await respondio(fixture('respondio', 'contact.assignee.updated'))).json).toEqual({
      accepted: 0,
      duplicates: 1,
      unchanged: 0,
    });
    expect((await respondio(fixture('respondio', 'contact.assignee.updated'), 'forged')).status).toBe(401);

    // Chatwoot account 7: an automation rule assigns Mei Tan (Workflow), then user 9 reassigns (User).
    advance(5);
    const rule = chatwootNow('conversation_updated.team_and_agent', { type: 'automation_rule', id: 2 });
    expect((await chatwoot(rule, 'dlv-1')).json).toEqual(accepted);
    expect((await chatwoot(rule, 'dlv-1')).json).toEqual({ accepted: 0, duplicates: 1, unchanged: 0 });
    advance(5);
    expect(
      (await chatwoot(chatwootNow('conversation_updated.by_user', { type: 'user', id: 9 }), 'dlv-2')).json,
    ).toEqual(accepted);
    // A team-only change is no assignment.
    expect((await chatwoot(chatwootNow('conversation_updated.team_only', null), 'dlv-3')).json).toMatchObject(
      {
        ignored: true,
      },
    );

    // Intercom: Fin's default assignment (Workflow), an app unassigns (Developer API), an admin assigns (User).
    advance(5);
    expect((await intercom(intercomNow('conversation.admin.assigned.v2.workflow'))).json).toEqual(accepted);
    advance(5);
    expect((await intercom(intercomNow('conversation.admin.assigned.v2.api_unassign'))).json).toEqual(
      accepted,
    );
    expect((await intercom(intercomNow('conversation.admin.assigned.v1'))).json).toEqual(accepted);
    expect((await intercom(fixture('intercom', 'conversation.user.replied'))).json).toMatchObject({
      ignored: true,
    });

    const report = await today();
    const count = Object.fromEntries(report.bySource.map((s) => [s.source, s.count]));
    expect(report.total).toBe(7);
    expect(count).toMatchObject({
      unknown: 1,
      close_conversation: 1,
      workflow: 2,
      user: 2,
      developer_api: 1,
      bot: 0,
    });
  });

  it('keeps the previous assignee the store derived, and the platforms’ visible conversation ids', async () => {
    const report = await today();
    const close = report.latest.find((row) => row.source === 'close_conversation');
    expect(close).toMatchObject({
      contact: { id: '1234567', name: 'Aisha Rahman' },
      previousAssignee: { id: '2001', name: 'John Doe' },
      assignee: null,
    });
    const unassign = report.latest.find((row) => row.source === 'developer_api');
    expect(unassign).toMatchObject({
      conversationId: '987654',
      previousAssignee: { id: 'intercom:abc123:4242' },
      assignee: null,
    });
    const byConversation = await today({ ...NO_FILTERS, conversations: ['1536'] });
    expect(byConversation.total).toBe(1);
    expect(byConversation.latest[0]).toMatchObject({
      source: 'user',
      assignedBy: { id: 'chatwoot:7:9' },
      previousAssignee: { id: 'chatwoot:7:12' },
      assignee: { id: 'chatwoot:7:15', name: 'Mei Tan' },
    });
  });

  it('refuses stale Chatwoot signatures and unsigned requests for an account with a secret', async () => {
    const body = chatwootNow('conversation_updated.reassigned', null);
    const stale = chatwootHeaders(body, CHATWOOT_SECRET, Math.round(seconds()) - 10 * 60);
    expect(await post('/webhooks/chatwoot/7', body, stale)).toEqual({
      status: 401,
      json: { error: expect.stringContaining('stale') },
    });
    expect((await post('/webhooks/chatwoot/7', body, { 'content-type': 'application/json' })).status).toBe(
      401,
    );
    expect((await today()).total).toBe(7);
  });
});
