import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { quickchartPublisher } from '../../src/charts/chart-publisher.ts';
import { createConsoleAnswer } from '../../src/console/console-answer.ts';
import { consoleBanner, countEvents, mongoHosts } from '../../src/console/console-banner.ts';
import { runConsole } from '../../src/console/run-console.ts';
import { demoEvents } from '../../src/demo/demo-events.ts';
import { STORE_TOO_SLOW } from '../../src/render/wording.ts';
import { createAssignmentStore } from '../../src/store/assignment-store.ts';
import { StoreTimeoutError } from '../../src/store/collection.ts';
import { openTestEngine } from '../store/engines.ts';

const NOW = new Date('2026-11-26T10:00:00Z');

const ZONE = 'Asia/Kuala_Lumpur';

/** Pipes `lines` into the console on demo data, as src/main.ts runs it; answers what it printed and its run. */
async function pipe(lines: string[]) {
  const store = createAssignmentStore(await openTestEngine('console'));
  await store.init();
  await store.ingest(demoEvents(NOW, ZONE));
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (c: Buffer) => chunks.push(c));
  const charts = quickchartPublisher('https://quickchart.io');
  const run = await runConsole(createConsoleAnswer({ store, charts, zone: ZONE, now: () => NOW }), {
    input: Readable.from(lines.map((l) => `${l}\n`)),
    output,
    interactive: false,
  });
  await store.close();
  return { out: Buffer.concat(chunks).toString('utf8'), run };
}

async function consoleOutput(lines: string[]): Promise<string> {
  return (await pipe(lines)).out;
}

describe('the local console on demo data', () => {
  it('answers each line of piped input and ends with the input', async () => {
    const out = await consoleOutput([
      'yesterday source:workflow',
      'yesterday',
      '/assignments help',
      'sorce:x',
    ]);
    expect(out).toContain('Assignments · Yesterday, Wed 25 Nov 2026\nKuala Lumpur time (UTC+8)');
    expect(out).toContain('Filters: Source: Workflow');
    // One source draws no chart; all of them draw one, given as its URL.
    expect(out).toMatch(/^Chart \(Assignments by source\): https:\/\/quickchart\.io\/chart\?c=/m);
    expect(out).toContain('Usage: /assignments [range] [filters…]');
    expect(out).toContain('Error: Unknown filter `sorce:`. Did you mean `source:`?');
  });

  it('skips a piped empty line, as the interactive console does; `/assignments` alone is the default report', async () => {
    const blank = await pipe(['', '   ']);
    expect(blank).toEqual({ out: '', run: { answered: 0, errors: 0 } });
    const bare = await pipe(['/assignments']);
    expect(bare.out).toContain('Assignments · Last 7 days');
  });

  it('counts the lines that were errors, so a piped run can exit 1', async () => {
    expect((await pipe(['yesterday', 'sorce:x', 'conversation:', 'export yesterday'])).run).toEqual({
      answered: 4,
      errors: 2,
    });
    expect((await pipe(['yesterday', 'teams'])).run.errors).toBe(0);
  });

  it('has demo data with all seven sources, several teams and reassignments', async () => {
    const events = demoEvents(NOW);
    expect(new Set(events.map((e) => e.source)).size).toBe(7);
    expect(new Set(events.map((e) => e.team?.name)).size).toBeGreaterThanOrEqual(3);
    expect(events.some((e) => e.assignee === null)).toBe(true);
    expect(events.every((e) => e.timestamp <= NOW)).toBe(true);
    const out = await consoleOutput(['last 30 days']);
    expect(out).toMatch(/Total: [\d,]{3,}/);
    expect(out).not.toContain('No assignments');
  });
});

describe('the local console when the store takes too long', () => {
  it('says so politely, counts it as an error and goes on to the next line', async () => {
    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on('data', (c: Buffer) => chunks.push(c));
    let calls = 0;
    const run = await runConsole(
      async () => {
        if (++calls === 1) throw new StoreTimeoutError('aggregate on assignments', 20_000);
        return 'second answer';
      },
      { input: Readable.from(['last 400 days\n', 'yesterday\n']), output, interactive: false },
    );
    expect(Buffer.concat(chunks).toString('utf8')).toBe(`Error: ${STORE_TOO_SLOW}\nsecond answer\n`);
    expect(run).toEqual({ answered: 2, errors: 1 });
  });
});

describe('the console banner', () => {
  it('names the database and how many events it holds, without the credentials', async () => {
    const engine = await openTestEngine('banner');
    const store = createAssignmentStore(engine);
    await store.init();
    await store.ingest(demoEvents(NOW, ZONE).slice(0, 1234));
    const events = await countEvents(engine);
    expect(events).toBe(1234);
    const uri = 'mongodb://reporter:s3cret@db1:27017,db2:27017/handoff?replicaSet=rs0';
    expect(mongoHosts(uri)).toBe('db1:27017,db2:27017');
    expect(consoleBanner({ uri, db: 'handoff', events }, 'UTC')).toBe(
      'Local console on MongoDB database "handoff" at db1:27017,db2:27017: 1,234 assignment events, zone UTC.\n' +
        'Type a command such as `yesterday source:workflow`, or `help`. Set SLACK_BOT_TOKEN to run in Slack.',
    );
    expect(consoleBanner({ demo: 6550 }, ZONE)).toMatch(
      /^Local console on demo data \(6,550 assignments, zone Asia\/Kuala_Lumpur\)\./,
    );
    await store.close();
  });
});
