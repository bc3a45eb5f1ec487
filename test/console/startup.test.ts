import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeMongoServer } from '../fakes/fake-mongo-server.ts';

// `npm start` as a child process against a MongoDB faked on a loopback port: what start-up sends the database
// and says, with no server of the real kind available here.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Run {
  code: number | null;
  output: string;
}

/** `npm start` (the local console: no Slack settings) with `env`, its input ending at once. */
function start(env: Record<string, string>): Promise<Run> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(MONGODB_|SLACK_|STORE_|DEFAULT_TIMEZONE)/.test(k)),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { ...base, ...env },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stdin.end();
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('start-up against MongoDB (a faked server)', () => {
  let server: FakeMongoServer;

  beforeEach(async () => {
    server = await new FakeMongoServer().start();
  });
  afterEach(() => server.stop());

  it('refuses a server older than 6.0, saying which version is needed', async () => {
    server.version = '5.0.14';
    server.maxWireVersion = 13;
    const run = await start({ MONGODB_URI: server.url });
    expect(run.code).toBe(1);
    expect(run.output).toContain('Handoff cannot start: MongoDB 5.0.14 at mongodb://127.0.0.1:');
    expect(run.output).toContain('is too old: Handoff needs MongoDB 6.0 or newer');
  });

  it('in the local console creates no index, and lists the ones missing', async () => {
    const run = await start({ MONGODB_URI: server.url, MONGODB_DB: 'reports' });
    expect(run.code).toBe(0);
    expect(server.sent('createIndexes')).toEqual([]);
    expect(server.sent('listIndexes').map((c) => c.body.listIndexes)).toEqual([
      'assignments',
      'agents',
      'contact_state',
    ]);
    expect(run.output).toContain('the local console creates no indexes: 11 indexes are missing');
    expect(run.output).toContain("db.assignments.createIndex({ ts: -1, _id: -1 }, { name: 'ts' })");
  });
});
