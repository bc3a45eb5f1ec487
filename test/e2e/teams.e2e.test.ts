import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssignmentEvent, Party } from '../../src/domain/event.ts';
import { makeEvent } from '../builders/event.ts';
import { sendCommand } from '../fakes/send-command.ts';
import { startTestApp, type TestApp } from '../fakes/start-test-app.ts';

/** Thursday 26 Nov 2026, 18:00 in Kuala Lumpur: the last 30 days there are Wed 28 Oct – Thu 26 Nov. */
const NOW = new Date('2026-11-26T10:00:00Z');
const ZONE = 'Asia/Kuala_Lumpur';

const JOHN: Party = { id: '2001', name: 'John Doe' };
const MEI: Party = { id: '2002', name: 'Mei Tan' };
const ALI: Party = { id: '2003', name: 'Ali Hassan' };
const TEMP: Party = { id: 'u99', name: '<!channel> *Temp*' };

let n = 0;
const event = (iso: string, contactId: string, assignee: Party | null): AssignmentEvent =>
  makeEvent({
    id: `t${++n}`,
    timestamp: new Date(iso),
    contact: { id: contactId, name: `Contact ${contactId}` },
    assignee,
  });

/** Sends a signed `/assignments …` and waits for the answer at its response_url. */
async function command(app: TestApp, text: string, userId = 'U1') {
  const { responseUrl, ackMs } = await sendCommand(app, text, { userId });
  const answer = (await app.sink.firstPostTo(responseUrl)).body;
  return { answer, ackMs, texts: JSON.stringify(answer.blocks ?? []) };
}

/** The mrkdwn of each section, in order. */
function sections(answer: Record<string, unknown>): string[] {
  const blocks = Array.isArray(answer.blocks) ? answer.blocks : [];
  return blocks.flatMap((b: { type?: string; text?: { text?: string } }) =>
    b.type === 'section' && b.text?.text ? [b.text.text] : [],
  );
}

describe('/assignments teams end to end (signed requests into the real Bolt app)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ now: () => NOW });
    app.slack.zones.set('U1', ZONE);
    await app.store.agents.upsert([
      { id: '2001', name: 'John Doe', team: 'Support' },
      { id: '2002', name: 'Mei Tan', team: 'Support' },
      { id: '2003', name: 'Ali Hassan', team: 'Sales' },
      { id: '2004', name: 'Sarah Lee', team: 'Sales' },
    ]);
    await app.store.ingest([
      event('2026-11-20T02:00:00Z', 'k1', MEI),
      event('2026-11-21T02:00:00Z', 'k1', JOHN),
      // An unassignment counts for the team of the assignee who had the conversation: Support.
      event('2026-11-22T02:00:00Z', 'k1', null),
      event('2026-11-23T02:00:00Z', 'k2', ALI),
      event('2026-11-24T02:00:00Z', 'k3', ALI),
      event('2026-11-25T02:00:00Z', 'k4', MEI),
      event('2026-11-25T03:00:00Z', 'k5', TEMP),
      // Local Tue 27 Oct: one day before the 30 days.
      event('2026-10-27T15:00:00Z', 'k6', JOHN),
    ]);
    // Mei moves to Sales; what she did in Support stays Support's.
    await app.store.agents.upsert([{ id: '2002', name: 'Mei Tan', team: 'Sales' }]);
    await app.store.ingest([event('2026-11-26T01:00:00Z', 'k7', MEI)]);
  });

  afterAll(() => app.stop());

  it('lists each team with its agents, their last-30-days counts and the team total, privately', async () => {
    const { answer, ackMs } = await command(app, 'teams');
    expect(ackMs).toBeLessThan(3000);
    expect(answer.response_type).toBe('ephemeral');
    expect(sections(answer)).toEqual([
      '*Last 30 days, Wed 28 Oct – Thu 26 Nov 2026, Asia/Kuala_Lumpur*\n*8 assignments* in 2 teams',
      '*Sales* · 3 assignments\nAli Hassan · 2\nMei Tan · 1\nSarah Lee · 0',
      '*Support* · 4 assignments\nMei Tan · 2 _(now in Sales)_\nJohn Doe · 1\n_Unassignments_ · 1',
      expect.stringMatching(
        /^\*No team\* · 1 assignment\n_.*_\n&lt;!\u2060channel\u2060&gt; \u2060\*\u2060Temp\u2060\*\u2060 · 1$/,
      ),
    ]);
    expect(String(answer.text)).toContain('8 assignments in 2 teams');
  });

  it('narrows to one team by name or id with team:', async () => {
    const byName = sections((await command(app, 'teams team:Support')).answer);
    expect(byName.slice(1)).toEqual([
      '*Support* · 4 assignments\nMei Tan · 2 _(now in Sales)_\nJohn Doe · 1\n_Unassignments_ · 1',
    ]);
    const { answer, texts } = await command(app, 'TEAMS team:sales');
    expect(sections(answer).slice(1)).toEqual([
      '*Sales* · 3 assignments\nAli Hassan · 2\nMei Tan · 1\nSarah Lee · 0',
    ]);
    expect(texts).toContain('Reproduce: `/assignments teams team:sales`');
  });

  it('explains words it does not take, and leaves every other command to the report', async () => {
    expect((await command(app, 'teams yesterday')).texts).toContain('always covers the last 30 days');
    expect((await command(app, 'teams source:bot')).texts).toContain('takes only `team:`');
    const report = await command(app, 'last 30 days team:support');
    expect(report.texts).toContain('*4 assignments*');
    expect(report.texts).toContain('Team: support');
  });

  it('turns away users not on ALLOWED_USERS', async () => {
    const guarded = await startTestApp({ now: () => NOW, allowedUsers: ['U1'] });
    try {
      const { texts } = await command(guarded, 'teams', 'U2');
      expect(texts).toContain('ALLOWED_USERS');
      expect(texts).not.toContain('assignments*');
    } finally {
      await guarded.stop();
    }
  });
});
