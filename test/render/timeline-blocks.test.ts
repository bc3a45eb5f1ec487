import { describe, expect, it } from 'vitest';
import type { Party } from '../../src/domain/event.ts';
import { resolveRange } from '../../src/domain/range.ts';
import type { LogRow } from '../../src/domain/report.ts';
import {
  buildTimeline,
  type Timeline,
  type TimelineEvents,
  type TimelineSubject,
} from '../../src/domain/timeline.ts';
import { severalContactsMessage, timelineMessage } from '../../src/render/timeline-blocks.ts';
import { timelineText } from '../../src/render/timeline-text.ts';
import { formatDuration } from '../../src/render/timeline-wording.ts';
import { NOW, party, ZONE } from '../builders/report.ts';

const MEI = party('u2', 'Mei Tan');
const JOHN = party('u1', 'John Doe');
const SARAH = party('u9', 'Sarah Lee');
const HOSTILE = party('u66', '<!channel> *Boss* @here http://evil.example');
const AISHA = party('1234567', 'Aisha Rahman');

function step(iso: string, from: Party | null, to: Party | null, extra: Partial<LogRow> = {}): LogRow {
  return {
    timestamp: new Date(iso),
    conversationId: '88231',
    contact: AISHA,
    previousAssignee: from,
    assignee: to,
    source: to ? 'workflow' : 'close_conversation',
    assignedBy: null,
    ...extra,
  };
}

// Wed 25 Nov in Kuala Lumpur: Mei, John (by Sarah), Mei again (ping-pong, the 3rd of the day), nobody (4th: busy),
// then Mei two days later (after quiet), still holding.
const STORY: LogRow[] = [
  step('2026-11-25T08:15:00+08:00', null, MEI),
  step('2026-11-25T09:00:00+08:00', MEI, JOHN, { source: 'user', assignedBy: SARAH }),
  step('2026-11-25T10:30:00+08:00', JOHN, MEI),
  step('2026-11-25T11:00:00+08:00', MEI, null),
  step('2026-11-26T12:00:00+08:00', null, MEI),
];

function make(
  rows: LogRow[],
  options: { subject?: TimelineSubject; extra?: Partial<TimelineEvents>; ranged?: boolean } = {},
): Timeline {
  const subject = options.subject ?? { kind: 'conversation', id: '88231' };
  return buildTimeline({
    subject,
    range: options.ranged ? resolveRange({ kind: 'preset', preset: 'last_7_days' }, NOW, ZONE) : undefined,
    zone: ZONE,
    now: NOW,
    events: { rows, total: rows.length, before: null, after: null, ...options.extra },
    command: `/assignments ${subject.kind}:${subject.id}`,
  });
}

function textsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(textsOf);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) =>
    key === 'text' && typeof v === 'string' ? [v] : textsOf(v),
  );
}

const STATE = '/assignments conversation:88231';

describe('timelineMessage', () => {
  it('tells the story with holdings, flags and the requester’s times', () => {
    const message = timelineMessage({ timeline: make(STORY), page: 1, stateCommand: STATE });
    expect(message).toMatchSnapshot();
    const texts = textsOf(message.blocks);
    expect(texts).toContain(
      '*Conversation 88231 · Aisha Rahman (1234567)*\nAll time · Kuala Lumpur time (UTC+8)',
    );
    expect(texts).toContain(
      '*25 Nov 2026 09:00*\nMei Tan → John Doe · User · by Sarah Lee\n_held 1 h 30 min_',
    );
    expect(texts).toContain(
      '*25 Nov 2026 10:30*\nJohn Doe → Mei Tan · Workflow\n_held 30 min_ · :repeat: ping-pong: back to Mei Tan',
    );
    expect(texts).toContain(
      '*25 Nov 2026 11:00*\nMei Tan → _Unassigned_ · Close Conversation\n_nobody for 1 d 1 h_ · :zap: 4th on Wed 25 Nov',
    );
    // 12:00 on the 26th in Kuala Lumpur is 04:00Z; now is 10:00Z.
    expect(texts).toContain(
      '*26 Nov 2026 12:00*\n_Unassigned_ → Mei Tan · Workflow\n_still holding (6 h so far)_ · :zzz: after 1 d 1 h quiet',
    );
    expect(texts.join('\n')).toContain('Ping-pong ×1 · More than 3 on Wed 25 Nov 2026 (4) · After quiet ×1');
    expect(texts.join('\n')).toContain('*Entries 1–5 of 5*');
    expect(message.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('names the conversation of each entry in a contact’s timeline', () => {
    const rows = [
      step('2026-11-25T08:15:00+08:00', null, MEI),
      step('2026-11-25T09:00:00+08:00', MEI, JOHN, { conversationId: '90001' }),
    ];
    const texts = textsOf(
      timelineMessage({
        timeline: make(rows, { subject: { kind: 'contact', id: '1234567' } }),
        page: 1,
        stateCommand: STATE,
      }).blocks,
    );
    expect(texts).toContain('*Contact Aisha Rahman (1234567)*\nAll time · Kuala Lumpur time (UTC+8)');
    expect(texts.some((t) => t.startsWith('*25 Nov 2026 09:00* · conv 90001\n'))).toBe(true);
  });

  it('pages 25 at a time with Older and Newer carrying the page, within Slack’s limits', () => {
    const rows = Array.from({ length: 312 }, (_, i) =>
      step(
        new Date(Date.UTC(2026, 8, 1) + i * 3_600_000).toISOString(),
        i % 2 ? MEI : HOSTILE,
        i % 2 ? HOSTILE : MEI,
        {
          assignedBy: HOSTILE,
          source: 'user',
        },
      ),
    );
    const timeline = make(rows);
    const middle = timelineMessage({ timeline, page: 2, stateCommand: STATE });
    expect(textsOf(middle.blocks)).toContain('*Entries 26–50 of 312*');
    const actions = middle.blocks.find((b) => b.type === 'actions');
    const buttons = actions?.type === 'actions' ? actions.elements : [];
    expect(buttons.map((b) => (b.type === 'button' ? [b.text.text, JSON.parse(b.value ?? '')] : []))).toEqual(
      [
        ['Older', { c: STATE, v: 'timeline', p: 1 }],
        ['Newer', { c: STATE, v: 'timeline', p: 3 }],
      ],
    );
    for (const page of [1, 2, 13]) {
      const message = timelineMessage({ timeline, page, stateCommand: STATE });
      expect(message.blocks.length).toBeLessThanOrEqual(50);
      for (const text of textsOf(message)) expect(text.length).toBeLessThanOrEqual(3000);
      const json = JSON.stringify(message);
      expect(json).not.toContain('<!channel>');
      expect(json).not.toContain('@here');
      expect(json).not.toContain('http://evil');
    }
    const first = timelineMessage({ timeline, page: 1, stateCommand: STATE });
    expect(JSON.stringify(first.blocks.filter((b) => b.type === 'actions'))).not.toContain('Older');
    const last = timelineMessage({ timeline, page: 13, stateCommand: STATE });
    expect(textsOf(last.blocks)).toContain('*Entries 301–312 of 312*');
    expect(JSON.stringify(last.blocks.filter((b) => b.type === 'actions'))).not.toContain('Newer');
  });

  it('says when the cap left earlier entries out, and when there are none', () => {
    const capped = make(STORY, { extra: { total: 10_004 } });
    const texts = textsOf(timelineMessage({ timeline: capped, page: 1, stateCommand: STATE }).blocks).join(
      '\n',
    );
    expect(texts).toContain('10004 assignments: the latest 10,000 are shown');
    expect(texts).toContain('*Entries 10,000–10,004 of 10,004*');
    const empty = timelineMessage({ timeline: make([], { ranged: true }), page: 1, stateCommand: STATE });
    expect(textsOf(empty.blocks)).toContain('No assignments in this range.');
    expect(empty.text).toContain('No assignments');
  });
});

describe('severalContactsMessage', () => {
  it('lists the contacts a name could mean, every name made inert', () => {
    const message = severalContactsMessage({
      value: '<!here> `x`',
      contacts: [party('1', '<!channel> *Boss*'), party('2', 'Wei Lim')],
    });
    const json = JSON.stringify(message);
    expect(json).not.toContain('<!here>');
    expect(json).not.toContain('<!channel>');
    expect(textsOf(message.blocks)[0]).toContain('matches several contacts:');
    expect(textsOf(message.blocks)[0]).toContain('Wei Lim (`contact:2`). Give the id of the one you mean.');
  });
});

describe('timelineText (console)', () => {
  it('prints every entry with the same words as Slack', () => {
    const text = timelineText(make(STORY));
    expect(text).toMatchSnapshot();
    expect(text).toContain(
      '3. 2026-11-25 10:30  John Doe → Mei Tan · Workflow · held 30 min  [ping-pong: back to Mei Tan]',
    );
    expect(text).toContain('Flags: Ping-pong ×1 · More than 3 on Wed 25 Nov 2026 (4) · After quiet ×1');
  });
});

describe('formatDuration', () => {
  it.each([
    [59_000, 'under a minute'],
    [60_000, '1 min'],
    [3_600_000, '1 h'],
    [3_660_000, '1 h 1 min'],
    [23 * 3_600_000, '23 h'],
    [25 * 3_600_000, '1 d 1 h'],
    [3 * 86_400_000, '3 d'],
  ])('%i ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
