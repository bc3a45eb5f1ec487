import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { quickchartPublisher } from '../../src/charts/chart-publisher.ts';
import { answerText, runConsole } from '../../src/console/run-console.ts';
import { answerReport } from '../../src/reports/answer-report.ts';
import { answerTimelineText, isTimelineCommand } from '../../src/reports/answer-timeline.ts';
import { createAssignmentStore } from '../../src/store/assignment-store.ts';
import { makeEvent } from '../builders/event.ts';
import { openTestEngine } from '../store/engines.ts';

const NOW = new Date('2026-11-26T10:00:00Z');
const ZONE = 'Asia/Kuala_Lumpur';

describe('the local console answers a timeline', () => {
  it('routes conversation:/contact: alone to the timeline and anything else to the report, as src/main.ts does', async () => {
    const store = createAssignmentStore(await openTestEngine('console'));
    await store.init();
    await store.ingest([
      makeEvent({ id: 'a', timestamp: new Date('2026-11-25T08:00:00+08:00') }),
      makeEvent({
        id: 'b',
        timestamp: new Date('2026-11-25T09:30:00+08:00'),
        assignee: { id: 'u1', name: 'John Doe' },
      }),
    ]);
    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on('data', (c: Buffer) => chunks.push(c));
    const answer = async (text: string) => {
      const input = { text, zone: ZONE, now: NOW };
      if (isTimelineCommand(text)) return answerTimelineText({ store }, input);
      return answerText(
        await answerReport({ store, charts: quickchartPublisher('https://quickchart.io') }, input),
      );
    };
    const lines = [
      '/assignments conv:88231',
      'contact:1234567 yesterday',
      'yesterday conversation:88231 source:workflow',
    ];
    await runConsole(answer, {
      input: Readable.from(lines.map((l) => `${l}\n`)),
      output,
      interactive: false,
    });
    await store.close();
    const out = Buffer.concat(chunks).toString('utf8');
    expect(out).toContain(
      'Assignment timeline — Conversation 88231 · Aisha Rahman (1234567)\nAll time · Kuala Lumpur time (UTC+8)',
    );
    expect(out).toContain('1. 2026-11-25 08:00  Unassigned → Mei Tan · Workflow · held 1 h 30 min');
    // 09:30 on the 25th in Kuala Lumpur to 18:00 on the 26th.
    expect(out).toContain(
      '2. 2026-11-25 09:30  Mei Tan → John Doe · Workflow · still holding (1 d 8 h so far)',
    );
    expect(out).toContain(
      'Assignment timeline — Contact Aisha Rahman (1234567)\nYesterday, Wed 25 Nov 2026 · Kuala Lumpur time (UTC+8)',
    );
    expect(out).toContain(
      'Assignments · Yesterday, Wed 25 Nov 2026\nKuala Lumpur time (UTC+8) · Filters: Source: Workflow · Conversation: 88231',
    );
  });
});
