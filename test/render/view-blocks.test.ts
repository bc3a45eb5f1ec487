import { describe, expect, it } from 'vitest';
import { NO_FILTERS, type ReportFilters } from '../../src/domain/filters.ts';
import { buildLeaderboard, type GroupCount, type Grouping } from '../../src/domain/leaderboard.ts';
import { type LogView, logPageOf } from '../../src/domain/log-page.ts';
import { resolveRange } from '../../src/domain/range.ts';
import { leaderboardMessage } from '../../src/render/leaderboard-blocks.ts';
import { logMessage } from '../../src/render/log-blocks.ts';
import { LAST_7_DAYS, makeLogRow, NOW, party, ZONE } from '../builders/report.ts';

const RANGE = resolveRange(LAST_7_DAYS, NOW, ZONE);
const STATE = '/assignments 2026-11-20..2026-11-26';
const HOSTILE = '<!channel> *x* <http://evil|y> @here &';

function textsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(textsOf);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) =>
    key === 'text' && typeof v === 'string' ? [v] : textsOf(v),
  );
}

/** Buttons, and each menu as one entry labelled "menu: A | B". */
function buttonsOf(message: { blocks: unknown[] }): { label: string; actionId: string; value: string }[] {
  return message.blocks.flatMap((b) => {
    if (typeof b !== 'object' || b === null || !('elements' in b) || !Array.isArray(b.elements)) return [];
    return b.elements.flatMap(
      (e: {
        type?: string;
        text?: { text?: string };
        action_id?: string;
        value?: string;
        options?: { text: { text: string } }[];
      }) =>
        e.type === 'button'
          ? [{ label: e.text?.text ?? '', actionId: e.action_id ?? '', value: e.value ?? '' }]
          : e.type === 'static_select'
            ? [
                {
                  label: `menu: ${(e.options ?? []).map((o) => o.text.text).join(' | ')}`,
                  actionId: e.action_id ?? '',
                  value: '',
                },
              ]
            : [],
    );
  });
}

function log(total: number, page: number, filters: Partial<ReportFilters> = {}): LogView {
  const p = logPageOf(total, page);
  const rows = Array.from({ length: p.limit }, (_, i) =>
    makeLogRow({
      conversationId: String(p.first + i),
      timestamp: new Date(Date.UTC(2026, 10, 25, 12) - (p.offset + i) * 60_000),
      assignee: party('u66', HOSTILE),
    }),
  );
  return { range: RANGE, filters: { ...NO_FILTERS, ...filters }, page: p, rows, stateCommand: STATE };
}

describe('logMessage', () => {
  it('shows 20 rows, where they fall, and Newer/Older beside the counter, carrying their pages', () => {
    const message = logMessage(log(312, 2));
    const texts = textsOf(message.blocks);
    expect(texts).toContain('*Rows 21–40 of 312* · newest first');
    // The paging buttons come right after the counter, before the rows.
    const counter = message.blocks.findIndex((b) => JSON.stringify(b).includes('*Rows 21–40 of 312*'));
    expect(JSON.stringify(message.blocks[counter + 1])).toContain('"Newer"');
    expect(texts.filter((t) => t.includes(' · conv '))).toHaveLength(20);
    const buttons = buttonsOf(message);
    expect(buttons.slice(0, 2).map((b) => [b.label, JSON.parse(b.value)])).toEqual([
      ['Newer', { c: STATE, v: 'log', p: 1 }],
      ['Older', { c: STATE, v: 'log', p: 3 }],
    ]);
    expect(buttons.map((b) => b.label).slice(2)).toEqual([
      'Report',
      'By agent',
      'menu: By agent | By team | By source | By day',
      'Export CSV',
    ]);
    expect(buttons.at(-1)).toMatchObject({ actionId: 'report_export', value: STATE });
    expect(JSON.stringify(message)).not.toContain('<!channel>');
    expect(message.blocks.length).toBeLessThanOrEqual(50);
  });

  it.each([
    [0, 1, 'No assignments in this range.', []],
    [1, 1, '*Rows 1–1 of 1*', []],
    [20, 1, '*Rows 1–20 of 20*', []],
    [21, 1, '*Rows 1–20 of 21*', ['Older']],
    [21, 2, '*Rows 21–21 of 21*', ['Newer']],
    [10_000, 500, '*Rows 9,981–10,000 of 10,000*', ['Newer']],
  ])('%i rows, page %i', (total, page, heading, paging) => {
    const message = logMessage(log(total, page));
    expect(textsOf(message.blocks).some((t) => t.startsWith(heading))).toBe(true);
    expect(
      buttonsOf(message)
        .map((b) => b.label)
        .filter((l) => l === 'Newer' || l === 'Older'),
    ).toEqual(paging);
    expect(JSON.stringify(message)).not.toContain('rows match');
  });

  it('past 10,000 rows says how many match and points at the export', () => {
    const message = logMessage(log(10_001, 500));
    const texts = textsOf(message.blocks);
    expect(texts).toContain(
      ':warning: 10,001 rows match. The log pages through the newest 10,000; *Export CSV* has every row.',
    );
    expect(texts.some((t) => t.startsWith('*Rows 9,981–10,000 of the newest 10,000*'))).toBe(true);
    expect(buttonsOf(message).some((b) => b.label === 'Export CSV')).toBe(true);
  });

  it('explains filters that match nothing', () => {
    const texts = textsOf(logMessage(log(0, 1, { sources: ['bot'] })).blocks);
    expect(texts.some((t) => t.startsWith('No applicable data'))).toBe(true);
  });
});

const g = (key: string | null, count: number, name: string | null = key): GroupCount => ({
  key,
  name,
  count,
});

function board(grouping: Grouping, current: GroupCount[], previous: GroupCount[] = []) {
  return buildLeaderboard({ grouping, range: RANGE, filters: NO_FILTERS, current, previous, command: STATE });
}

describe('leaderboardMessage', () => {
  it('lists each agent with count, share and change, then the other views and Export', () => {
    const message = leaderboardMessage(
      board(
        'agent',
        [g('u2', 6, 'Mei Tan'), g('u1', 3, 'John Doe'), g(null, 1), g('u66', 2, HOSTILE)],
        [g('u2', 4, 'Mei Tan'), g('u7', 5, 'Gone')],
      ),
    );
    expect(message).toMatchSnapshot();
    const text = textsOf(message.blocks).join('\n');
    expect(text).toContain('*12 assignments* · +3 (+33%) vs 13–19 Nov to 18:00 (9)');
    expect(text).toContain('*Mei Tan* — 6 · 50% · +2 (+50%)');
    expect(text).toContain('*John Doe* — 3 · 25% · new');
    expect(text).toContain('*Gone* — 0 · 0% · −5 (−100%)');
    // Unassigned is last in the ranking, whatever its count.
    expect(
      text
        .split('\n')
        .filter((l) => l.includes(' — '))
        .at(-1),
    ).toBe('*Unassigned* — 1 · 8% · new');
    expect(text).toContain('Count · share · change against 13–19 Nov to 18:00.');
    expect(JSON.stringify(message)).not.toContain('<!channel>');
    expect(buttonsOf(message).map((b) => b.label)).toEqual([
      'Report',
      'Log',
      'menu: By team | By source | By day',
      'Export CSV',
    ]);
  });

  it('keeps 400 days whole within Slack’s limits', () => {
    const range = resolveRange({ kind: 'last_days', days: 400 }, NOW, ZONE);
    const message = leaderboardMessage(
      buildLeaderboard({
        grouping: 'day',
        range,
        filters: NO_FILTERS,
        current: [g(range.lastDay, 7)],
        previous: [],
        command: STATE,
      }),
    );
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    for (const t of textsOf(message)) expect(t.length).toBeLessThanOrEqual(3000);
    const lines = textsOf(message.blocks)
      .flatMap((t) => t.split('\n'))
      .filter((l) => / — \d+ · /.test(l));
    expect(lines).toHaveLength(400);
    expect(textsOf(message.blocks).join('\n')).toContain('each day against the same weekday a week earlier');
    expect(lines.at(-1)).toBe('*Thu 26 Nov 2026* _so far_ — 7 · 100% · new');
  });

  it('sums what does not fit into one line instead of leaving it out', () => {
    const many = Array.from({ length: 450 }, (_, i) => g(`u${i}`, 1, `Agent ${String(i).padStart(3, '0')}`));
    const message = leaderboardMessage(board('agent', many));
    const text = textsOf(message.blocks).join('\n');
    expect(text).toContain('_…and 50 more agents with 50 assignments_');
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    for (const t of textsOf(message)) expect(t.length).toBeLessThanOrEqual(3000);
  });

  it('says so when neither period had any', () => {
    const text = textsOf(leaderboardMessage(board('source', [])).blocks).join('\n');
    expect(text).toContain('No assignments in this range or in what it is compared with.');
  });
});
