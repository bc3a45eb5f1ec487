import { describe, expect, it } from 'vitest';
import type { DigestDefinition } from '../../src/domain/digest.ts';
import { occurrenceOn } from '../../src/domain/digest-schedule.ts';
import { NO_FILTERS } from '../../src/domain/filters.ts';
import {
  addedText,
  digestLine,
  failureNotice,
  listText,
  logText,
  type RunLine,
  textMessage,
} from '../../src/render/digest-admin-text.ts';

const DEF: DigestDefinition = {
  id: 'd7k2',
  channelId: 'C0123',
  channelName: 'support',
  team: 'Support',
  at: '09:00',
  zone: 'Asia/Kuala_Lumpur',
  weekdaysOnly: true,
  skipEmpty: true,
  filters: { ...NO_FILTERS, sources: ['workflow'], assignees: ['Mei Tan'] },
  paused: false,
  createdBy: 'U1',
  createdAt: new Date('2026-11-01T00:00:00Z'),
};

const run = (overrides: Partial<RunLine>): RunLine => ({
  localDate: '2026-11-27',
  test: false,
  state: 'posted',
  claimedAt: new Date('2026-11-27T01:00:00Z'),
  finishedAt: new Date('2026-11-27T01:00:02Z'),
  delayedByMs: 0,
  reason: null,
  retryAt: null,
  attempts: 1,
  creatorNotified: false,
  ...overrides,
});

describe('digest answers', () => {
  it('a digest in one line: id, channel, team, schedule, filters', () => {
    expect(digestLine(DEF)).toBe(
      '`d7k2` · <#C0123> · *Support* · 09:00 Asia/Kuala_Lumpur, weekdays, skip-empty · source:workflow assignee:"Mei Tan"',
    );
  });

  it('a team name cannot mention anyone or format the answer', () => {
    const line = digestLine({ ...DEF, team: '<!channel> *Ops*' });
    expect(line).not.toContain('<!channel>');
    expect(line).toContain('&lt;!');
  });

  it('the answer to add says what was set, when it next posts, and about a DST gap', () => {
    const ny = { ...DEF, at: '02:30', zone: 'America/New_York', weekdaysOnly: false, skipEmpty: false };
    const text = addedText(ny, occurrenceOn(ny, '2026-11-28'), {
      dstGap: occurrenceOn(ny, '2027-03-14'),
      botNotInChannel: true,
    });
    expect(text.split('\n')).toEqual([
      ":white_check_mark: Digest `d7k2` added: yesterday's assignments for *Support* in <#C0123> at 02:30 America/New_York, every day.",
      'Filters: source:workflow assignee:"Mei Tan" · next: Sat 28 Nov 02:30 America/New_York',
      ':information_source: 02:30 does not exist in America/New_York on Sun 14 Mar 2027 (the clocks go forward): that day it posts at 03:00, once.',
      ':warning: Handoff is not in <#C0123> yet: invite it with `/invite @Handoff` there, or the digest cannot post.',
      'Try it now with `/assignments digest test d7k2`.',
    ]);
  });

  it('lists digests with their next run or that they are paused', () => {
    expect(listText([])).toContain('No digests yet.');
    const text = listText([
      { def: DEF, next: occurrenceOn(DEF, '2026-11-30') },
      { def: { ...DEF, id: 'x8m3', paused: true }, next: null },
    ]);
    expect(text.split('\n')).toEqual([
      '*Digests* (2)',
      `• ${digestLine(DEF)} · next: Mon 30 Nov 09:00 Asia/Kuala_Lumpur`,
      `• ${digestLine({ ...DEF, id: 'x8m3' })} · :double_vertical_bar: paused`,
    ]);
  });

  it('the log says what happened to each run, in the digest’s zone', () => {
    const text = logText(DEF, [
      run({ localDate: '2026-11-30', test: true, claimedAt: new Date('2026-11-30T00:30:00Z') }),
      run({
        localDate: '2026-11-27',
        state: 'posted-delayed',
        delayedByMs: 125 * 60_000,
        finishedAt: new Date('2026-11-27T03:05:00Z'),
      }),
      run({
        localDate: '2026-11-26',
        state: 'skipped-empty',
        reason: 'no assignments for Support on Wed 25 Nov (skip-empty)',
      }),
      run({
        localDate: '2026-11-25',
        state: 'failed',
        reason: 'Slack answered internal_error',
        retryAt: new Date('2026-11-25T01:03:00Z'),
      }),
      run({
        localDate: '2026-11-24',
        state: 'failed',
        reason: 'Handoff is not a member of #support',
        creatorNotified: true,
      }),
      run({
        localDate: '2026-11-23',
        state: 'missed',
        reason: 'the bot was not running within 12 hours of the scheduled time',
      }),
      run({ localDate: '2026-11-20' }),
    ]);
    expect(text.split('\n').slice(1)).toEqual([
      'Last 7 runs (times in Asia/Kuala_Lumpur):',
      '• Mon 30 Nov · test posted at 08:30',
      '• Fri 27 Nov · posted late (delayed 2 h 5 min) at 11:05',
      '• Thu 26 Nov · skipped, nothing to post: no assignments for Support on Wed 25 Nov (skip-empty)',
      '• Wed 25 Nov · failed: Slack answered internal_error · retrying after 09:03',
      '• Tue 24 Nov · failed: Handoff is not a member of #support · creator told by DM',
      '• Mon 23 Nov · missed: the bot was not running within 12 hours of the scheduled time',
      '• Fri 20 Nov · posted at 09:00',
    ]);
    expect(logText(DEF, [])).toContain('No runs yet.');
  });

  it('the DM to a digest’s creator names the digest, the day, the reason and the log command', () => {
    expect(failureNotice(DEF, '2026-11-27', 'Handoff is not a member of #support: invite it there')).toBe(
      'Your assignments digest `d7k2` (*Support*, 09:00 Asia/Kuala_Lumpur) could not be posted to <#C0123> on Fri 27 Nov: ' +
        'Handoff is not a member of #support: invite it there. It tries again at its next scheduled time; ' +
        '`/assignments digest log d7k2` shows its runs.',
    );
  });

  it('a long answer is split into sections within Block Kit’s limits', () => {
    const line = 'x'.repeat(100);
    const message = textMessage(Array.from({ length: 2000 }, () => line).join('\n'));
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    for (const block of message.blocks)
      expect(block.type === 'section' && block.text ? block.text.text.length : 0).toBeLessThanOrEqual(3000);
    expect(message.text.length).toBeLessThanOrEqual(3000);
  });
});
