import { describe, expect, it } from 'vitest';
import { quickchartPublisher } from '../../src/charts/chart-publisher.ts';
import type { DigestDefinition } from '../../src/domain/digest.ts';
import { NO_FILTERS } from '../../src/domain/filters.ts';
import { createComposeDigest } from '../../src/reports/compose-digest.ts';
import { createAssignmentStore } from '../../src/store/assignment-store.ts';
import { createDigestData } from '../../src/store/digest-data.ts';
import { JOHN, makeEvent } from '../builders/event.ts';
import { openTestEngine } from '../store/engines.ts';

const SUPPORT = { id: 'support', name: 'Support' };

const DEFINITION: DigestDefinition = {
  id: 'd7k2',
  channelId: 'C0123',
  channelName: 'support',
  team: 'Support',
  at: '09:00',
  zone: 'Asia/Kuala_Lumpur',
  weekdaysOnly: false,
  skipEmpty: false,
  filters: NO_FILTERS,
  paused: false,
  createdBy: 'U0123',
  createdAt: new Date('2026-11-01T00:00:00Z'),
};

async function composeFor(day: string, marks = { test: false, delayedBy: null }) {
  const engine = await openTestEngine('compose');
  const store = createAssignmentStore(engine);
  await store.init();
  await store.ingest([
    // Wed 25 Nov 08:15 and 09:00 in Kuala Lumpur.
    makeEvent({ id: 'a', team: SUPPORT, timestamp: new Date('2026-11-25T00:15:00Z') }),
    makeEvent({ id: 'b', team: SUPPORT, timestamp: new Date('2026-11-25T01:00:00Z'), assignee: JOHN }),
  ]);
  const compose = createComposeDigest({
    data: createDigestData(engine),
    charts: quickchartPublisher('https://quickchart.io'),
  });
  try {
    return await compose(DEFINITION, day, marks);
  } finally {
    await engine.close();
  }
}

describe('createComposeDigest', () => {
  it("reads the team's day in the digest's zone and renders it, with the log in the thread", async () => {
    const composed = await composeFor('2026-11-25');
    expect(composed.empty).toBe(false);
    expect(composed.main.text).toContain('Support, yesterday (Wed 25 Nov 2026): 2 assignments');
    expect(JSON.stringify(composed.main.blocks)).toContain(
      'Reproduce: `/assignments 2026-11-25 team:Support tz:Asia/Kuala_Lumpur`',
    );
    expect(composed.thread?.text).toBe('Latest 2 of 2 assignments for Support, Wed 25 Nov 2026.');
  });

  it('says a day without assignments in one line, marked as a test when it is one', async () => {
    const composed = await composeFor('2026-11-24', { test: true, delayedBy: null });
    expect(composed.empty).toBe(true);
    expect(composed.main.text).toBe(
      '[Test — not counted as delivered] No assignments for Support yesterday, Tue 24 Nov 2026.',
    );
    expect(composed.thread).toBeNull();
  });

  it("reads a team's day once for digests due together, and again once the reuse window has passed", async () => {
    const engine = await openTestEngine('compose');
    const store = createAssignmentStore(engine);
    await store.init();
    await store.ingest([makeEvent({ id: 'a', team: SUPPORT, timestamp: new Date('2026-11-25T00:15:00Z') })]);
    const real = createDigestData(engine);
    let loads = 0;
    let clock = 0;
    const compose = createComposeDigest({
      data: {
        load(query) {
          loads++;
          return real.load(query);
        },
      },
      charts: quickchartPublisher('https://quickchart.io'),
      reuseForMs: 60_000,
      now: () => clock,
    });
    const marks = { test: false, delayedBy: null };
    const other = { ...DEFINITION, id: 'x9y8', channelId: 'C0999' };
    const [a, b] = await Promise.all([
      compose(DEFINITION, '2026-11-25', marks),
      compose(other, '2026-11-25', marks),
    ]);
    expect(loads).toBe(1);
    expect(a.main.text).toBe(b.main.text);
    await compose({ ...DEFINITION, zone: 'UTC' }, '2026-11-25', marks);
    expect(loads).toBe(2);
    clock = 60_000;
    await compose(DEFINITION, '2026-11-25', marks);
    expect(loads).toBe(3);
    await engine.close();
  });
});
