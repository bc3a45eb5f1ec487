import { describe, expect, it } from 'vitest';
import { cleanName, escapeEntities, escapeMrkdwn, truncate } from '../../src/render/escape.ts';

const J = '\u2060';

describe('escapeMrkdwn', () => {
  it('leaves ordinary names alone', () => {
    expect(escapeMrkdwn('Aisha Rahman')).toBe('Aisha Rahman');
    expect(escapeMrkdwn("Siti Nur'aini bt. Ali")).toBe("Siti Nur'aini bt. Ali");
  });

  it('escapes the three entities Slack requires', () => {
    expect(escapeMrkdwn('Tom & Jerry <3')).toBe('Tom &amp; Jerry &lt;3');
  });

  it('cannot produce a mention, a link or formatting', () => {
    expect(escapeMrkdwn('<!channel>')).toBe(`&lt;!${J}channel${J}&gt;`);
    expect(escapeMrkdwn('@here #general')).toBe(`@${J}here #${J}general`);
    expect(escapeMrkdwn('*bold* _it_ ~s~ `c`')).toBe(
      `${J}*${J}bold${J}*${J} ${J}_${J}it${J}_${J} ${J}~${J}s${J}~${J} ${J}\`${J}c${J}\`${J}`,
    );
    expect(escapeMrkdwn('<http://x|click>')).toBe(`&lt;http:${J}//x|click${J}&gt;`);
    expect(escapeMrkdwn('evil.com')).toBe(`evil.${J}com`);
    expect(escapeMrkdwn('> quoted')).toBe(`${J}&gt; quoted`);
  });

  it('puts a name on one line and cuts long ones at 80 characters', () => {
    expect(escapeMrkdwn('Mei\n\nTan\r\n ')).toBe('Mei Tan');
    const long = escapeMrkdwn('a'.repeat(200));
    expect(long).toHaveLength(80);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('cleanName', () => {
  it('drops control characters and bidi overrides', () => {
    expect(cleanName('Ben\u0007 \u202eLim\u0000')).toBe('Ben Lim');
  });

  it('drops zero-width characters, like the other invisible ones', () => {
    expect(cleanName('Mei\u200bTan')).toBe('MeiTan');
    expect(cleanName('Mei\u200d Tan\u2060')).toBe('Mei Tan');
    expect(escapeMrkdwn('Mei\u200bTan')).toBe('MeiTan');
  });
});

describe('escapeEntities', () => {
  it('escapes only & < >', () => {
    expect(escapeEntities('`a&b` <@U1> *x*')).toBe('`a&amp;b` &lt;@U1&gt; *x*');
  });
});

describe('truncate', () => {
  it('keeps short text and cuts long text with an ellipsis within the limit', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('exactly10!', 10)).toBe('exactly10!');
    expect(truncate('longer than ten', 10)).toBe('longer th…');
  });

  it('never splits an emoji in half', () => {
    const cut = truncate('ab😀cd', 4);
    expect(cut).toBe('ab…');
    expect(cut.length).toBeLessThanOrEqual(4);
  });
});
