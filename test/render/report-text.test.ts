import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/domain/report.ts';
import { quickchartUrl, reportChart } from '../../src/render/chart.ts';
import { helpText, reportText } from '../../src/render/report-text.ts';
import { LAST_7_DAYS, makeLogRow, makeReport, party } from '../builders/report.ts';

function textOf(report: Report): string {
  const spec = reportChart(report);
  const chart = spec && {
    source: { kind: 'url' as const, url: quickchartUrl(spec) },
    alt: spec.alt,
    title: spec.title,
  };
  return reportText(report, { chart });
}

describe('reportText', () => {
  it('renders yesterday for the console', () => {
    expect(textOf(makeReport())).toMatchSnapshot();
  });

  it('renders a week with a user assignment and filters', () => {
    const report = makeReport({
      range: LAST_7_DAYS,
      perDay: { workflow: 3, user: 1 },
      previousTotal: 30,
      filters: { teams: ['Support'] },
      latest: [makeLogRow({ source: 'user', assignedBy: party('u9', 'Sarah Lee') })],
    });
    expect(textOf(report)).toMatchSnapshot();
  });

  it('states the range and zone, the total and its change', () => {
    const text = textOf(makeReport());
    expect(text).toContain(
      'Assignments · Yesterday, Wed 25 Nov 2026\nKuala Lumpur time (UTC+8) · Filters: none',
    );
    expect(text).toContain('Total: 200 · +12 (+6%) vs Tue 24 Nov (188)');
  });

  it('aligns counts and percentages per source, most first, with thousands separators', () => {
    const lines = textOf(makeReport({ perDay: { bot: 1_200, workflow: 120 } })).split('\n');
    const start = lines.indexOf('Source    Count     %');
    expect(lines.slice(start, start + 4)).toEqual([
      'Source    Count     %',
      'Bot       1,200   91%',
      'Workflow    120    9%',
      'Total     1,320  100%',
    ]);
  });

  it('labels the one chart with what it draws', () => {
    const text = textOf(makeReport());
    expect(text).toMatch(/^Chart \(Assignments by source\): https:\/\/quickchart\.io\/chart\?c=/m);
    expect(text).not.toContain('Pie chart');
  });

  it('prints the path of a chart drawn to a file', () => {
    const text = reportText(makeReport(), {
      chart: {
        source: { kind: 'file', path: '/tmp/charts/001-assignments-by-source.png' },
        alt: '',
        title: 'Assignments by source',
      },
    });
    expect(text).toContain('Chart (Assignments by source): /tmp/charts/001-assignments-by-source.png');
  });

  it('prints the log with the eight seed columns, times in the report zone', () => {
    const text = textOf(makeReport());
    expect(text).toMatch(
      /^Timestamp {12}Conversation ID {2}Contact ID {2}Contact Name {2}Previous Assignee {2}Assigned To {2}Source {4}Assigned By$/m,
    );
    expect(text).toMatch(/^2026-11-25 18:02:51 {2}88231 .*Mei Tan +Unassigned +Bot +-$/m);
    // Nobody is Unassigned on either side.
    expect(text).toMatch(/^2026-11-25 10:02:51 .*Ben Lim +Unassigned +John Doe +Workflow/m);
  });

  it('strips control characters from names and cuts long ones', () => {
    const name = `Evil\u001b[31m\nName\u202e${'x'.repeat(100)}`;
    const text = textOf(makeReport({ latest: [makeLogRow({ contact: party('1', name) })] }));
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u202e');
    expect(text).toContain(`Evil[31m Name${'x'.repeat(18)}…`);
  });

  it('shows the notice instead of charts and log when nothing was assigned', () => {
    const text = textOf(makeReport({ perDay: {}, previousTotal: 0 }));
    expect(text).toContain('! No assignments in this range.');
    expect(text).not.toContain('Chart (');
    expect(text).not.toContain('Timestamp');
  });

  it('ends with the counting rule and the command', () => {
    const text = textOf(makeReport());
    expect(
      text.endsWith(
        'Unassignments count as assignments; a returning contact who keeps the same assignee does not.\nReproduce: /assignments yesterday\n',
      ),
    ).toBe(true);
  });
});

describe('helpText', () => {
  it('explains the same grammar as the Slack help', () => {
    const text = helpText();
    expect(text).toMatchSnapshot();
    expect(text).toContain('Usage: /assignments [range] [filters…]');
    expect(text).toContain('2026-11-01..2026-11-15');
    expect(text).toContain('assignee:none');
  });
});
