import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { quickchartPublisher } from '../../src/charts/chart-publisher.ts';
import { answerText, runConsole } from '../../src/console/run-console.ts';
import { demoEvents } from '../../src/demo/demo-events.ts';
import { STORE_TOO_SLOW } from '../../src/render/wording.ts';
import { answerReport } from '../../src/reports/answer-report.ts';
import { createAssignmentStore } from '../../src/store/assignment-store.ts';
import { StoreTimeoutError } from '../../src/store/collection.ts';
import { openTestEngine } from '../store/engines.ts';

const NOW = new Date('2026-11-26T10:00:00Z');

async function consoleOutput(lines: string[]): Promise<string> {
  const store = createAssignmentStore(await openTestEngine('console'));
  await store.init();
  await store.ingest(demoEvents(NOW));
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (c: Buffer) => chunks.push(c));
  await runConsole(
    async (text) =>
      answerText(
        await answerReport(
          { store, charts: quickchartPublisher('https://quickchart.io') },
          { text, zone: 'Asia/Kuala_Lumpur', now: NOW },
        ),
      ),
    { input: Readable.from(lines.map((l) => `${l}\n`)), output, interactive: false },
  );
  await store.close();
  return Buffer.concat(chunks).toString('utf8');
}

describe('the local console on demo data', () => {
  it('answers each line of piped input and ends with the input', async () => {
    const out = await consoleOutput([
      'yesterday source:workflow',
      'yesterday',
      '/assignments help',
      'sorce:x',
    ]);
    expect(out).toContain('Assignments · Yesterday, Wed 25 Nov 2026\nKuala Lumpur time (UTC+8)');
    expect(out).toContain('Filters: Source: Workflow');
    // One source draws no chart; all of them draw one, given as its URL.
    expect(out).toMatch(/^Chart \(Assignments by source\): https:\/\/quickchart\.io\/chart\?c=/m);
    expect(out).toContain('Usage: /assignments [range] [filters…]');
    expect(out).toContain('Error: Unknown filter `sorce:`. Did you mean `source:`?');
  });

  it('has demo data with all seven sources, several teams and reassignments', async () => {
    const events = demoEvents(NOW);
    expect(new Set(events.map((e) => e.source)).size).toBe(7);
    expect(new Set(events.map((e) => e.team?.name)).size).toBeGreaterThanOrEqual(3);
    expect(events.some((e) => e.assignee === null)).toBe(true);
    expect(events.every((e) => e.timestamp <= NOW)).toBe(true);
    const out = await consoleOutput(['last 30 days']);
    expect(out).toMatch(/Total: [\d,]{3,}/);
    expect(out).not.toContain('No assignments');
  });
});

describe('the local console when the store takes too long', () => {
  it('says so politely and goes on to the next line', async () => {
    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on('data', (c: Buffer) => chunks.push(c));
    let calls = 0;
    await runConsole(
      async () => {
        if (++calls === 1) throw new StoreTimeoutError('aggregate on assignments', 20_000);
        return 'second answer';
      },
      { input: Readable.from(['last 400 days\n', 'yesterday\n']), output, interactive: false },
    );
    expect(Buffer.concat(chunks).toString('utf8')).toBe(`${STORE_TOO_SLOW}\nsecond answer\n`);
  });
});
