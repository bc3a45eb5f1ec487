import { describe, expect, it } from 'vitest';
import {
  BUTTON_VIEWS,
  decodeButtonState,
  encodeButtonState,
  MAX_BUTTON_VALUE,
  pinnedCommand,
  reportStateCommand,
  UNREADABLE_BUTTON,
} from '../../src/domain/button-state.ts';
import { NO_FILTERS } from '../../src/domain/filters.ts';
import { parseReportCommand } from '../../src/domain/parse-command.ts';
import { type RangeSpec, resolveRange } from '../../src/domain/range.ts';
import { buildReport } from '../../src/domain/report.ts';

const NOW = new Date('2026-11-26T10:00:00Z');
const ZONE = 'Asia/Kuala_Lumpur';

describe('encodeButtonState / decodeButtonState', () => {
  it.each(BUTTON_VIEWS)('round-trips the %s view', (view) => {
    const state = { command: '/assignments 2026-11-20..2026-11-26 source:workflow,bot', view, page: 3 };
    const value = encodeButtonState(state);
    expect(value).toBeDefined();
    expect(decodeButtonState(value)).toEqual({ ok: true, state });
  });

  it('keeps a value with long filters under Slack’s 2,000 characters, and leaves out one that cannot fit', () => {
    const names = Array.from({ length: 50 }, (_, i) => `"Agent Number ${i} O’Connor-Smith"`);
    const command = `/assignments 2026-11-01..2026-11-30 assignee:${names.join(',')} source:workflow,bot,user`;
    const value = encodeButtonState({ command, view: 'log', page: 500 });
    expect(command.length).toBeGreaterThan(1_700);
    expect(value?.length).toBeLessThanOrEqual(MAX_BUTTON_VALUE);
    expect(decodeButtonState(value)).toMatchObject({ ok: true, state: { command, page: 500 } });
    const tooLong = `/assignments 30d assignee:${'x'.repeat(MAX_BUTTON_VALUE)}`;
    expect(encodeButtonState({ command: tooLong, view: 'log', page: 1 })).toBeUndefined();
  });

  it('escapes quotes and backslashes in names and still fits exactly at the limit', () => {
    const base = JSON.stringify({ c: '', v: 'agent', p: 1 }).length;
    const command = `a"b\\c${'y'.repeat(MAX_BUTTON_VALUE - base - 7)}`;
    const value = encodeButtonState({ command, view: 'agent', page: 1 });
    expect(value?.length).toBe(MAX_BUTTON_VALUE);
    expect(decodeButtonState(value)).toMatchObject({ ok: true, state: { command } });
    expect(encodeButtonState({ command: `${command}z`, view: 'agent', page: 1 })).toBeUndefined();
  });

  it.each([
    ['nothing', undefined],
    ['a plain command (an older button)', '/assignments yesterday'],
    ['broken JSON', '{"c":"/assignments"'],
    ['an unknown view', JSON.stringify({ c: '/assignments 7d', v: 'pie', p: 1 })],
    ['page 0', JSON.stringify({ c: '/assignments 7d', v: 'log', p: 0 })],
    ['a fractional page', JSON.stringify({ c: '/assignments 7d', v: 'log', p: 1.5 })],
    ['an empty command', JSON.stringify({ c: '', v: 'log', p: 1 })],
    ['an array', '[1,2]'],
    ['too long', 'x'.repeat(MAX_BUTTON_VALUE + 1)],
  ])('answers %s politely', (_, value) => {
    expect(decodeButtonState(value)).toEqual({ ok: false, error: UNREADABLE_BUTTON });
  });
});

describe('pinnedCommand', () => {
  const rerun = (command: string, now: Date, zone = ZONE) => {
    const parsed = parseReportCommand(command.replace('/assignments', ''));
    if (!parsed.ok) throw new Error(parsed.error);
    return resolveRange(parsed.range, now, parsed.zone ?? zone);
  };

  it.each<[string, RangeSpec]>([
    ['yesterday', { kind: 'preset', preset: 'yesterday' }],
    ['today', { kind: 'preset', preset: 'today' }],
    ['last 7 days', { kind: 'preset', preset: 'last_7_days' }],
    ['this month', { kind: 'preset', preset: 'this_month' }],
    ['last month', { kind: 'preset', preset: 'last_month' }],
    ['90d', { kind: 'last_days', days: 90 }],
  ])('pins %s to dates, so a press days later shows the same days', (_, spec) => {
    const range = resolveRange(spec, NOW, ZONE);
    const command = pinnedCommand(range, { ...NO_FILTERS, sources: ['workflow'] });
    expect(command).toMatch(/^\/assignments \d{4}-\d{2}-\d{2}(\.\.\d{4}-\d{2}-\d{2})? source:workflow$/);
    const later = rerun(command, new Date('2026-12-03T10:00:00Z'));
    expect([later.from, later.to]).toEqual([range.from, range.to]);
    // Days that were counted so far are whole now: they are compared with whole days.
    expect(later.soFar).toBeNull();
  });

  it('has no range word for a timeline over all time, and keeps a zone given with tz:', () => {
    expect(pinnedCommand(undefined, { ...NO_FILTERS, conversations: ['88231'] })).toBe(
      '/assignments conversation:88231',
    );
    const range = resolveRange({ kind: 'preset', preset: 'yesterday' }, NOW, 'America/New_York');
    expect(pinnedCommand(range, NO_FILTERS, 'America/New_York')).toBe(
      '/assignments 2026-11-25 tz:America/New_York',
    );
  });

  it('pins a report, keeping its tz: and its filters', () => {
    const range = resolveRange({ kind: 'preset', preset: 'yesterday' }, NOW, 'Europe/London');
    const filters = { ...NO_FILTERS, assignees: ['Mei Tan'] };
    const report = buildReport({ range, filters, counts: [], previousTotal: 0, latest: [] });
    expect(reportStateCommand(report)).toBe('/assignments 2026-11-25 assignee:"Mei Tan"');
    const zoned = { ...report, command: `${report.command} tz:Europe/London` };
    expect(reportStateCommand(zoned)).toBe('/assignments 2026-11-25 assignee:"Mei Tan" tz:Europe/London');
  });
});
