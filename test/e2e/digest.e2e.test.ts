import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDueDigests } from '../../jobs/run-digests.ts';
import type { AssignmentEvent, Party } from '../../src/domain/event.ts';
import { makeEvent } from '../builders/event.ts';
import { commandAnswer } from '../fakes/send-command.ts';
import { signedCommand } from '../fakes/signed-request.ts';
import { startTestApp, type TestApp } from '../fakes/start-test-app.ts';

// Digests end to end: managed by signed slash commands into the real Bolt app, posted by the digest round through
// the real poster (a WebClient over HTTP) to the fake Slack Web API, with the real composer over the real store.

const ZONE = 'Asia/Kuala_Lumpur';
/** Thursday 26 Nov 2026, 18:00 in Kuala Lumpur. */
const START = new Date('2026-11-26T10:00:00Z');
const MINUTE = 60_000;

const MEI: Party = { id: 'u2', name: 'Mei Tan' };
const JOHN: Party = { id: 'u3', name: 'John Doe' };
const ALI: Party = { id: 'u4', name: 'Ali Hassan' };
const SARAH: Party = { id: 'u9', name: 'Sarah Lee' };

let n = 0;
const at = (iso: string, contact: string, assignee: Party | null, more: Partial<AssignmentEvent> = {}) =>
  makeEvent({
    id: `d${++n}`,
    timestamp: new Date(iso),
    contact: { id: contact, name: `Contact ${contact}` },
    assignee,
    conversationId: null,
    ...more,
  });

// Thursday 26 Nov in Kuala Lumpur is [2026-11-25T16:00Z, 2026-11-26T16:00Z).
const EVENTS: AssignmentEvent[] = [
  // The day before (Wed 25 Nov): one for Support.
  at('2026-11-25T03:00:00Z', 'k0', MEI, { source: 'workflow' }),
  // Thursday, Support: 3 (two by workflow to Mei Tan, one by Sarah Lee to John Doe).
  at('2026-11-25T16:00:00Z', 'k1', MEI, { source: 'workflow', conversationId: '88231' }),
  at('2026-11-26T02:00:00Z', 'k2', MEI, { source: 'workflow', conversationId: '88232' }),
  at('2026-11-26T05:30:00Z', 'k1', JOHN, { source: 'user', assignedBy: SARAH, conversationId: '88231' }),
  // Thursday, Sales: 2 by bot.
  at('2026-11-26T03:00:00Z', 'k5', ALI, { source: 'bot' }),
  at('2026-11-26T04:00:00Z', 'k6', ALI, { source: 'bot' }),
  // Friday local (after 16:00Z): not Thursday's.
  at('2026-11-26T16:00:00Z', 'k7', MEI, { source: 'workflow' }),
];

describe('/assignments digest end to end', () => {
  let app: TestApp;
  let now = START;

  /** Sends a signed `/assignments …` and waits for its private answer. */
  async function command(text: string, userId = 'UADMIN') {
    const answer = await commandAnswer(app, text, { userId });
    const blocks = Array.isArray(answer.blocks) ? answer.blocks : [];
    const text_ = blocks.map((b: { text?: { text?: string } }) => b.text?.text ?? '').join('\n');
    return { answer, text: text_ };
  }

  /** One digest round per minute from `from` (inclusive) to `to` (exclusive), as the ticker would run them. */
  async function tick(from: string, to: string) {
    for (let t = new Date(from).getTime(); t < new Date(to).getTime(); t += MINUTE) {
      now = new Date(t);
      await runDueDigests(app.digestJobs, now);
    }
  }

  const posts = () => app.slack.callsTo('chat.postMessage');
  const mainPosts = (channel?: string) =>
    posts().filter((c) => !c.args.thread_ts && (channel === undefined || c.args.channel === channel));

  let supportId = '';
  let salesId = '';

  beforeAll(async () => {
    app = await startTestApp({ now: () => now, digestAdmins: ['UADMIN'] });
    app.slack.zones.set('UADMIN', ZONE);
    app.slack.zones.set('U2', 'America/New_York');
    app.slack.channels.set('C0SUPPORT', 'support');
    app.slack.channels.set('C0SALES', 'sales');
    app.slack.channels.set('C0GONE', 'old-team');
    app.slack.channelErrors.set('C0GONE', 'not_in_channel');
    await app.store.agents.upsert([
      { id: 'u2', name: 'Mei Tan', team: 'Support' },
      { id: 'u3', name: 'John Doe', team: 'Support' },
      { id: 'u4', name: 'Ali Hassan', team: 'Sales' },
    ]);
    expect((await app.store.ingest(EVENTS)).accepted).toBe(EVENTS.length);
  });

  afterAll(() => app.stop());

  it('adds a digest from an escaped channel link, in the creator’s zone, and says when it next posts', async () => {
    const { text } = await command('digest add <#C0SUPPORT|support> team:support at 09:00');
    supportId = /Digest `([a-z0-9]+)` added/.exec(text)?.[1] ?? '';
    expect(supportId).toMatch(/^[a-z2-9]{4}$/);
    expect(text).toContain(
      "yesterday's assignments for *Support* in <#C0SUPPORT> at 09:00 Asia/Kuala_Lumpur, every day",
    );
    expect(text).toContain('next: Fri 27 Nov 09:00 Asia/Kuala_Lumpur');
    const sales = await command(
      'digest add C0SALES team:Sales at 9:00 tz:Asia/Kuala_Lumpur weekdays source:bot',
    );
    salesId = /Digest `([a-z0-9]+)` added/.exec(sales.text)?.[1] ?? '';
    expect(sales.text).toContain('09:00 Asia/Kuala_Lumpur, weekdays');
    expect(sales.text).toContain('Filters: source:bot');
    expect(app.slack.callsTo('conversations.info').map((c) => c.args.channel)).toEqual([
      'C0SUPPORT',
      'C0SALES',
    ]);
  });

  it('explains a time inside a DST gap, and removes that digest again', async () => {
    const { text } = await command(
      'digest add <#C0SUPPORT|support> team:Support at 02:30 tz:America/New_York',
    );
    expect(text).toContain(
      '02:30 does not exist in America/New_York on Sun 14 Mar 2027 (the clocks go forward): that day it posts at 03:00, once.',
    );
    const id = /Digest `([a-z0-9]+)` added/.exec(text)?.[1] ?? '';
    expect((await command(`digest remove ${id}`)).text).toContain(`Removed \`${id}\``);
  });

  it('shows and stores a typed zone by its canonical name', async () => {
    const { text } = await command('digest add <#C0SUPPORT|support> team:Support at 08:00 tz:europe/kiev');
    expect(text).toContain('at 08:00 Europe/Kyiv, every day');
    const id = /Digest `([a-z0-9]+)` added/.exec(text)?.[1] ?? '';
    expect((await app.digests.get(id))?.zone).toBe('Europe/Kyiv');
    await command(`digest remove ${id}`);
  });

  it.each([
    ['digest add <#C0NOPE|nope> team:Support at 09:00', 'Unknown channel `#nope`: it does not exist'],
    [
      'digest add <#C0SUPPORT|support> team:Suport at 09:00',
      'Unknown team `Suport`. Did you mean `team:Support`?',
    ],
    ['digest add <#C0SUPPORT|support> team:Support at 25:00', '`25:00` is not a time of day'],
    [
      'digest add <#C0SUPPORT|support> team:Support at 09:00 tz:Asia/Kuala_Lumpr',
      'Did you mean `tz:Asia/Kuala_Lumpur`?',
    ],
    ['digest pause zzzz', 'No digest `zzzz`.'],
  ])('%s → an exact error', async (text, error) => {
    expect((await command(text)).text).toContain(error);
  });

  it('only admins manage digests; everyone may list them', async () => {
    expect((await command('digest add <#C0SUPPORT|support> team:Support at 10:00', 'U2')).text).toContain(
      'Only the people listed in DIGEST_ADMINS manage digests',
    );
    expect((await command(`digest pause ${supportId}`, 'U2')).text).toContain('Only the people listed');
    const { text } = await command('digest list', 'U2');
    expect(text).toContain('*Digests* (2)');
    expect(text).toContain(
      `\`${supportId}\` · <#C0SUPPORT> · *Support* · 09:00 Asia/Kuala_Lumpur, every day · next: Fri 27 Nov 09:00 Asia/Kuala_Lumpur`,
    );
    expect(text).toContain(
      `\`${salesId}\` · <#C0SALES> · *Sales* · 09:00 Asia/Kuala_Lumpur, weekdays · source:bot`,
    );
  });

  it('at 09:00 in Kuala Lumpur each team’s channel gets exactly one message with Thursday’s numbers, and the thread reply', async () => {
    await tick('2026-11-27T00:55:00Z', '2026-11-27T00:59:00Z');
    expect(posts()).toEqual([]);
    await tick('2026-11-27T00:59:00Z', '2026-11-27T01:10:00Z');
    const [support] = mainPosts('C0SUPPORT');
    const [sales] = mainPosts('C0SALES');
    expect(mainPosts()).toHaveLength(2);
    expect(String(support?.args.text)).toMatch(
      /^Support, yesterday \(.*Thu 26 Nov 2026.*\): 3 assignments, \+2 /,
    );
    expect(String(sales?.args.text)).toMatch(/^Sales, yesterday \(.*Thu 26 Nov 2026.*\): 2 assignments/);
    const supportBlocks = String(support?.args.blocks);
    expect(supportBlocks).toContain('Mei Tan');
    expect(supportBlocks).toContain('John Doe');
    const replies = posts().filter((c) => c.args.thread_ts);
    expect(replies.map((r) => [r.args.channel, r.args.thread_ts])).toEqual(
      expect.arrayContaining([
        ['C0SUPPORT', expect.any(String)],
        ['C0SALES', expect.any(String)],
      ]),
    );
    expect(replies).toHaveLength(2);
    const supportReply = replies.find((r) => r.args.channel === 'C0SUPPORT');
    expect(String(supportReply?.args.text)).toContain('Latest 3 of 3 assignments for Support');
    // The reply goes into the main message's thread, about a second after it (one message per second per channel).
    const [run] = await app.digests.log(supportId);
    expect(run).toMatchObject({ state: 'posted', threadTs: expect.any(String) });
    expect(supportReply?.args.thread_ts).toBe(run?.ts);
    expect(supportReply && support ? supportReply.at - support.at : 0).toBeGreaterThanOrEqual(900);
    expect((await command(`digest log ${supportId}`)).text).toMatch(/Fri 27 Nov · posted at 09:0\d/);
  });

  it('the next day posts again, once per team per day (Saturday: the weekdays digest rests)', async () => {
    await tick('2026-11-28T00:58:00Z', '2026-11-28T01:05:00Z');
    expect(mainPosts('C0SUPPORT')).toHaveLength(2);
    expect(mainPosts('C0SALES')).toHaveLength(1);
  });

  it('pause and resume by command', async () => {
    expect((await command(`digest pause ${supportId}`)).text).toContain(`Paused \`${supportId}\``);
    expect((await command('digest list')).text).toContain(':double_vertical_bar: paused');
    await tick('2026-11-29T00:59:00Z', '2026-11-29T01:02:00Z');
    expect(mainPosts('C0SUPPORT')).toHaveLength(2);
    now = new Date('2026-11-29T02:00:00Z');
    expect((await command(`digest resume ${supportId}`)).text).toContain(
      'next: Mon 30 Nov 09:00 Asia/Kuala_Lumpur',
    );
    await tick('2026-11-29T02:00:00Z', '2026-11-29T02:02:00Z');
    expect(mainPosts('C0SUPPORT')).toHaveLength(2);
  });

  it('digest test posts now, marked as a test, and does not count as the day’s delivery', async () => {
    now = new Date('2026-11-30T00:30:00Z'); // Mon 08:30 in Kuala Lumpur
    const { text } = await command(`digest test ${supportId}`);
    expect(text).toContain(`Posted a test of \`${supportId}\` to <#C0SUPPORT>`);
    const test = mainPosts('C0SUPPORT').at(-1);
    expect(JSON.stringify(test?.args)).toContain('not counted as delivered');
    expect(mainPosts('C0SUPPORT')).toHaveLength(3);
    await tick('2026-11-30T00:59:00Z', '2026-11-30T01:02:00Z');
    expect(mainPosts('C0SUPPORT')).toHaveLength(4);
    const log = (await command(`digest log ${supportId}`)).text;
    expect(log).toContain('Mon 30 Nov · posted at 09:0');
    expect(log).toContain('Mon 30 Nov · test posted at 08:30');
  });

  it('a 429 is waited out; not_in_channel fails the day and DMs the creator once', async () => {
    const gone = await command('digest add <#C0GONE|old-team> team:Sales at 09:30');
    const goneId = /Digest `([a-z0-9]+)` added/.exec(gone.text)?.[1] ?? '';
    // Tuesday 1 Dec, 09:00: Support and Sales post, and whichever asks first is told to wait a second (429).
    const before = mainPosts().length;
    app.slack.rateLimit('chat.postMessage', 1, 1);
    await tick('2026-12-01T01:00:00Z', '2026-12-01T01:40:00Z');
    const tuesday = mainPosts().slice(before);
    const [limited, ...others] = tuesday.filter((c) => c.args.channel !== 'DUADMIN');
    // The limited message, its retry a second later, the other team's message and the failing channel's one.
    expect(others.map((c) => c.args.channel).sort()).toEqual(['C0GONE', 'C0SALES', 'C0SUPPORT']);
    const retry = others.find((c) => c.args.channel === limited?.args.channel);
    expect(retry && limited ? retry.at - limited.at : 0).toBeGreaterThanOrEqual(950);
    for (const id of [supportId, salesId])
      expect((await app.digests.log(id))[0]).toMatchObject({ localDate: '2026-12-01', state: 'posted' });
    expect(app.slack.callsTo('conversations.open').map((c) => c.args.users)).toEqual(['UADMIN']);
    const dm = posts().find((c) => c.args.channel === 'DUADMIN');
    expect(String(dm?.args.text)).toContain('Handoff is not a member of #old-team');
    expect(posts().filter((c) => c.args.channel === 'C0GONE')).toHaveLength(1);
    expect((await command(`digest log ${goneId}`)).text).toContain(
      'failed: Handoff is not a member of #old-team',
    );
  });
});

/** Sends `/assignments text` as `userId` and answers its private reply as JSON text. */
async function answerAs(app: TestApp, text: string, userId: string): Promise<string> {
  return JSON.stringify(await commandAnswer(app, text, { userId }));
}

describe('without DIGEST_ADMINS, workspace admins and owners manage digests', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ now: () => START });
    app.slack.admins.add('UADMIN');
    app.slack.owners.add('UOWNER');
    app.slack.channels.set('C0SUPPORT', 'support');
    await app.store.agents.upsert([{ id: 'u2', name: 'Mei Tan', team: 'Support' }]);
  });
  afterAll(() => app.stop());

  const answer = (text: string, userId: string) => answerAs(app, text, userId);

  it.each([
    ['UADMIN', 'added'],
    ['UOWNER', 'added'],
    ['UMEMBER', 'Only workspace admins and owners manage digests (or set DIGEST_ADMINS)'],
  ])('%s → %s', async (userId, expected) => {
    expect(await answer('digest add <#C0SUPPORT|support> team:Support at 09:00', userId)).toContain(expected);
  });

  it('everyone may list', async () => {
    expect(await answer('digest list', 'UMEMBER')).toContain('*Digests* (2)');
  });
});

describe('a team that arrives on events, with no directory', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ now: () => START });
    app.slack.admins.add('UADMIN');
    app.slack.channels.set('C0SUPPORT', 'support');
  });
  afterAll(() => app.stop());

  it('is a team digest add knows', async () => {
    const responseUrl = app.sink.newUrl();
    const send = async (text: string) => {
      const req = signedCommand({ text, userId: 'UADMIN', responseUrl });
      await fetch(`${app.url}/slack/events`, { method: 'POST', body: req.body, headers: req.headers });
      await app.sink.waitFor(app.sink.postsTo(responseUrl).length + 1);
      return JSON.stringify(app.sink.postsTo(responseUrl).at(-1)?.body ?? {});
    };
    expect(await send('digest add <#C0SUPPORT|support> team:Support at 09:00')).toContain(
      'no team is known yet',
    );
    await app.store.ingest([
      makeEvent({
        id: 'team-1',
        timestamp: new Date('2026-11-26T02:00:00Z'),
        team: { id: 'chatwoot:7:3', name: 'Support' },
      }),
    ]);
    expect(await send('digest add <#C0SUPPORT|support> team:support at 09:00')).toContain('added');
  });
});

describe('digests and ALLOWED_USERS', () => {
  let app: TestApp;
  beforeAll(async () => {
    // U1 may run reports; UDIG manages digests without being on that list; UOTHER is on neither.
    app = await startTestApp({ now: () => START, allowedUsers: ['U1'], digestAdmins: ['UDIG'] });
    app.slack.channels.set('C0SUPPORT', 'support');
    await app.store.agents.upsert([{ id: 'u2', name: 'Mei Tan', team: 'Support' }]);
  });
  afterAll(() => app.stop());

  const answer = (text: string, userId: string) => answerAs(app, text, userId);

  it('a DIGEST_ADMINS user who is not in ALLOWED_USERS manages digests', async () => {
    expect(await answer('digest add <#C0SUPPORT|support> team:Support at 09:00', 'UDIG')).toContain('added');
  });

  it('everyone may list digests, ALLOWED_USERS or not, but only DIGEST_ADMINS manage them', async () => {
    expect(await answer('digest list', 'UOTHER')).toContain('*Digests* (1)');
    expect(await answer('digest add <#C0SUPPORT|support> team:Support at 10:00', 'U1')).toContain(
      'Only the people listed in DIGEST_ADMINS manage digests',
    );
  });

  it('reports stay for ALLOWED_USERS only', async () => {
    expect(await answer('yesterday', 'UDIG')).toContain('ALLOWED_USERS');
  });
});
