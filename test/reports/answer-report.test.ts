import { describe, expect, it } from 'vitest';
import { quickchartPublisher } from '../../src/charts/chart-publisher.ts';
import { answerReport, type ReportAnswer } from '../../src/reports/answer-report.ts';
import { createAssignmentStore } from '../../src/store/assignment-store.ts';
import { JOHN, makeEvent } from '../builders/event.ts';
import { openTestEngine } from '../store/engines.ts';

/** Thursday 26 Nov 2026: 18:00 in Kuala Lumpur, 05:00 in New York. */
const NOW = new Date('2026-11-26T10:00:00Z');
const REQUESTER_ZONE = 'Asia/Kuala_Lumpur';

async function answer(text: string): Promise<ReportAnswer> {
  const store = createAssignmentStore(await openTestEngine('answer'));
  await store.init();
  try {
    await store.ingest([
      // Wed 25 Nov 10:00 in Kuala Lumpur; Tue 24 Nov 21:00 in New York.
      makeEvent({ id: 'kl-yesterday', timestamp: new Date('2026-11-25T02:00:00Z') }),
      // Thu 26 Nov 04:00 in Kuala Lumpur; Wed 25 Nov 15:00 in New York.
      makeEvent({ id: 'ny-yesterday', timestamp: new Date('2026-11-25T20:00:00Z'), assignee: JOHN }),
    ]);
    return await answerReport(
      { store, charts: quickchartPublisher('https://quickchart.io') },
      { text, zone: REQUESTER_ZONE, now: NOW },
    );
  } finally {
    await store.close();
  }
}

function reportOf(result: ReportAnswer) {
  if (result.kind !== 'report') throw new Error(`expected a report, got ${JSON.stringify(result)}`);
  return result.report;
}

describe('answerReport with a time zone in the text', () => {
  it("counts the days of the requester's zone when none is given", async () => {
    const report = reportOf(await answer('yesterday'));
    expect(report.range.zone).toBe('Asia/Kuala_Lumpur');
    expect(report.total).toBe(1);
    expect(report.latest.map((r) => r.assignee?.name)).toEqual(['Mei Tan']);
    expect(report.command).toBe('/assignments yesterday');
  });

  it('counts the days of the zone given, and echoes it in the reproducing command', async () => {
    const report = reportOf(await answer('yesterday tz:America/New_York'));
    expect(report.range.zone).toBe('America/New_York');
    expect(report.range.label).toBe('Yesterday, Wed 25 Nov 2026');
    expect(report.range.from.toISOString()).toBe('2026-11-25T05:00:00.000Z');
    expect(report.total).toBe(1);
    expect(report.latest.map((r) => r.assignee?.name)).toEqual(['John Doe']);
    expect(report.command).toBe('/assignments yesterday tz:America/New_York');
  });

  it('writes the zone as the runtime spells it, so the command works on MongoDB too', async () => {
    const report = reportOf(await answer('zone:america/new_york 2026-11-25'));
    expect(report.command).toBe('/assignments 2026-11-25 tz:America/New_York');
    expect(report.total).toBe(1);
  });

  it('answers an unknown zone with the parser error instead of a report', async () => {
    expect(await answer('yesterday tz:America/New_Yrok')).toEqual({
      kind: 'error',
      message:
        'Unknown time zone `America/New_Yrok`. Did you mean `tz:America/New_York`? Use an IANA name such as `tz:Asia/Kuala_Lumpur` or `tz:America/New_York`.',
    });
  });
});
