import { describe, expect, it } from 'vitest';
import { NO_FILTERS } from '../../src/domain/filters.ts';
import {
  type DigestAddRequest,
  type DigestCommand,
  isDigestCommand,
  matchTeam,
  parseDigestCommand,
  unknownChannelError,
  unknownDigestError,
} from '../../src/domain/parse-digest-command.ts';

function command(text: string): DigestCommand {
  const result = parseDigestCommand(text);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(text)} to parse, got: ${result.error}`);
  return result.command;
}

function added(text: string): DigestAddRequest {
  const c = command(text);
  if (c.kind !== 'add') throw new Error(`expected an add, got ${c.kind}`);
  return c.request;
}

function failure(text: string): string {
  const result = parseDigestCommand(text);
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} to fail, got ${JSON.stringify(result)}`);
  return result.error;
}

describe('digest add', () => {
  it('reads an escaped channel, the team, the time, and defaults the rest', () => {
    expect(added('digest add <#C0123|support> team:Support at 09:00')).toEqual({
      channel: { id: 'C0123', name: 'support' },
      team: 'Support',
      at: '09:00',
      zone: null,
      weekdaysOnly: false,
      skipEmpty: false,
      filters: NO_FILTERS,
    });
  });

  it.each([
    ['<#C0123>', { id: 'C0123', name: null }],
    ['<#C0123|>', { id: 'C0123', name: null }],
    ['C0123', { id: 'C0123', name: null }],
    ['<#G01AB2CD3|private-team>', { id: 'G01AB2CD3', name: 'private-team' }],
  ])('channel %s', (typed, channel) => {
    expect(added(`digest add ${typed} team:Support at 09:00`).channel).toEqual(channel);
  });

  it('takes the words in any order, with a zone, weekdays, skip-empty and report filters', () => {
    expect(
      added(
        'digest add team:"Customer Success" skip-empty at 7:05 tz:Asia/Kathmandu <#C9|cs> weekdays source:workflow,bot assignee:"Mei Tan"',
      ),
    ).toEqual({
      channel: { id: 'C9', name: 'cs' },
      team: 'Customer Success',
      at: '07:05',
      zone: 'Asia/Kathmandu',
      weekdaysOnly: true,
      skipEmpty: true,
      filters: { ...NO_FILTERS, sources: ['workflow', 'bot'], assignees: ['Mei Tan'] },
    });
  });

  it('decodes what Slack escapes in filter values', () => {
    expect(added('digest add <#C1|s> team:R&amp;D at 09:00 contact:"A &lt;B&gt;"')).toMatchObject({
      team: 'R&D',
      filters: { contacts: ['A <B>'] },
    });
  });

  it.each([
    [
      'digest add <#C1|s> team:Support at 25:00',
      '`25:00` is not a time of day: use 24-hour HH:MM from 00:00 to 23:59',
    ],
    ['digest add <#C1|s> team:Support at 09:60', '`09:60` is not a time of day'],
    ['digest add <#C1|s> team:Support at 9am', '`9am`: write the time in 24-hour HH:MM'],
    ['digest add <#C1|s> team:Support at', '`at` needs a time of day'],
    ['digest add <#C1|s> team:Support', 'At what time? Add `at 09:00`'],
    ['digest add team:Support at 09:00', 'Which channel?'],
    ['digest add <#C1|s> at 09:00', 'Which team? Add `team:Support`'],
    ['digest add <#C1|s> team:Support,Sales at 09:00', 'One team per digest'],
    ['digest add <#C1|s> <#C2|t> team:Support at 09:00', 'Two channels'],
    ['digest add <#C1|s> team:Support at 09:00 at 10:00', 'Two times: `09:00` and `10:00`'],
    ['digest add #general team:Support at 09:00', 'Unknown channel `#general`: Slack did not recognise it'],
    [
      'digest add <#C1|s> team:Support at 09:00 yesterday',
      'A digest always covers the day before it posts: drop `yesterday`',
    ],
    [
      'digest add <#C1|s> team:Support at 09:00 weekday',
      "I don't understand `weekday` in a digest. Did you mean `weekdays`?",
    ],
    ['digest add <#C1|s> team:Support at 09:00 skip-empy', 'Did you mean `skip-empty`?'],
    [
      'digest add <#C1|s> team:Support at 09:00 sorce:bot',
      'Unknown filter `sorce:`. Did you mean `source:`?',
    ],
    [
      'digest add <#C1|s> team:Support at 09:00 tz:Asia/Kuala_Lumpr',
      'Unknown time zone `Asia/Kuala_Lumpr`. Did you mean `tz:Asia/Kuala_Lumpur`?',
    ],
    ['digest add <#C1|s> team:Support at 09:00 tz:Mars/Olympus', 'Unknown time zone `Mars/Olympus`'],
  ])('%s → %s', (text, error) => {
    expect(failure(text)).toContain(error);
  });
});

describe('the other digest commands', () => {
  it.each<[string, DigestCommand]>([
    ['digest', { kind: 'help' }],
    ['digest help', { kind: 'help' }],
    ['digest list', { kind: 'list' }],
    ['Digest LIST', { kind: 'list' }],
    ['digest remove d7k2', { kind: 'remove', id: 'd7k2' }],
    ['digest pause D7K2', { kind: 'pause', id: 'd7k2' }],
    ['digest resume `d7k2`', { kind: 'resume', id: 'd7k2' }],
    ['digest test d7k2', { kind: 'test', id: 'd7k2' }],
    ['digest log d7k2', { kind: 'log', id: 'd7k2' }],
    ['digests list', { kind: 'list' }],
  ])('%s', (text, expected) => {
    expect(command(text)).toEqual(expected);
  });

  it.each([
    ['digest remove', 'Which digest? `/assignments digest remove ID`'],
    ['digest pause d7k2 x8m3', '`digest pause` takes one digest id'],
    ['digest ad <#C1|s>', '`digest ad` is not a digest command. Did you mean `digest add`?'],
    ['digest lst', 'Did you mean `digest list`?'],
    ['digest list all', '`digest list` takes nothing after it'],
  ])('%s → %s', (text, error) => {
    expect(failure(text)).toContain(error);
  });

  it('recognises the subcommand by its first word only', () => {
    expect(isDigestCommand('digest list')).toBe(true);
    expect(isDigestCommand('  DIGEST')).toBe(true);
    expect(isDigestCommand('digests')).toBe(true);
    expect(isDigestCommand('yesterday digest')).toBe(false);
    expect(isDigestCommand('digestive')).toBe(false);
  });
});

describe('errors that need the store or Slack', () => {
  it('an unknown team suggests the nearest in the directory', () => {
    expect(matchTeam('support', ['Sales', 'Support'])).toEqual({ team: 'Support' });
    expect(matchTeam('Suport', ['Sales', 'Support'])).toEqual({
      error: 'Unknown team `Suport`. Did you mean `team:Support`? Teams: Sales, Support.',
    });
    expect(matchTeam('Custmer Success', ['Customer Success'])).toMatchObject({
      error: expect.stringContaining('Did you mean `team:"Customer Success"`?'),
    });
    expect(matchTeam('Support', [])).toMatchObject({
      error: expect.stringContaining('the team directory is empty'),
    });
  });

  it('with 10,000 teams, still suggests the nearest and names only the first 20', () => {
    const teams = Array.from({ length: 10_000 }, (_, i) => `Team ${String(i).padStart(5, '0')}`);
    const answer = matchTeam('Team 0O042', teams);
    expect(answer).toEqual({
      error: `Unknown team \`Team 0O042\`. Did you mean \`team:"Team 00042"\`? Teams: ${teams.slice(0, 20).join(', ')} and 9,980 more (\`/assignments teams\` lists them).`,
    });
  });

  it('an unknown channel says why it may be unknown', () => {
    expect(unknownChannelError({ id: 'C9', name: 'ops' }, 'channel_not_found')).toBe(
      'Unknown channel `#ops`: it does not exist, or it is private and Handoff is not in it (invite it there with `/invite @Handoff`).',
    );
    expect(unknownChannelError({ id: 'C9', name: null }, 'missing_scope')).toContain('channels:read');
  });

  it('an unknown digest id suggests a near one', () => {
    expect(unknownDigestError('d7k3', ['d7k2', 'x8m3'])).toBe(
      'No digest `d7k3`. Did you mean `d7k2`? `/assignments digest list` shows the ids.',
    );
  });
});
