import { type DigestJobDeps, runDueDigests } from '../jobs/run-digests.ts';
import { quickchartPublisher } from '../src/charts/chart-publisher.ts';
import { DELAY_GRACE_MS } from '../src/domain/digest-schedule.ts';
import { NO_FILTERS } from '../src/domain/filters.ts';
import { createComposeDigest } from '../src/reports/compose-digest.ts';
import { createChannelPacer } from '../src/slack/channel-pacer.ts';
import type { DigestPoster } from '../src/slack/digest-poster.ts';
import { createDigestData } from '../src/store/digest-data.ts';
import type { SlackCall } from '../test/fakes/fake-slack-api.ts';
import { startTestApp } from '../test/fakes/start-test-app.ts';
import { makeEvents } from './make-events.ts';
import { percentile } from './percentile.ts';
import { count, ms, ratio } from './print-table.ts';

// 500 digests due in the same minute, spread over 100 channels: how long the real round (claim, compose with the
// real composer over the in-process engine, post main message + thread reply through the real poster) takes
// against the fake Slack Web API over HTTP, beside the floor Slack's pace sets (1 message per second per channel,
// channels in parallel); and the store work per digest with Slack taken out.

const DIGESTS = 500;
const CHANNELS = 100;
const TEAMS = ['Support', 'Sales', 'Billing'];
const ZONE = 'Asia/Kuala_Lumpur';
/** Local 09:00 in Kuala Lumpur on Fri 27 Nov 2026; the store-only round runs the day before. */
const DUE = new Date('2026-11-27T01:00:00Z');
const DAY_BEFORE = new Date(DUE.getTime() - 86_400_000);
const EVENTS = 30_000;
const LOAD_BATCH = 500;
/** Past this a digest starts after DELAY_GRACE_MS and is marked delayed: the round should beat it. */
const ROUND_TARGET_S = DELAY_GRACE_MS / 1000;

const log = (line: string) => console.log(`  … ${line}`);

/** A poster that answers at once: the round's Slack side taken out, to time the store work alone. */
function instantPoster(): DigestPoster {
  let ts = 0;
  return {
    postMessage: async () => ({ ok: true, ts: `1.${++ts}` }),
    openDm: async (user) => ({ ok: true, channel: `D${user}` }),
  };
}

/** Shortest gap between two messages to one channel (ms), over all channels. */
function minimumGap(calls: readonly SlackCall[]): number {
  const byChannel = new Map<string, number[]>();
  for (const c of calls) {
    const channel = String(c.args.channel);
    byChannel.set(channel, [...(byChannel.get(channel) ?? []), c.at]);
  }
  let min = Number.POSITIVE_INFINITY;
  for (const times of byChannel.values())
    for (let i = 1; i < times.length; i++) min = Math.min(min, (times[i] ?? 0) - (times[i - 1] ?? 0));
  return min;
}

/** Table rows: the round against the pacing floor, and store work per digest against a claim alone. */
export async function benchDigests(): Promise<string[][]> {
  console.log(
    `6. digests: ${DIGESTS} due in the same minute over ${CHANNELS} channels, fake Slack over HTTP`,
  );
  let now = DUE;
  const app = await startTestApp({ now: () => now });
  try {
    const events = makeEvents({
      windows: [{ from: new Date(DUE.getTime() - 30 * 86_400_000), to: DUE, count: EVENTS }],
      contacts: EVENTS / 5,
      idPrefix: 'dg',
      seed: 7,
    });
    for (let i = 0; i < events.length; i += LOAD_BATCH)
      await app.store.ingest(events.slice(i, i + LOAD_BATCH));
    for (let i = 0; i < DIGESTS; i++) {
      const channel = `C${String(i % CHANNELS).padStart(6, '0')}`;
      await app.digests.add({
        channelId: channel,
        channelName: `team-${i % CHANNELS}`,
        team: TEAMS[i % TEAMS.length] ?? 'Support',
        at: '09:00',
        zone: ZONE,
        weekdaysOnly: false,
        skipEmpty: false,
        filters: NO_FILTERS,
        createdBy: 'UBENCH',
        createdAt: new Date(DAY_BEFORE.getTime() - 86_400_000),
      });
    }
    log(`${count(events.length)} events over 30 days, ${DIGESTS} digests in ${TEAMS.length} teams`);

    // Store work: claims alone (a day nobody uses), then whole rounds with Slack answering at once.
    const claimStarted = performance.now();
    for (const def of await app.digests.list())
      await app.digests.claim({ digestId: def.id, localDate: '2026-01-01', scheduledAt: DAY_BEFORE });
    const claimMs = (performance.now() - claimStarted) / DIGESTS;
    const storeOnly: DigestJobDeps = {
      ...app.digestJobs,
      poster: instantPoster(),
      pacer: createChannelPacer({ intervalMs: 0 }),
      now: () => DAY_BEFORE,
    };
    const storeStarted = performance.now();
    const storeRound = await runDueDigests(storeOnly, DAY_BEFORE);
    const storeMs = (performance.now() - storeStarted) / DIGESTS;
    if (storeRound.posted !== DIGESTS)
      throw new Error(`store-only round posted ${storeRound.posted} of ${DIGESTS}`);
    log(
      `store only: ${ms(storeMs)} ms per digest (claim + compose + record), a claim alone ${ms(claimMs)} ms`,
    );
    // What one team's day costs to read and render when no other digest shares the read.
    const alone = createComposeDigest({
      data: createDigestData(app.engine),
      charts: quickchartPublisher('https://quickchart.example'),
      reuseForMs: 0,
    });
    const samples: number[] = [];
    for (const def of (await app.digests.list()).slice(0, 3 * TEAMS.length)) {
      const t = performance.now();
      await alone(def, '2026-11-25', { test: false, delayedBy: null });
      samples.push(performance.now() - t);
    }
    const aloneMs = percentile(samples, 50);
    log(`one team's day read and rendered without sharing: p50 ${ms(aloneMs)} ms over ${samples.length}`);

    // The real round: paced per channel, against the fake Slack over HTTP.
    now = DUE;
    const before = app.slack.callsTo('chat.postMessage').length;
    const started = performance.now();
    const round = await runDueDigests(app.digestJobs, DUE);
    const roundS = (performance.now() - started) / 1000;
    const calls = app.slack.callsTo('chat.postMessage').slice(before);
    const mains = calls.filter((c) => !c.args.thread_ts);
    const perChannel = (2 * DIGESTS) / CHANNELS;
    const floorS = perChannel - 1;
    const gap = minimumGap(calls);
    const again = await runDueDigests(app.digestJobs, new Date(DUE.getTime() + 60_000));
    log(
      `round: ${round.posted} posted, ${mains.length} messages + ${calls.length - mains.length} thread replies ` +
        `in ${ms(roundS)} s (${round.delayed} marked delayed); shortest gap in one channel ${ms(gap)} ms; the next minute posted ${again.posted}`,
    );
    if (round.posted !== DIGESTS || mains.length !== DIGESTS || again.posted !== 0)
      throw new Error('the digest round did not post exactly one message per digest');
    return [
      [
        `${DIGESTS} digests due at once, ${CHANNELS} channels: claim + post all (s)`,
        ms(roundS),
        `pace floor ${floorS} s (${perChannel} msgs/channel at 1/s)`,
        ratio(roundS / floorS),
        `< ${ROUND_TARGET_S} s, none delayed ${roundS < ROUND_TARGET_S && round.delayed === 0 ? '✓' : '✗ missed'}`,
      ],
      [
        `store work per digest, compose + claim + record, ${TEAMS.length} teams share reads (ms)`,
        ms(storeMs),
        `claim alone ${ms(claimMs)}`,
        ratio(storeMs / claimMs),
        '',
      ],
      [
        `one team's day read + rendered, no shared read, ${count(EVENTS)} events (ms)`,
        ms(aloneMs),
        `shared, per digest ${ms(storeMs)}`,
        ratio(aloneMs / storeMs),
        '',
      ],
      [
        'shortest gap between two messages in one channel (ms)',
        ms(gap),
        'Slack: ~1,000',
        ratio(gap / 1000),
        '≈ 1,000',
      ],
    ];
  } finally {
    await app.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await benchDigests()) console.log(row.join(' | '));
  process.exit(0);
}
