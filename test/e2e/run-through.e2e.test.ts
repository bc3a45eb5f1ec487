import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_FILTERS, type ReportFilters } from '../../src/domain/filters.ts';
import { resolveRange } from '../../src/domain/range.ts';
import { INGEST_TOKEN, startTestApp, type TestApp } from '../fakes/start-test-app.ts';
import { chatwootHeaders, intercomHeaders, respondioHeaders } from '../ingest/webhook-harness.ts';

// A day replayed as it arrives: respond.io, Chatwoot and Intercom webhooks, then the day's Assignments log CSV
// (which overlaps the respond.io webhooks), then the same CSV again. Every count below is worked out by hand.

const RESPONDIO_KEY = 'run-through-respondio';
const CHATWOOT_SECRET = 'run-through-chatwoot';
const INTERCOM_SECRET = 'run-through-intercom';
const DAY = '2026-11-25';
const at = (time: string) => new Date(`${DAY}T${time}Z`);
const epoch = (time: string) => at(time).getTime() / 1000;

const fixture = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../fixtures/${path}.json`, import.meta.url), 'utf8'));

const agents = [
  'Agent ID,Agent Name,Team',
  '2001,John Doe,Support',
  '2002,Mei Tan,Support',
  '2003,Ali Hassan,Sales',
  '2004,Sarah Lee,Sales',
].join('\n');

function assigneeUpdated(eventId: string, contactId: number, firstName: string, assignee: number) {
  const [agentFirst, agentLast] = { 2001: ['John', 'Doe'], 2002: ['Mei', 'Tan'], 2003: ['Ali', 'Hassan'] }[
    assignee
  ] ?? ['?', '?'];
  return JSON.stringify({
    event_id: eventId,
    event_type: 'contact.assignee.updated',
    contact: {
      id: contactId,
      firstName,
      lastName: 'Rahman',
      assignee: {
        id: assignee,
        firstName: agentFirst,
        lastName: agentLast,
        email: `${assignee}@acme.example`,
      },
    },
  });
}

// The export's rows for the day, in the seed's columns (UTC). Rows 1-3 are the changes the respond.io webhooks
// already reported (within 2 minutes); rows 4-6 only the log knows.
const csv = [
  'Timestamp,Conversation ID,Contact ID,Contact Name,Previous Assignee,Assigned To,Source,Assigned By',
  `${DAY} 09:14:07,88231,1234567,Aisha Rahman,-,John Doe,Workflow,`,
  `${DAY} 10:02:51,88231,1234567,Aisha Rahman,John Doe,Mei Tan,User,Sarah Lee`,
  `${DAY} 18:30:00,88231,1234567,Aisha Rahman,Mei Tan,,Close Conversation,`,
  `${DAY} 08:05:40,88260,1234571,"Lim, Chen",John Doe,Ali Hassan,Developer API,`,
  `${DAY} 11:45:00,88261,1234572,Dana O'Neil,-,Mei Tan,Bot,`,
  `${DAY} 12:01:30,88262,1234573,Eko Santoso,-,Ali Hassan,Zapier,`,
].join('\r\n');

describe('a day of mixed webhooks plus an overlapping CSV', () => {
  let app: TestApp;
  let clock = at('00:00:00');

  async function post(path: string, body: string, headers: Record<string, string>) {
    const res = await fetch(`${app.url}${path}`, { method: 'POST', body, headers });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  async function respondio(time: string, body: string) {
    clock = at(time);
    return post('/webhooks/respondio', body, respondioHeaders(body, RESPONDIO_KEY));
  }

  const count = async (filters: Partial<ReportFilters> = {}) =>
    (
      await app.store.report(resolveRange({ kind: 'dates', from: DAY, to: DAY }, at('23:00:00'), 'UTC'), {
        ...NO_FILTERS,
        ...filters,
      })
    ).total;

  beforeAll(async () => {
    app = await startTestApp({
      now: () => clock,
      webhooks: {
        respondioSecrets: [RESPONDIO_KEY],
        chatwootSecrets: new Map([['7', [CHATWOOT_SECRET]]]),
        chatwootApiUsers: new Map(),
        intercomClientSecret: INTERCOM_SECRET,
      },
    });
    const auth = { authorization: `Bearer ${INGEST_TOKEN}` };
    expect((await post('/api/agents', agents, { ...auth, 'content-type': 'text/csv' })).json).toEqual({
      added: 4,
      updated: 0,
    });

    expect((await respondio('09:14:30', assigneeUpdated('w1', 1234567, 'Aisha', 2001))).json).toMatchObject({
      accepted: 1,
    });
    expect((await respondio('10:03:00', assigneeUpdated('w2', 1234567, 'Aisha', 2002))).json).toMatchObject({
      accepted: 1,
    });
    // Redelivered: same event_id.
    expect((await respondio('10:04:00', assigneeUpdated('w2', 1234567, 'Aisha', 2002))).json).toMatchObject({
      duplicates: 1,
    });
    expect((await respondio('11:00:00', assigneeUpdated('w3', 1234999, 'Farah', 2003))).json).toMatchObject({
      accepted: 1,
    });
    const closed = fixture('respondio/conversation.closed');
    expect((await respondio('18:30:20', JSON.stringify(closed))).json).toMatchObject({ accepted: 1 });

    clock = at('12:00:05');
    const chatwoot = {
      ...fixture('chatwoot/conversation_updated.reassigned'),
      updated_at: epoch('12:00:00'),
      performed_by: { type: 'automation_rule', id: 5 },
    };
    const cwBody = JSON.stringify(chatwoot);
    expect(
      (
        await post(
          '/webhooks/chatwoot/7',
          cwBody,
          chatwootHeaders(cwBody, CHATWOOT_SECRET, Math.floor(clock.getTime() / 1000), 'delivery-1'),
        )
      ).json,
    ).toMatchObject({ accepted: 1 });

    const intercom = fixture('intercom/conversation.admin.assigned.v2.workflow');
    const icBody = JSON.stringify(intercom).replaceAll('1751961599', String(epoch('13:00:00')));
    clock = at('13:00:02');
    expect(
      (await post('/webhooks/intercom', icBody, intercomHeaders(icBody, INTERCOM_SECRET))).json,
    ).toMatchObject({ accepted: 1 });

    clock = at('23:00:00');
    const imported = await post('/api/import/csv?timezone=UTC', csv, { ...auth, 'content-type': 'text/csv' });
    expect(imported.status).toBe(200);
    // Rows 1-3 complete the respond.io events (row 3 the close); rows 4-6 are new.
    expect(imported.json).toMatchObject({
      rows: 6,
      new: 3,
      enriched: 3,
      duplicates: 0,
      unchanged: 0,
      rejected: 0,
    });
  });

  afterAll(() => app.stop());

  it('counts each assignment once, by source, as a hand count does', async () => {
    // w1 (workflow, from its row), w2 (user), w3 (no row: unknown), close (close conversation), Chatwoot
    // (automation rule: workflow), Intercom (default assignment: workflow), rows 4-6.
    expect(await count()).toBe(9);
    expect(await count({ sources: ['workflow'] })).toBe(3);
    expect(await count({ sources: ['user'] })).toBe(1);
    expect(await count({ sources: ['unknown'] })).toBe(1);
    expect(await count({ sources: ['close_conversation'] })).toBe(1);
    expect(await count({ sources: ['developer_api'] })).toBe(1);
    expect(await count({ sources: ['bot'] })).toBe(1);
    expect(await count({ sources: ['zapier'] })).toBe(1);
    expect(await count({ assignedBy: ['Sarah Lee'] })).toBe(1);
  });

  it('counts by team: the team a platform names, otherwise the assignee’s team from the directory', async () => {
    // Support: w1 John, w2 Mei, row 5 Mei. Sales: w3 Ali, rows 4 and 6 Ali. The close names its team itself
    // (respond.io's assigneeTeam "Sales MY"), Chatwoot its team (sales-my), Intercom its team (5017).
    expect(await count({ teams: ['Support'] })).toBe(3);
    expect(await count({ teams: ['sales'] })).toBe(3);
    expect(await count({ teams: ['Sales MY'] })).toBe(1);
    expect(await count({ teams: ['sales-my'] })).toBe(1);
  });

  it('adds nothing when the same CSV is imported again', async () => {
    const again = await post('/api/import/csv?timezone=UTC', csv, {
      authorization: `Bearer ${INGEST_TOKEN}`,
      'content-type': 'text/csv',
    });
    expect(again.json).toMatchObject({ rows: 6, new: 0, enriched: 0, duplicates: 6 });
    expect(await count()).toBe(9);
  });
});
