import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/domain/report.ts';
import { MAX_IMAGE_URL_LENGTH, sourceCharts } from '../../src/render/chart.ts';
import { errorMessage, helpMessage, reportMessage } from '../../src/render/report-blocks.ts';
import { EVERY_SOURCE, everyDay, LAST_30_DAYS, makeLogRow, makeReport, party } from '../builders/report.ts';

const HOSTILE = '<!channel> *x* <http://evil|y> @here &';

function messageOf(report: Report, shareable = true) {
  return reportMessage(report, { charts: sourceCharts(report), shareable });
}

/** Every `text` string anywhere in a message, the values Slack limits to 3,000 characters. */
function textsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(textsOf);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) =>
    key === 'text' && typeof v === 'string' ? [v] : textsOf(v),
  );
}

function blocksOfType(report: Report, type: string) {
  return messageOf(report).blocks.filter((b) => b.type === type);
}

describe('reportMessage', () => {
  it('renders yesterday with charts, the log and the share button', () => {
    expect(messageOf(makeReport())).toMatchSnapshot();
  });

  it('states the resolved range with its zone, and the filters', () => {
    const message = messageOf(makeReport({ filters: { sources: ['workflow', 'bot'], assignees: ['none'] } }));
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('*Yesterday, Wed 25 Nov 2026, Asia/Kuala_Lumpur*');
    expect(text).toContain('Filters: Source: Workflow, Bot · Assigned To: Unassigned');
  });

  it('shows each non-zero source with its count and percentage', () => {
    const message = messageOf(makeReport());
    const fields = textsOf(message.blocks).filter((t) => /^\*\w[\w ]*\*\n\d/.test(t));
    expect(fields).toEqual(['*Workflow*\n120 · 60%', '*Bot*\n80 · 40%']);
    expect(JSON.stringify(message.blocks)).toContain('*200 assignments* · +12 (+6%) vs the day before (188)');
  });

  it('shows percentages that add up to 100', () => {
    const message = messageOf(makeReport({ perDay: { workflow: 1, bot: 1, user: 1 } }));
    const percents = textsOf(message.blocks).flatMap((t) => [...t.matchAll(/^\*[\w ]+\*\n\d+ · (\d+)%$/g)]);
    expect(percents.map((m) => Number(m[1]))).toEqual([34, 33, 33]);
  });

  it('adds the bar and pie charts as images with their numbers in the alt text', () => {
    const images = blocksOfType(makeReport(), 'image');
    expect(images).toHaveLength(2);
    expect(JSON.stringify(images)).toContain('Workflow 120 (60%), Bot 80 (40%)');
  });

  it('lists the latest 10 rows, newest first, as the log gave them', () => {
    const latest = Array.from({ length: 12 }, (_, i) =>
      makeLogRow({ conversationId: String(90000 + i), timestamp: new Date(Date.UTC(2026, 10, 25, 12 - i)) }),
    );
    const text = JSON.stringify(messageOf(makeReport({ latest })).blocks);
    expect(text).toContain('*Latest 10 of 200* · times in Asia/Kuala_Lumpur');
    expect(text).toContain('conv 90009');
    expect(text).not.toContain('conv 90010');
  });

  it('writes a row with all eight columns, times in the report zone', () => {
    const row = makeLogRow({
      timestamp: new Date('2026-11-25T02:02:51Z'),
      source: 'user',
      assignedBy: party('u9', 'Sarah Lee'),
    });
    const texts = textsOf(messageOf(makeReport({ latest: [row] })).blocks);
    expect(texts).toContain(
      '*25 Nov 10:02* · conv 88231 · Aisha Rahman (1234567)\nJohn Doe → Mei Tan · User · by Sarah Lee',
    );
  });

  it('writes an unassignment as Unassigned and a first assignment from "-"', () => {
    const texts = textsOf(messageOf(makeReport()).blocks);
    expect(texts).toContain(
      '*25 Nov 18:02* · conv 88231 · Aisha Rahman (1234567)\nMei Tan → _Unassigned_ · Bot',
    );
    expect(texts).toContain('*25 Nov 10:02* · Ben Lim (1234570)\n- → John Doe · Workflow');
  });

  it('keeps hostile names inert and stays within Block Kit limits', () => {
    const name = HOSTILE.repeat(6).slice(0, 200);
    const latest = Array.from({ length: 10 }, () =>
      makeLogRow({
        conversationId: name,
        contact: party(name, name),
        previousAssignee: party('p', name),
        assignee: party('a', name),
        source: 'user',
        assignedBy: party('b', name),
      }),
    );
    const message = messageOf(makeReport({ latest }));
    const json = JSON.stringify(message);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    for (const text of textsOf(message)) expect(text.length).toBeLessThanOrEqual(3000);
    expect(message.text.length).toBeLessThanOrEqual(3000);
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<http');
    expect(json).not.toContain('@here');
    expect(json).not.toMatch(/(^|\s)\*x\*/);
  });

  it('keeps hostile filter values inert where the filters are echoed', () => {
    const message = messageOf(makeReport({ filters: { contacts: [HOSTILE] } }));
    const [filters] = textsOf(message.blocks).filter((t) => t.includes('Filters:'));
    expect(filters).toBeDefined();
    expect(filters).not.toContain('<');
    expect(filters).not.toContain('@here');
    expect(filters).toContain('Contact: &lt;!\u2060channel\u2060&gt;');
  });

  it('keeps every image URL under the limit over 30 and 400 days with every source', () => {
    const long = { kind: 'last_days', days: 400 } as const;
    const reports = [
      makeReport({ range: LAST_30_DAYS, perDay: EVERY_SOURCE }),
      makeReport({ range: long, counts: everyDay(long, EVERY_SOURCE) }),
    ];
    for (const report of reports) {
      const images = messageOf(report).blocks.flatMap((b) =>
        b.type === 'image' && 'image_url' in b ? [b] : [],
      );
      expect(images).toHaveLength(2);
      for (const image of images) expect(image.image_url.length).toBeLessThan(MAX_IMAGE_URL_LENGTH);
    }
  });

  it('replaces charts and log with the notice when nothing was assigned', () => {
    const report = makeReport({ perDay: {}, previousTotal: 0 });
    const message = messageOf(report);
    expect(message).toMatchSnapshot();
    expect(message.blocks.some((b) => b.type === 'image')).toBe(false);
    expect(JSON.stringify(message.blocks)).toContain(':warning: No assignments in this range.');
    expect(JSON.stringify(message.blocks)).not.toContain('Latest');
    expect(message.text).toContain('No assignments in this range.');
  });

  it('shows a filter that cannot apply, prominently', () => {
    const report = makeReport({ filters: { sources: ['workflow'], assignedBy: ['Sarah Lee'] }, perDay: {} });
    const [, , notice] = messageOf(report).blocks;
    expect(JSON.stringify(notice)).toContain('Not applicable here: `by:` (Assigned By User)');
  });

  it('ends with the counting rule and the command that reproduces the report', () => {
    const report = makeReport({ filters: { assignees: ['Mei Tan'] } });
    const texts = textsOf(messageOf(report).blocks);
    expect(texts).toContain(
      'Unassignments count as assignments; a returning contact who keeps the same assignee does not.',
    );
    expect(texts).toContain('Reproduce: `/assignments yesterday assignee:"Mei Tan"`');
  });

  it('offers Share to channel with the command only when shareable', () => {
    const report = makeReport();
    const actions = messageOf(report, true).blocks.filter((b) => b.type === 'actions');
    expect(actions).toHaveLength(1);
    const [share] = actions[0]?.type === 'actions' ? actions[0].elements : [];
    expect(share).toEqual({
      type: 'button',
      action_id: 'report_share',
      text: { type: 'plain_text', text: 'Share to channel' },
      // Pinned to the date on screen, so a press after midnight shares the same days.
      value: '/assignments 2026-11-25',
    });
    expect(messageOf(report, false).blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('offers Log, By agent, By team, By source, By day and Export CSV beside Share', () => {
    const report = makeReport({ filters: { sources: ['workflow'] } });
    const [block] = messageOf(report).blocks.filter((b) => b.type === 'actions');
    const buttons = block?.type === 'actions' ? block.elements : [];
    expect(buttons.map((b) => (b.type === 'button' ? [b.action_id, b.text.text] : []))).toEqual([
      ['report_share', 'Share to channel'],
      ['report_view_log', 'Log'],
      ['report_view_agent', 'By agent'],
      ['report_view_team', 'By team'],
      ['report_view_source', 'By source'],
      ['report_view_day', 'By day'],
      ['report_export', 'Export CSV'],
    ]);
    const values = buttons.map((b) => (b.type === 'button' ? b.value : undefined));
    // Share and Export carry the command with yesterday pinned to its date; the views add what they show.
    expect(values[0]).toBe('/assignments 2026-11-25 source:workflow');
    expect(values[6]).toBe('/assignments 2026-11-25 source:workflow');
    expect(JSON.parse(values[2] ?? '')).toEqual({
      c: '/assignments 2026-11-25 source:workflow',
      v: 'agent',
      p: 1,
    });
  });

  it('leaves out the buttons whose value would not fit, rather than cutting a command', () => {
    const long = makeReport({ filters: { assignees: [`A${'x'.repeat(2100)}`] } });
    expect(messageOf(long).blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('gives a plain fallback text with the numbers', () => {
    expect(messageOf(makeReport()).text).toBe(
      'Assignments, Yesterday, Wed 25 Nov 2026, Asia/Kuala_Lumpur: 200 (+12 (+6%) vs the day before (188)). Workflow 120 (60%), Bot 80 (40%).',
    );
  });
});

describe('errorMessage', () => {
  it('escapes what the user typed', () => {
    const message = errorMessage("I don't understand `<!here>`.");
    expect(message.text).toBe("I don't understand `&lt;!here&gt;`.");
    expect(JSON.stringify(message.blocks)).not.toContain('<!here>');
  });
});

describe('helpMessage', () => {
  it('explains the grammar with examples', () => {
    const message = helpMessage();
    expect(message).toMatchSnapshot();
    const text = textsOf(message.blocks).join('\n');
    for (const word of [
      '/assignments [range] [filters…]',
      'last 7 days',
      'this month',
      '2026-11-01..2026-11-15',
      'source:workflow,bot',
      'close_conversation',
      'assignee:none',
      'to:',
      'by:',
      'conv:',
      'team:',
      'assignee:"Mei Tan"',
      '/assignments help',
    ]) {
      expect(text).toContain(word);
    }
    for (const t of textsOf(message)) expect(t.length).toBeLessThanOrEqual(3000);
  });
});
