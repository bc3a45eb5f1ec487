import { describe, expect, it } from 'vitest';
import { filtersText, NO_FILTERS, type ReportFilters } from '../../src/domain/filters.ts';
import {
  MAX_RANGE_DAYS,
  type ParsedReport,
  parseReportCommand,
  zoneWord,
} from '../../src/domain/parse-command.ts';
import type { RangeSpec } from '../../src/domain/range.ts';

function parsed(text: string): ParsedReport {
  const result = parseReportCommand(text);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(text)} to parse, got: ${result.error}`);
  return result;
}

function failure(text: string): string {
  const result = parseReportCommand(text);
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} to fail, got ${JSON.stringify(result)}`);
  return result.error;
}

const filters = (partial: Partial<ReportFilters>): ReportFilters => ({ ...NO_FILTERS, ...partial });

describe('ranges', () => {
  it.each<[string, RangeSpec]>([
    ['today', { kind: 'preset', preset: 'today' }],
    ['yesterday', { kind: 'preset', preset: 'yesterday' }],
    ['last 7 days', { kind: 'preset', preset: 'last_7_days' }],
    ['last 14 days', { kind: 'preset', preset: 'last_14_days' }],
    ['last 30 days', { kind: 'preset', preset: 'last_30_days' }],
    ['this month', { kind: 'preset', preset: 'this_month' }],
    ['last month', { kind: 'preset', preset: 'last_month' }],
    ['TODAY', { kind: 'preset', preset: 'today' }],
    ['Yesterday', { kind: 'preset', preset: 'yesterday' }],
    ['Last 7 Days', { kind: 'preset', preset: 'last_7_days' }],
    ['LAST 14 DAYS', { kind: 'preset', preset: 'last_14_days' }],
    ['Last 30 days', { kind: 'preset', preset: 'last_30_days' }],
    ['This Month', { kind: 'preset', preset: 'this_month' }],
    ['LAST month', { kind: 'preset', preset: 'last_month' }],
    ['  last   month  ', { kind: 'preset', preset: 'last_month' }],
    ['7d', { kind: 'last_days', days: 7 }],
    ['14d', { kind: 'last_days', days: 14 }],
    ['30d', { kind: 'last_days', days: 30 }],
    ['30D', { kind: 'last_days', days: 30 }],
    ['last 7d', { kind: 'last_days', days: 7 }],
    ['last 10 days', { kind: 'last_days', days: 10 }],
    ['last 1 day', { kind: 'last_days', days: 1 }],
    ['400d', { kind: 'last_days', days: 400 }],
    ['2026-11-03', { kind: 'dates', from: '2026-11-03', to: '2026-11-03' }],
    ['2026-11-01..2026-11-15', { kind: 'dates', from: '2026-11-01', to: '2026-11-15' }],
    ['2026-11-01..2026-11-01', { kind: 'dates', from: '2026-11-01', to: '2026-11-01' }],
    ['2028-02-29', { kind: 'dates', from: '2028-02-29', to: '2028-02-29' }],
    ['"yesterday"', { kind: 'preset', preset: 'yesterday' }],
  ])('%j', (text, range) => {
    expect(parsed(text)).toEqual({ ok: true, range, rangeGiven: true, filters: NO_FILTERS });
  });

  it('defaults to the last 7 days and says no range was given', () => {
    expect(parsed('')).toEqual({
      ok: true,
      range: { kind: 'preset', preset: 'last_7_days' },
      rangeGiven: false,
      filters: NO_FILTERS,
    });
    expect(parsed('source:bot')).toMatchObject({ rangeGiven: false, range: { preset: 'last_7_days' } });
  });

  it(`accepts exactly ${MAX_RANGE_DAYS} days between dates`, () => {
    // 2026-01-01 + 399 days = 2027-02-04.
    expect(parsed('2026-01-01..2027-02-04')).toMatchObject({
      range: { kind: 'dates', from: '2026-01-01', to: '2027-02-04' },
    });
  });
});

describe('filters', () => {
  it.each<[string, Partial<ReportFilters>]>([
    ['source:workflow', { sources: ['workflow'] }],
    ['source:workflow,bot', { sources: ['workflow', 'bot'] }],
    ['source:"Developer API"', { sources: ['developer_api'] }],
    ['source:"Developer API",bot', { sources: ['developer_api', 'bot'] }],
    ['source:"contact import","Close Conversation"', { sources: ['contact_import', 'close_conversation'] }],
    ['source:WORKFLOW', { sources: ['workflow'] }],
    ['source:developer-api', { sources: ['developer_api'] }],
    ['sources:zapier', { sources: ['zapier'] }],
    ['source:bot,,user,', { sources: ['bot', 'user'] }],
    ['assignee:mei', { assignees: ['mei'] }],
    ['to:U123', { assignees: ['U123'] }],
    ['assignee:"Mei Tan"', { assignees: ['Mei Tan'] }],
    ['assignee:“Mei Tan”', { assignees: ['Mei Tan'] }],
    ['assignee:„Mei Tan‟', { assignees: ['Mei Tan'] }],
    ['assignee:‘Mei’', { assignees: ["'Mei'"] }],
    ['assignee:none', { assignees: ['none'] }],
    ['assignee:unassigned', { assignees: ['none'] }],
    ['to:Nobody', { assignees: ['none'] }],
    ['assignee:NONE', { assignees: ['none'] }],
    ['by:"Sarah Lee"', { assignedBy: ['Sarah Lee'] }],
    ['contact:1234567', { contacts: ['1234567'] }],
    ['conversation:88231', { conversations: ['88231'] }],
    ['conv:88231,88232', { conversations: ['88231', '88232'] }],
    ['team:Support', { teams: ['Support'] }],
    ['Team:"Tier 2"', { teams: ['Tier 2'] }],
    ['assignee:"Tan, Mei"', { assignees: ['Tan, Mei'] }],
    ['assignee:"Tan, Mei",Ali', { assignees: ['Tan, Mei', 'Ali'] }],
    ['assignee:"a:b"', { assignees: ['a:b'] }],
    ['assignee:" Mei "', { assignees: ['Mei'] }],
  ])('%s', (text, expected) => {
    expect(parsed(text)).toEqual({
      ok: true,
      range: { kind: 'preset', preset: 'last_7_days' },
      rangeGiven: false,
      filters: filters(expected),
    });
  });

  it('reads range and filters in any order', () => {
    const expected = {
      ok: true,
      range: { kind: 'preset', preset: 'yesterday' },
      rangeGiven: true,
      filters: filters({ sources: ['workflow'], assignees: ['Mei Tan'] }),
    };
    expect(parsed('yesterday source:workflow assignee:"Mei Tan"')).toEqual(expected);
    expect(parsed('source:workflow yesterday assignee:"Mei Tan"')).toEqual(expected);
    expect(parsed('assignee:“Mei Tan” source:workflow yesterday')).toEqual(expected);
  });

  it('keeps a multi-word range whole between filters', () => {
    expect(parsed('source:bot last 14 days team:Support')).toEqual({
      ok: true,
      range: { kind: 'preset', preset: 'last_14_days' },
      rangeGiven: true,
      filters: filters({ sources: ['bot'], teams: ['Support'] }),
    });
  });

  it('merges repeated keys and aliases, without duplicates, keeping the first spelling', () => {
    expect(
      parsed(
        'source:workflow source:bot,WORKFLOW assignee:mei to:Mei,"Ali Khan" assignee:none to:unassigned conv:1 conversation:2',
      ).filters,
    ).toEqual(
      filters({
        sources: ['workflow', 'bot'],
        assignees: ['mei', 'Ali Khan', 'none'],
        conversations: ['1', '2'],
      }),
    );
  });

  it('does not share state between calls', () => {
    parsed('source:bot assignee:mei');
    expect(parsed('').filters).toEqual(filters({}));
    expect(NO_FILTERS).toEqual({
      sources: [],
      assignees: [],
      assignedBy: [],
      contacts: [],
      conversations: [],
      teams: [],
    });
  });

  it('parses back what filtersText writes', () => {
    const original = filters({
      sources: ['developer_api', 'close_conversation'],
      assignees: ['Mei Tan', 'Tan, Mei', 'none'],
      assignedBy: ['Sarah Lee'],
      contacts: ['1234567'],
      conversations: ['88231'],
      teams: ['Tier 2'],
    });
    expect(parsed(filtersText(original)).filters).toEqual(original);
  });
});

describe('time zone', () => {
  it.each<[string, string]>([
    ['tz:Asia/Kuala_Lumpur', 'Asia/Kuala_Lumpur'],
    ['zone:America/New_York', 'America/New_York'],
    ['TZ:asia/kuala_lumpur', 'Asia/Kuala_Lumpur'],
    ['tz:utc', 'UTC'],
    ['tz:UTC', 'UTC'],
    ['tz:Asia/Kolkata', 'Asia/Kolkata'],
    ['tz:Asia/Kathmandu', 'Asia/Kathmandu'],
    ['tz:"Europe/London"', 'Europe/London'],
    // The IANA canonical name, whatever Node's ICU calls it.
    ['tz:Europe/Kiev', 'Europe/Kyiv'],
    ['tz:asia/calcutta', 'Asia/Kolkata'],
    ['tz:etc/utc', 'UTC'],
  ])('%s', (text, zone) => {
    expect(parsed(text)).toEqual({
      ok: true,
      range: { kind: 'preset', preset: 'last_7_days' },
      rangeGiven: false,
      filters: NO_FILTERS,
      zone,
    });
  });

  it('reads a zone beside a range and filters, in any order, and is not a filter', () => {
    const expected = {
      ok: true,
      range: { kind: 'dates', from: '2026-11-26', to: '2026-11-26' },
      rangeGiven: true,
      filters: filters({ sources: ['workflow'], teams: ['Support'] }),
      zone: 'Asia/Kuala_Lumpur',
    };
    expect(parsed('2026-11-26 team:Support source:workflow tz:Asia/Kuala_Lumpur')).toEqual(expected);
    expect(parsed('tz:Asia/Kuala_Lumpur source:workflow 2026-11-26 team:Support')).toEqual(expected);
  });

  it('leaves the zone out when none is given', () => {
    expect('zone' in parsed('yesterday source:bot')).toBe(false);
  });

  it('accepts the same zone twice', () => {
    expect(parsed('tz:UTC zone:utc').zone).toBe('UTC');
  });

  it('writes the word that parses back to the same zone', () => {
    expect(zoneWord('America/New_York')).toBe('tz:America/New_York');
    expect(parsed(zoneWord('America/New_York')).zone).toBe('America/New_York');
  });

  it.each<[string, string]>([
    [
      'tz:Asia/Kuala_Lumpr',
      'Unknown time zone `Asia/Kuala_Lumpr`. Did you mean `tz:Asia/Kuala_Lumpur`? Use an IANA name such as `tz:Asia/Kuala_Lumpur` or `tz:America/New_York`.',
    ],
    [
      'tz:"Kuala Lumpur"',
      'Unknown time zone `Kuala Lumpur`. Did you mean `tz:Asia/Kuala_Lumpur`? Use an IANA name such as `tz:Asia/Kuala_Lumpur` or `tz:America/New_York`.',
    ],
    [
      'zone:new_york',
      'Unknown time zone `new_york`. Did you mean `tz:America/New_York`? Use an IANA name such as `tz:Asia/Kuala_Lumpur` or `tz:America/New_York`.',
    ],
    [
      'tz:Mars/Olympus_Mons',
      'Unknown time zone `Mars/Olympus_Mons`. Use an IANA name such as `tz:Asia/Kuala_Lumpur` or `tz:America/New_York`.',
    ],
    ['tz:', '`tz:` has no value. Example: `tz:Asia/Kuala_Lumpur`.'],
    [
      'tz:UTC,Asia/Kuala_Lumpur',
      '`tz:UTC,Asia/Kuala_Lumpur` names 2 time zones; give one, e.g. `tz:Asia/Kuala_Lumpur`.',
    ],
    ['tz:UTC zone:Asia/Kuala_Lumpur', 'Two time zones: `UTC` and `Asia/Kuala_Lumpur`. Give one at most.'],
    [
      'zome:UTC',
      'Unknown filter `zome:`. Did you mean `zone:`? Filters: source:, assignee: (to:), by:, contact:, conversation: (conv:), team:; time zone: tz: (zone:).',
    ],
  ])('%s', (text, message) => {
    expect(failure(text)).toBe(message);
  });
});

describe('errors', () => {
  it.each<[string, string]>([
    [
      'sorce:workflow',
      'Unknown filter `sorce:`. Did you mean `source:`? Filters: source:, assignee: (to:), by:, contact:, conversation: (conv:), team:; time zone: tz: (zone:).',
    ],
    [
      'asignee:mei',
      'Unknown filter `asignee:`. Did you mean `assignee:`? Filters: source:, assignee: (to:), by:, contact:, conversation: (conv:), team:; time zone: tz: (zone:).',
    ],
    [
      'source:workflw',
      'Unknown source `workflw`. Did you mean `workflow`? Sources: developer_api, workflow, bot, zapier, user, contact_import, close_conversation, unknown.',
    ],
    [
      'source:workflow,robot',
      'Unknown source `robot`. Sources: developer_api, workflow, bot, zapier, user, contact_import, close_conversation, unknown.',
    ],
    ['workflw', "I don't understand `workflw`. Did you mean `source:workflow`? Try `/assignments help`."],
    ['workflow', "I don't understand `workflow`. Did you mean `source:workflow`? Try `/assignments help`."],
    ['yesterdy', "I don't understand `yesterdy`. Did you mean `yesterday`? Try `/assignments help`."],
    ['tody', "I don't understand `tody`. Did you mean `today`? Try `/assignments help`."],
    ['last 7 dayz', "I don't understand `last 7 dayz`. Did you mean `last 7 days`? Try `/assignments help`."],
    ['last week', "I don't understand `last week`. Try `/assignments help`."],
    ['banana', "I don't understand `banana`. Try `/assignments help`."],
    ['help', "I don't understand `help`. Try `/assignments help`."],
    ['yesterday today', 'Two ranges: `yesterday` and `today`. Give one range at most.'],
    [
      'this month source:bot last 7 days',
      'Two ranges: `this month` and `last 7 days`. Give one range at most.',
    ],
    ['7d 2026-11-03', 'Two ranges: `7d` and `2026-11-03`. Give one range at most.'],
    ['2026-02-30', '`2026-02-30` is not a calendar date. Use YYYY-MM-DD.'],
    ['2026-11-01..2026-11-31', '`2026-11-31` is not a calendar date. Use YYYY-MM-DD.'],
    [
      '9999-12-31',
      '`9999-12-31` is outside the dates a report covers: pick days between 2000-01-01 and 2099-12-31 (no event before 2000 is kept).',
    ],
    [
      '1000-01-01..2026-01-01',
      '`1000-01-01` is outside the dates a report covers: pick days between 2000-01-01 and 2099-12-31 (no event before 2000 is kept).',
    ],
    [
      '2026-11-15..2026-11-01',
      '`2026-11-15..2026-11-01` ends before it starts. Write the earlier date first: `2026-11-01..2026-11-15`.',
    ],
    ['2025-01-01..2026-12-31', '`2025-01-01..2026-12-31` is 730 days long; a report covers at most 400.'],
    ['2026-01-01..2027-02-05', '`2026-01-01..2027-02-05` is 401 days long; a report covers at most 400.'],
    ['0d', '`0d`: the number of days must be between 1 and 400.'],
    ['401d', '`401d`: the number of days must be between 1 and 400.'],
    ['last 0 days', '`last 0 days`: the number of days must be between 1 and 400.'],
    ['assignee:"Mei Tan', 'A quote is not closed in `"Mei Tan`: close it with another `"`.'],
    ['assignee:“Mei Tan', 'A quote is not closed in `"Mei Tan`: close it with another `"`.'],
    ['source:', '`source:` has no value. Example: `source:workflow`.'],
    ['to:""', '`to:""` has no value. Example: `to:"Mei Tan"`.'],
    ['team:,', '`team:,` has no value. Example: `team:Support`.'],
  ])('%s', (text, message) => {
    expect(failure(text)).toBe(message);
  });

  it.each([
    'sorce:workflow',
    'source:workflw',
    'workflw',
    'yesterdy',
    'yesterday today',
    '2026-02-30',
    '2026-11-15..2026-11-01',
    '2025-01-01..2026-12-31',
    'assignee:"Mei Tan',
    'source:',
  ])('%s: a short message with no stack trace', (text) => {
    const error = failure(text);
    expect(error).not.toMatch(/\n|\bat .+:\d+:\d+|Error:|undefined/);
    expect(error.length).toBeLessThan(200);
  });
});

// The command is declared with should_escape: true, so Slack sends typed &, < and > as entities.
describe('text as Slack escapes it', () => {
  it.each<[string, Partial<ReportFilters>]>([
    ['assignee:"Tom &amp; Jerry"', { assignees: ['Tom & Jerry'] }],
    ['contact:"&lt;VIP&gt; Aisha"', { contacts: ['<VIP> Aisha'] }],
    ['team:R&amp;D source:workflow', { teams: ['R&D'], sources: ['workflow'] }],
    // A typed `&amp;` arrives as `&amp;amp;` and comes back as typed.
    ['contact:"A &amp;amp; B"', { contacts: ['A &amp; B'] }],
  ])('%s', (text, partial) => {
    expect(parsed(text).filters).toEqual(filters(partial));
  });

  it('ranges and quotes are unaffected', () => {
    expect(parsed('yesterday assignee:&lt;none&gt;').filters.assignees).toEqual(['<none>']);
    expect(parsed('last 7 days').range).toEqual({ kind: 'preset', preset: 'last_7_days' });
  });
});
