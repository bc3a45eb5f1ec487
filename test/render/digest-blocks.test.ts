import { describe, expect, it } from 'vitest';
import type { DigestMarks } from '../../src/domain/digest.ts';
import { type DigestData, summarizeDigest } from '../../src/domain/digest-summary.ts';
import type { Party } from '../../src/domain/event.ts';
import type { ReportFilters } from '../../src/domain/filters.ts';
import { MAX_BLOCKS, MAX_HEADER, MAX_TEXT } from '../../src/render/block-parts.ts';
import { MAX_IMAGE_URL_LENGTH, PALE_COLOR, quickchartUrl, TOTAL_COLOR } from '../../src/render/chart.ts';
import { BOUNCED_SHOWN, digestChartSpec, digestMessages } from '../../src/render/digest-blocks.ts';
import { conversation, countsOn, JOHN, MEI, makeDigestData, PRIYA } from '../builders/digest.ts';
import { makeLogRow, party } from '../builders/report.ts';

const ON_TIME: DigestMarks = { test: false, delayedBy: null };
const J = '\u2060';

type Overrides = Omit<Partial<DigestData>, 'filters'> & { filters?: Partial<ReportFilters> };

/**
 * Support's Thursday: 200 assignments (Workflow 140, Bot 60) against 90 the day before and a 4-week Thursday
 * average of 150 (Workflow 100, Bot 50); one bounce, one open conversation left unassigned and one closed, Mei Tan
 * at 1.7× the team mean, two log rows.
 */
function busyDay(overrides: Overrides = {}): DigestData {
  return makeDigestData({
    counts: [
      ...countsOn(0, { workflow: 140, bot: 60 }),
      ...countsOn(1, { workflow: 90 }),
      ...[7, 14, 21, 28].flatMap((d) => countsOn(d, { workflow: 100, bot: 50 })),
    ],
    byAgent: [
      { agent: MEI, count: 110 },
      { agent: JOHN, count: 50 },
      { agent: PRIYA, count: 30 },
      { agent: null, count: 10 },
    ],
    conversations: [
      conversation('88231', [MEI, JOHN, MEI]),
      conversation('88620', [PRIYA, null]),
      conversation('88700', [JOHN, null], { source: 'user' }),
    ],
    latest: [
      makeLogRow({ timestamp: new Date('2026-11-26T15:00:00Z'), assignee: null, previousAssignee: PRIYA }),
      makeLogRow({
        timestamp: new Date('2026-11-26T01:15:00Z'),
        source: 'user',
        assignedBy: party('u9', 'Sarah Lee'),
      }),
    ],
    ...overrides,
  });
}

function messagesOf(data: DigestData, marks: DigestMarks = ON_TIME, teamLabel?: string) {
  const summary = summarizeDigest(data);
  const spec = digestChartSpec(summary);
  return digestMessages(summary, {
    chart: spec && { source: { kind: 'url', url: quickchartUrl(spec) }, alt: spec.alt, title: spec.title },
    marks,
    ...(teamLabel === undefined ? {} : { teamLabel }),
  });
}

/** Every mrkdwn or plain `text` string anywhere in a message. */
function textsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(textsOf);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) =>
    key === 'text' && typeof v === 'string' ? [v] : textsOf(v),
  );
}

/** The message's blocks as plain records, to read their fields without casts. */
function blocksOf(message: { blocks: unknown[] }): Record<string, unknown>[] {
  return message.blocks.flatMap((b) => (typeof b === 'object' && b !== null ? [{ ...b }] : []));
}

function allText(message: { blocks: unknown[] }): string {
  return textsOf(message.blocks).join('\n');
}

describe('digestMessages: a day with assignments', () => {
  it('renders one main message and the log excerpt for its thread', () => {
    const composed = messagesOf(busyDay());
    expect(composed.empty).toBe(false);
    expect(composed).toMatchSnapshot();
  });

  it('leads with what needs action: headline, needs a look, agents, sources in one line, chart, buttons', () => {
    const texts = textsOf(messagesOf(busyDay()).main.blocks);
    const at = (needle: string) => texts.findIndex((t) => t.includes(needle));
    const order = [
      '*200 assignments* for Support yesterday',
      'Left unassigned, still open',
      '*Bounced*',
      '*Heavy load*',
      '*By agent*',
      '*By source*',
      'Log',
      'Reproduce:',
    ].map(at);
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const types = blocksOf(messagesOf(busyDay()).main).map((b) => b.type);
    expect(types.indexOf('image')).toBeGreaterThan(at('*By source*') - 1);
  });

  it('heads with the total and both comparisons, in numbers', () => {
    const text = allText(messagesOf(busyDay()).main);
    expect(text).toContain('*200 assignments* for Support yesterday');
    expect(text).toContain('+110 (+122%) vs Wed 25 Nov (90)');
    expect(text).toContain('+50 (+33%) vs the 4-week Thursday average (150)');
  });

  it('calls out the source that moved sharply, in one line', () => {
    const callouts = textsOf(messagesOf(busyDay()).main.blocks)
      .flatMap((t) => t.split('\n'))
      .filter((t) => t.includes('_trend:'));
    expect(callouts).toEqual([
      ':chart_with_upwards_trend: *Workflow +40%* vs the 4-week Thursday average (140 vs 100)',
    ]);
  });

  it('has no callout when nothing moved sharply', () => {
    const calm = busyDay({
      counts: [...countsOn(0, { workflow: 100 }), ...[7, 14].flatMap((d) => countsOn(d, { workflow: 90 }))],
    });
    const text = allText(messagesOf(calm).main);
    expect(text).not.toContain('_trend:');
    expect(text).toContain('+10 (+11%) vs the 2-week Thursday average (90)');
  });

  it('words a source new on this weekday, and a comparison with a single week', () => {
    const fresh = busyDay({
      counts: [...countsOn(0, { zapier: 12, workflow: 5 }), ...countsOn(7, { workflow: 4 })],
    });
    const text = allText(messagesOf(fresh).main);
    expect(text).toContain(':chart_with_upwards_trend: *Zapier 12* after none on last Thursday');
    expect(text).toContain('+13 (+325%) vs last Thursday (4)');
  });

  it('gives the sources in one line, and a chart of the day in one colour against the pale average', () => {
    const main = messagesOf(busyDay()).main;
    expect(textsOf(main.blocks)).toContain('*By source* · Workflow 140 (70%) · Bot 60 (30%)');
    expect(JSON.stringify(main.blocks)).not.toContain('"fields"');
    const [image] = blocksOf(main).filter((b) => b.type === 'image');
    expect(image?.alt_text).toBe(
      'Assignments by source, Thu 26 Nov: Workflow 140 (70%), Bot 60 (30%). Total 200. 4-week Thursday average: Workflow 100, Bot 50.',
    );
    const url = String(image?.image_url);
    expect(url.length).toBeLessThan(MAX_IMAGE_URL_LENGTH);
    const config = new URL(url).searchParams.get('c') ?? '';
    expect(config).toContain("labels:['Workflow','Bot']");
    expect(config).toContain(`label:'Thu 26 Nov',data:[140,60],backgroundColor:'${TOTAL_COLOR}'`);
    expect(config).toContain(`label:'4-week Thursday average',data:[100,50],backgroundColor:'${PALE_COLOR}'`);
  });

  it('offers Log, By agent and Export CSV for the day, carrying its reproducing command', () => {
    const [actions] = blocksOf(messagesOf(busyDay()).main).filter((b) => b.type === 'actions');
    const elements = Array.isArray(actions?.elements) ? actions.elements : [];
    const buttons = elements.map((e) => JSON.parse(JSON.stringify(e)));
    expect(buttons.map((b) => [b.action_id, b.text.text])).toEqual([
      ['report_view_log', 'Log'],
      ['report_view_agent', 'By agent'],
      ['report_export', 'Export CSV'],
    ]);
    expect(JSON.parse(buttons[0].value)).toEqual({
      c: '/assignments 2026-11-26 team:Support tz:Asia/Kuala_Lumpur',
      v: 'log',
      p: 1,
    });
    expect(buttons[2].value).toBe('/assignments 2026-11-26 team:Support tz:Asia/Kuala_Lumpur');
  });

  it("gives each agent's count, share and load against the team mean, then the unassignments", () => {
    const text = allText(messagesOf(busyDay()).main);
    expect(text).toContain(
      [
        '*By agent* · 3 agents · team mean 63.3',
        'Mei Tan · 110 · 55% · 1.7× the team mean',
        'John Doe · 50 · 25% · 0.8× the team mean',
        'Priya Nair · 30 · 15% · 0.5× the team mean',
        '_Unassigned_ · 10 · 5%',
      ].join('\n'),
    );
  });

  it('lists what needs a look: open conversations left unassigned, bounces, heavy loads', () => {
    const text = allText(messagesOf(busyDay()).main);
    expect(text).toContain(
      ':warning: *Left unassigned, still open* · 1 at the end of the day\nconv 88700 (Aisha Rahman) · since 09:03 · User · was John Doe',
    );
    expect(text).toContain(
      ':repeat: *Bounced* · 1 (3+ moves in the day, or back to an agent they left)\nconv 88231 (Aisha Rahman) · Mei Tan → John Doe → Mei Tan · 2 moves, back to Mei Tan',
    );
    expect(text).toContain(
      ':scales: *Heavy load* · 1 agent at 1.5× the team mean (63.3) or more\nMei Tan · 110 · 1.7× the team mean',
    );
  });

  it('counts closed conversations left unassigned, without listing them: they need no action', () => {
    const text = allText(messagesOf(busyDay()).main);
    expect(text).toContain('1 closed conversation ended the day unassigned: no action needed.');
    expect(text).not.toContain('conv 88620');
  });

  it('says nothing needs a look when nothing does', () => {
    const calm = busyDay({
      conversations: [conversation('88620', [PRIYA, null])],
      byAgent: [
        { agent: MEI, count: 100 },
        { agent: JOHN, count: 100 },
      ],
    });
    const text = allText(messagesOf(calm).main);
    expect(text).toContain('*Needs a look:* nothing.');
    expect(text).not.toContain('*Bounced*');
  });

  it('caps the bounced list and says how many more', () => {
    const many = Array.from({ length: 14 }, (_, i) => conversation(String(90000 + i), [MEI, JOHN, MEI]));
    const text = allText(messagesOf(busyDay({ conversations: many })).main);
    expect(text).toContain('*Bounced* · 14');
    expect(text).toContain(`conv ${90000 + BOUNCED_SHOWN - 1} `);
    expect(text).not.toContain(`conv ${90000 + BOUNCED_SHOWN} `);
    expect(text).toContain('…and 4 more');
  });

  it('ends with the team, filters, zone and the command that reproduces the numbers', () => {
    const main = messagesOf(busyDay({ filters: { sources: ['workflow', 'bot'] } })).main;
    const footer = blocksOf(main).at(-1);
    expect(footer?.type).toBe('context');
    expect(textsOf(footer?.elements)).toEqual([
      'Team: Support · Filters: Source: Workflow, Bot · Kuala Lumpur time (UTC+8)',
      'Unassignments count as assignments; a returning contact who keeps the same assignee does not.',
      'Reproduce: `/assignments 2026-11-26 source:workflow,bot team:Support tz:Asia/Kuala_Lumpur`',
      'The latest log rows are in the thread.',
    ]);
  });

  it('puts the latest log rows in the thread, times in the digest zone', () => {
    const { thread } = messagesOf(busyDay());
    expect(thread?.text).toBe('Latest 2 of 200 assignments for Support, Thu 26 Nov 2026.');
    expect(textsOf(thread?.blocks)).toEqual([
      '*Latest 2 of 200* for Support · Kuala Lumpur time (UTC+8)',
      '*23:00* · conv 88231 · Aisha Rahman\nPriya Nair → _Unassigned_ · Workflow',
      '*09:15* · conv 88231 · Aisha Rahman\nJohn Doe → Mei Tan · User · by Sarah Lee',
    ]);
  });

  it('has no thread when there are no log rows', () => {
    const composed = messagesOf(busyDay({ latest: [] }));
    expect(composed.thread).toBeNull();
    expect(allText(composed.main)).not.toContain('in the thread');
  });

  it('gives notifications a fallback with the numbers', () => {
    expect(messagesOf(busyDay()).main.text).toBe(
      'Support, yesterday (Thu 26 Nov 2026): 200 assignments, +110 (+122%) vs Wed 25 Nov (90), +50 (+33%) vs the 4-week Thursday average (150). Workflow +40% vs the 4-week Thursday average (140 vs 100). 1 open left unassigned, 1 bounced, 1 at 1.5× the team mean.',
    );
  });

  it('uses the team label when given', () => {
    const composed = messagesOf(busyDay({ team: 'support' }), ON_TIME, 'Support Team');
    expect(allText(composed.main)).toContain('*200 assignments* for Support Team yesterday');
    expect(blocksOf(composed.main)[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Support Team · Thu 26 Nov' },
    });
    expect(allText(composed.main)).toContain('team:support tz:');
  });
});

describe('digestMessages: marks', () => {
  it('labels a digest test as a test, in the message and the notification', () => {
    const { main } = messagesOf(busyDay(), { test: true, delayedBy: null });
    expect(blocksOf(main)[1]).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: ':test_tube: *Test — not counted as delivered*' }],
    });
    expect(main.text.startsWith('[Test — not counted as delivered] Support, yesterday')).toBe(true);
  });

  it('says a delayed run is late and by how much', () => {
    const { main } = messagesOf(busyDay(), { test: false, delayedBy: '2 h 5 min' });
    expect(allText(main)).toContain(
      ':hourglass_flowing_sand: Late: posted 2 h 5 min after its scheduled time.',
    );
    expect(main.text).toContain('Late: posted 2 h 5 min after its scheduled time.');
  });

  it('carries no mark on time', () => {
    const { main } = messagesOf(busyDay());
    expect(allText(main)).not.toMatch(/Test|Late/);
  });
});

describe('digestMessages: a day without assignments', () => {
  const quiet = () =>
    busyDay({ counts: countsOn(1, { workflow: 5 }), byAgent: [], conversations: [], latest: [] });

  it('is one quiet line naming the day, with no thread', () => {
    const composed = messagesOf(quiet());
    expect(composed).toEqual({
      empty: true,
      main: {
        text: 'No assignments for Support yesterday, Thu 26 Nov 2026.',
        blocks: [
          {
            type: 'section',
            text: { type: 'mrkdwn', text: 'No assignments for Support yesterday, Thu 26 Nov 2026.' },
          },
        ],
      },
      thread: null,
    });
  });

  it('names the filters that found nothing, and keeps the marks', () => {
    const composed = messagesOf(busyDay({ ...quiet(), filters: { sources: ['zapier'] } }), {
      test: true,
      delayedBy: '40 min',
    });
    expect(composed.empty).toBe(true);
    expect(composed.main.text).toBe(
      '[Test — not counted as delivered] [Late: posted 40 min after its scheduled time.] No assignments for Support yesterday, Thu 26 Nov 2026 (Source: Zapier).',
    );
    expect(composed.main.blocks).toHaveLength(2);
  });
});

describe('digestMessages: outside names', () => {
  const HOSTILE = '<!channel> *bold* & <http://evil|x> @here';

  it('escapes <, & and * in team, agent and contact names', () => {
    const villain: Party = { id: 'u66', name: 'Tom & <Jerry> *boss*' };
    const contact: Party = { id: '77', name: 'Acme <b> & *Co*' };
    const composed = messagesOf(
      busyDay({
        team: 'R&D <*>',
        byAgent: [
          { agent: villain, count: 150 },
          { agent: MEI, count: 50 },
        ],
        conversations: [conversation('1', [villain, MEI, villain], { contact })],
        latest: [makeLogRow({ contact, assignee: villain })],
      }),
    );
    const main = allText(composed.main);
    expect(main).toContain(`Tom &amp; &lt;Jerry${J}&gt; ${J}*${J}boss${J}*${J} · 150 · 75%`);
    expect(main).toContain(`conv 1 (Acme &lt;b${J}&gt; &amp; ${J}*${J}Co${J}*${J})`);
    expect(main).toContain(`for R&amp;D &lt;${J}*${J}${J}&gt; yesterday`);
    expect(composed.main.text).toContain(`R&amp;D &lt;${J}*${J}${J}&gt;, yesterday`);
    expect(allText(composed.thread ?? { blocks: [] })).toContain(
      `Acme &lt;b${J}&gt; &amp; ${J}*${J}Co${J}*${J}`,
    );
  });

  it('can never mention, link or format from a name', () => {
    const hostile: Party = { id: HOSTILE, name: HOSTILE };
    const composed = messagesOf(
      busyDay({
        team: HOSTILE,
        byAgent: [{ agent: hostile, count: 200 }],
        conversations: [conversation(HOSTILE, [hostile, MEI, hostile], { contact: hostile })],
        latest: [makeLogRow({ contact: hostile, assignee: hostile, conversationId: HOSTILE })],
      }),
    );
    const [header, ...rest] = blocksOf(composed.main);
    // The header is plain text: Slack shows it as typed, with nothing to parse.
    expect(header?.type).toBe('header');
    const mrkdwn = [composed.main.text, ...textsOf(rest), ...textsOf(composed.thread?.blocks)].join('\n');
    expect(mrkdwn).not.toContain('<!channel>');
    expect(mrkdwn).not.toContain('<http');
    // The reproducing command is code, shown as typed (entities escaped): outside it nothing may format.
    const prose = mrkdwn.replace(/`[^`]*`/g, '');
    expect(prose).not.toContain('@here');
    expect(prose).not.toMatch(/(^|\s)\*bold\*/);
    expect(mrkdwn).toContain('Reproduce: `/assignments 2026-11-26 team:"&lt;!channel&gt; *bold* &amp;');
  });
});

describe('digestMessages: Slack limits', () => {
  /** 60 agents and 200 bounced conversations, every name long and full of characters that escaping grows. */
  function hugeTeam(): DigestData {
    const longName = (i: number) => `${'&<*'.repeat(40)} ${i}`;
    const agents = Array.from({ length: 60 }, (_, i): Party => ({ id: `a${i}`, name: longName(i) }));
    const agent = (i: number): Party => agents[i % agents.length] ?? MEI;
    return makeDigestData({
      team: `Team ${'&'.repeat(200)}`,
      filters: { sources: ['workflow'], assignees: Array.from({ length: 30 }, (_, i) => longName(i)) },
      counts: [
        ...countsOn(0, {
          developer_api: 500,
          workflow: 900,
          bot: 700,
          zapier: 300,
          user: 600,
          contact_import: 200,
          close_conversation: 400,
          unknown: 100,
        }),
        ...[7, 14, 21, 28].flatMap((d) => countsOn(d, { workflow: 100, unknown: 300 })),
      ],
      byAgent: [...agents.map((a, i) => ({ agent: a, count: 10 + i })), { agent: null, count: 50 }],
      conversations: Array.from({ length: 200 }, (_, i) =>
        conversation(
          `${'9'.repeat(60)}&${i}`,
          [agent(i), agent(i + 1), agent(i + 2), null, agent(i + 3), agent(i), agent(i + 4), agent(i + 5)],
          {
            contact: { id: `c${i}`, name: longName(i) },
          },
        ),
      ),
      latest: Array.from({ length: 20 }, (_, i) =>
        makeLogRow({
          contact: { id: `c${i}`, name: longName(i) },
          assignee: agent(i),
          previousAssignee: agent(i + 1),
          conversationId: `${'9'.repeat(150)}${i}`,
        }),
      ),
    });
  }

  it('keeps a large team within every Block Kit limit', () => {
    const composed = messagesOf(hugeTeam(), { test: true, delayedBy: '11 h 59 min' });
    for (const message of [composed.main, composed.thread]) {
      if (!message) throw new Error('expected a thread');
      const blocks = blocksOf(message);
      expect(blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
      expect(message.text.length).toBeLessThanOrEqual(MAX_TEXT);
      expect(message.text.length).toBeGreaterThan(0);
      for (const block of blocks) {
        if (block.type === 'header') expect(textsOf(block)[0]?.length).toBeLessThanOrEqual(MAX_HEADER);
        if (block.type === 'section') {
          for (const text of textsOf(block.text)) expect(text.length).toBeLessThanOrEqual(MAX_TEXT);
          expect(block.fields).toBeUndefined();
        }
        if (block.type === 'context') {
          expect(Array.isArray(block.elements) && block.elements.length).toBeLessThanOrEqual(10);
          for (const text of textsOf(block.elements)) expect(text.length).toBeLessThanOrEqual(MAX_TEXT);
        }
        if (block.type === 'image') {
          expect(String(block.image_url).length).toBeLessThan(MAX_IMAGE_URL_LENGTH);
          expect(String(block.alt_text).length).toBeLessThanOrEqual(2000);
        }
      }
    }
  });

  it('still says how many agents and bounces there were, and how many are not listed', () => {
    const text = allText(messagesOf(hugeTeam()).main);
    expect(text).toContain('*By agent* · 60 agents · team mean 39.5');
    expect(text).toMatch(/…and 45 more agents with [\d,]+ assignments/);
    expect(text).toContain('_Unassigned_ · 50 · 2%');
    expect(text).toContain('*Bounced* · 200');
    expect(text).toContain('…and 190 more');
  });
});
