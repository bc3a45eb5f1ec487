import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { quickchartPublisher } from '../../src/charts/chart-publisher.ts';
import { createConsoleAnswer } from '../../src/console/console-answer.ts';
import { demoEvents } from '../../src/demo/demo-events.ts';
import { answerReport } from '../../src/reports/answer-report.ts';
import { createAssignmentStore } from '../../src/store/assignment-store.ts';
import { createMemoryEngine } from '../../src/store/memory-engine.ts';

// The README's console examples come from the demo data: the numbers, conversation:88231 and contact:1234567.
// When the demo data or the answers change, this says which README line no longer matches.

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
/** What the README states: Sat 28 Nov 2026 at 10:00 in Kuala Lumpur. */
const NOW = new Date('2026-11-28T10:00:00+08:00');
const ZONE = 'Asia/Kuala_Lumpur';

/** The README's ```text block that starts with `firstLine`. */
function readmeBlock(firstLine: string): string[] {
  const start = README.indexOf(`\`\`\`text\n${firstLine}`);
  expect(start, `a text block starting "${firstLine}" in the README`).toBeGreaterThanOrEqual(0);
  const body = README.slice(start + '```text\n'.length);
  return body.slice(0, body.indexOf('```')).replace(/\n$/, '').split('\n');
}

/**
 * Whether `output` reads as the README shows it: line for line, where a README line `…` stands for any lines
 * left out, and a `…` inside a line for any text there (the chart URLs are shortened).
 */
function expectShownAs(output: string, shown: string[]): void {
  const lines = output.replace(/\n$/, '').split('\n');
  let at = 0;
  for (let i = 0; i < shown.length; i++) {
    const want = shown[i] ?? '';
    if (want === '…') {
      const next = shown[i + 1];
      if (next === undefined) return;
      while (at < lines.length && lines[at] !== next) at++;
      continue;
    }
    const got = lines[at] ?? '(no more lines)';
    if (want.includes('…')) {
      const [head = '', tail = ''] = want.split('…');
      expect(got.startsWith(head) && got.endsWith(tail), `line ${at + 1}: ${got}\nREADME: ${want}`).toBe(
        true,
      );
    } else expect(got, `line ${at + 1}`).toBe(want);
    at++;
  }
  expect(lines.slice(at), 'lines the README does not show').toEqual([]);
}

async function demoConsole(now: Date, zone: string) {
  const store = createAssignmentStore(createMemoryEngine(), () => now);
  await store.init();
  await store.ingest(demoEvents(now, zone));
  return {
    store,
    answer: createConsoleAnswer({
      store,
      charts: quickchartPublisher('https://quickchart.io'),
      zone,
      now: () => now,
    }),
  };
}

describe('the README’s console examples', () => {
  let demo: Awaited<ReturnType<typeof demoConsole>>;
  beforeAll(async () => {
    demo = await demoConsole(NOW, ZONE);
  });

  it('`yesterday` prints what the README shows', async () => {
    expectShownAs(await demo.answer('yesterday'), readmeBlock('Assignments · Yesterday, Fri 27 Nov 2026'));
  });

  it('the chart’s labels and alt text, as the README states them, are that answer’s', async () => {
    const answer = await answerReport(
      { store: demo.store, charts: quickchartPublisher('https://quickchart.io') },
      { text: 'yesterday', zone: ZONE, now: NOW },
    );
    if (answer.kind !== 'report' || !answer.chart) throw new Error(`no chart in a ${answer.kind} answer`);
    const label = /labelled "([^"]+)"/.exec(README)?.[1] ?? '(none)';
    const source = answer.chart.source;
    if (source.kind !== 'url') throw new Error('expected a QuickChart URL');
    expect(decodeURIComponent(source.url.replaceAll('+', ' '))).toContain(label);
    const alt = /its alt text reads\s+"([^"]+)…"/.exec(README)?.[1]?.replace(/\s*\n\s*/g, ' ') ?? '(none)';
    expect(answer.chart.alt.startsWith(alt.trim()), answer.chart.alt).toBe(true);
  });

  it('`conversation:88231` prints the README’s timeline, and `contact:1234567` the same story', async () => {
    expectShownAs(
      await demo.answer('conversation:88231'),
      readmeBlock('Assignment timeline — Conversation 88231 · Aisha Rahman (1234567)'),
    );
    expect(await demo.answer('contact:1234567')).toContain(
      'Assignment timeline — Contact Aisha Rahman (1234567)\nAll time · Kuala Lumpur time (UTC+8)\n\n5 assignments',
    );
  });

  it('comes out with the same numbers on another day, at another hour, in another zone', async () => {
    const numbers = (text: string) =>
      text
        .split('\n')
        .filter((l) => /^(Total|Developer API|Workflow|Bot|Zapier|User|Contact Import|Close)/.test(l))
        // The day it is compared with is named by its date, which moves with the run.
        .map((l) => l.replace(/ vs [^(]+\(/, ' vs ('));
    const readme = numbers(await demo.answer('yesterday'));
    for (const [iso, zone] of [
      ['2026-11-28T00:05:00+08:00', ZONE],
      ['2026-11-28T23:55:00+08:00', ZONE],
      ['2027-06-15T09:00:00-04:00', 'America/New_York'],
    ] as const) {
      const other = await demoConsole(new Date(iso), zone);
      expect(numbers(await other.answer('yesterday')), `${iso} ${zone}`).toEqual(readme);
    }
  });
});
