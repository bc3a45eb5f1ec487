import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/domain/report.ts';
import { type ChartImage, MAX_IMAGE_URL_LENGTH, quickchartUrl, reportChart } from '../../src/render/chart.ts';
import { errorMessage, helpMessage, reportMessage } from '../../src/render/report-blocks.ts';
import { EVERY_SOURCE, everyDay, LAST_30_DAYS, makeLogRow, makeReport, party } from '../builders/report.ts';

const HOSTILE = '<!channel> *x* <http://evil|y> @here &';

function chartOf(report: Report): ChartImage | undefined {
  const spec = reportChart(report);
  return spec && { source: { kind: 'url', url: quickchartUrl(spec) }, alt: spec.alt, title: spec.title };
}

function messageOf(report: Report, shareable = true) {
  return reportMessage(report, { chart: chartOf(report), shareable });
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

/** The controls of the report's actions block: [action id, label] of each button or menu option. */
function controlsOf(report: Report) {
  const [block] = messageOf(report).blocks.filter((b) => b.type === 'actions');
  const elements = block?.type === 'actions' ? block.elements : [];
  return elements.map((e) =>
    e.type === 'button'
      ? [e.action_id, e.text.text]
      : e.type === 'static_select'
        ? [e.action_id, (e.options ?? []).map((o) => o.text.text).join(' | ')]
        : [e.type],
  );
}

describe('reportMessage: the shortest path to the answer', () => {
  it('renders yesterday: header, total and change, sources in one line, one chart, buttons, log', () => {
    const message = messageOf(makeReport());
    expect(message).toMatchSnapshot();
    expect(message.blocks.map((b) => b.type)).toEqual([
      'header',
      'section',
      'context',
      'image',
      'actions',
      'divider',
      'section',
      'section',
      'section',
      'section',
      'context',
    ]);
  });

  it('carries the range in the header, without the year of the current year', () => {
    const [header] = messageOf(makeReport()).blocks;
    expect(header).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Assignments · Yesterday, Wed 25 Nov' },
    });
  });

  it('says the zone as people say it, and the filters', () => {
    const message = messageOf(makeReport({ filters: { sources: ['workflow', 'bot'], assignees: ['none'] } }));
    const text = JSON.stringify(message.blocks);
    expect(text).toContain(
      'Kuala Lumpur time (UTC+8) · Filters: Source: Workflow, Bot · Assigned To: Unassigned',
    );
    expect(text).not.toContain('Asia/Kuala_Lumpur*');
  });

  it('gives the total, its change against what it names, and the sources in one line, most first', () => {
    const message = messageOf(makeReport({ perDay: { bot: 80, workflow: 1_120 } }));
    expect(textsOf(message.blocks)).toContain(
      '*1,200 assignments* · +1,012 (+538%) vs Tue 24 Nov (188)\nWorkflow 1,120 (93%) · Bot 80 (7%)',
    );
    // No field grid and no pie: the eight numbers are not said three times.
    expect(JSON.stringify(message.blocks)).not.toContain('"fields"');
    expect(blocksOfType(makeReport(), 'image')).toHaveLength(1);
  });

  it('shows percentages that add up to 100', () => {
    const message = messageOf(makeReport({ perDay: { workflow: 1, bot: 1, user: 1 } }));
    const summary = textsOf(message.blocks).find((t) => t.includes('Workflow 1 ('));
    const percents = [...(summary ?? '').matchAll(/\((\d+)%\)/g)].map((m) => Number(m[1]));
    expect(percents).toEqual([34, 33, 33]);
  });

  it('shows the one chart with its numbers in the alt text, and none when one source holds everything', () => {
    const images = blocksOfType(makeReport(), 'image');
    expect(JSON.stringify(images)).toContain('Workflow 120 (60%), Bot 80 (40%)');
    expect(blocksOfType(makeReport({ perDay: { workflow: 5 } }), 'image')).toEqual([]);
  });

  it('shows a chart uploaded to Slack by its file, and says when a chart could not be drawn', () => {
    const report = makeReport();
    const uploaded = reportMessage(report, {
      chart: { source: { kind: 'slack_file', id: 'F0001' }, alt: 'alt', title: 'Assignments by source' },
      shareable: true,
    });
    expect(uploaded.blocks.find((b) => b.type === 'image')).toMatchObject({ slack_file: { id: 'F0001' } });
    const missing = reportMessage(report, { chart: undefined, chartMissing: true, shareable: true });
    expect(JSON.stringify(missing.blocks)).toContain('The chart could not be drawn here');
  });

  it('lists the latest 10 rows, newest first, as the log gave them', () => {
    const latest = Array.from({ length: 12 }, (_, i) =>
      makeLogRow({ conversationId: String(90000 + i), timestamp: new Date(Date.UTC(2026, 10, 25, 12 - i)) }),
    );
    const text = JSON.stringify(messageOf(makeReport({ latest })).blocks);
    expect(text).toContain('*Latest 10 of 200*');
    expect(text).toContain('conv 90009');
    expect(text).not.toContain('conv 90010');
  });

  it('writes a row in two short lines: the time (one day), conversation and contact name; then the handover', () => {
    const row = makeLogRow({
      timestamp: new Date('2026-11-25T02:02:51Z'),
      source: 'user',
      assignedBy: party('u9', 'Sarah Lee'),
    });
    const texts = textsOf(messageOf(makeReport({ latest: [row] })).blocks);
    expect(texts).toContain('*10:02* · conv 88231 · Aisha Rahman\nJohn Doe → Mei Tan · User · by Sarah Lee');
    // The contact id has gone from the row (it is in the export and the timeline).
    expect(texts.join('\n')).not.toContain('1234567');
  });

  it('writes nobody as Unassigned on both sides of a handover', () => {
    const texts = textsOf(messageOf(makeReport()).blocks);
    expect(texts).toContain('*18:02* · conv 88231 · Aisha Rahman\nMei Tan → _Unassigned_ · Bot');
    expect(texts).toContain('*10:02* · Ben Lim\n_Unassigned_ → John Doe · Workflow');
    expect(texts.join('\n')).not.toContain('- →');
  });

  it('puts the day on each row of a longer range', () => {
    const row = makeLogRow({ timestamp: new Date('2026-11-25T02:02:51Z') });
    const texts = textsOf(messageOf(makeReport({ range: LAST_30_DAYS, latest: [row] })).blocks);
    expect(texts).toContain('*25 Nov 10:02* · conv 88231 · Aisha Rahman\nJohn Doe → Mei Tan · Workflow');
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

  it('keeps the image URL under the limit over 30 and 400 days with every source', () => {
    const long = { kind: 'last_days', days: 400 } as const;
    const reports = [
      makeReport({ range: LAST_30_DAYS, perDay: EVERY_SOURCE }),
      makeReport({ range: long, counts: everyDay(long, EVERY_SOURCE) }),
    ];
    for (const report of reports) {
      const images = messageOf(report).blocks.flatMap((b) =>
        b.type === 'image' && 'image_url' in b ? [b] : [],
      );
      expect(images).toHaveLength(1);
      for (const image of images) expect(image.image_url.length).toBeLessThan(MAX_IMAGE_URL_LENGTH);
    }
  });

  it('replaces the chart and log with the notice when nothing was assigned, and offers no Share or Export', () => {
    const report = makeReport({ perDay: {}, previousTotal: 0 });
    const message = messageOf(report);
    expect(message).toMatchSnapshot();
    expect(message.blocks.some((b) => b.type === 'image')).toBe(false);
    expect(JSON.stringify(message.blocks)).toContain(':warning: No assignments in this range.');
    expect(JSON.stringify(message.blocks)).not.toContain('Latest');
    expect(message.text).toContain('No assignments in this range.');
    const ids = controlsOf(report).map(([id]) => id);
    expect(ids).not.toContain('report_share');
    expect(ids).not.toContain('report_export');
  });

  it('shows a filter that cannot apply, prominently', () => {
    const report = makeReport({ filters: { sources: ['workflow'], assignedBy: ['Sarah Lee'] }, perDay: {} });
    const [, notice] = messageOf(report).blocks;
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

  it('offers Log and By agent first, the four By views in one menu, Export, and Share last', () => {
    const report = makeReport({ filters: { sources: ['workflow'] } });
    expect(controlsOf(report)).toEqual([
      ['report_view_log', 'Log'],
      ['report_view_agent', 'By agent'],
      ['report_view_menu', 'By agent | By team | By source | By day'],
      ['report_export', 'Export CSV'],
      ['report_share', 'Share to channel'],
    ]);
    const [block] = messageOf(report).blocks.filter((b) => b.type === 'actions');
    const elements = block?.type === 'actions' ? block.elements : [];
    const values = elements.map((e) => (e.type === 'button' ? e.value : undefined));
    // Share and Export carry the command with yesterday pinned to its date; the views add what they show.
    expect(values.at(-1)).toBe('/assignments 2026-11-25 source:workflow');
    expect(values[3]).toBe('/assignments 2026-11-25 source:workflow');
    expect(JSON.parse(values[1] ?? '')).toEqual({
      c: '/assignments 2026-11-25 source:workflow',
      v: 'agent',
      p: 1,
    });
    const menu = elements.find((e) => e.type === 'static_select');
    const options = menu?.type === 'static_select' ? (menu.options ?? []) : [];
    expect(JSON.parse(options[1]?.value ?? '')).toEqual({
      c: '/assignments 2026-11-25 source:workflow',
      v: 'team',
      p: 1,
    });
    for (const option of options) expect(option.value?.length ?? 0).toBeLessThanOrEqual(150);
  });

  it('puts the By views on buttons when a state is too long for a menu option', () => {
    const report = makeReport({ filters: { assignees: [`A${'x'.repeat(150)}`] } });
    expect(controlsOf(report).map(([id]) => id)).toEqual([
      'report_view_log',
      'report_view_agent',
      'report_view_team',
      'report_view_source',
      'report_view_day',
      'report_export',
      'report_share',
    ]);
  });

  it('offers no buttons to a shared report, and says at its top who shared it', () => {
    const shared = reportMessage(makeReport(), { chart: undefined, shareable: false, sharedBy: 'U42' });
    expect(shared.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(shared.blocks[0]).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'Shared by <@U42>' }],
    });
  });

  it('leaves out the buttons whose value would not fit, rather than cutting a command', () => {
    const long = makeReport({ filters: { assignees: [`A${'x'.repeat(2100)}`] } });
    expect(messageOf(long).blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('gives a plain fallback text with the numbers', () => {
    expect(messageOf(makeReport()).text).toBe(
      'Assignments, Yesterday, Wed 25 Nov 2026: 200 (+12 (+6%) vs Tue 24 Nov (188)). Workflow 120 (60%) · Bot 80 (40%).',
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
