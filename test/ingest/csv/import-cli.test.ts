import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressReporter } from '../../../src/ingest/csv/format-import-summary.ts';
import { parseImportArgs, parseImportEnv, rejectedPathFor } from '../../../src/ingest/csv/import-cli-args.ts';
import { EXIT, runImportCli } from '../../../src/ingest/csv/run-import-cli.ts';
import { createAssignmentStore } from '../../../src/store/assignment-store.ts';
import { createMemoryEngine } from '../../../src/store/memory-engine.ts';
import { runCli, SMOKE_TIMEOUT_MS } from '../../fakes/run-cli.ts';
import { fixturePath, HEADER } from './helpers.ts';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run import -- …` in process: the command line's logic with MONGODB_URI's store in memory. */
async function runImport(
  args: string[],
  env: Record<string, string> = {},
  options: { signal?: AbortSignal } = {},
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runImportCli(args, {
    env,
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    openStore: async () => createAssignmentStore(createMemoryEngine()),
    ...options,
  });
  return { code, stdout, stderr };
}

const MEMORY = { MONGODB_URI: 'memory://' };

describe('npm run import (child process, MONGODB_URI=memory://)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'import-cli-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'imports the log export, prints the summary with the zone used, and exits 0',
    async () => {
      const file = fixturePath('assignments-log.csv');
      const run = await runCli('src/cli/import.ts', [file, '--timezone', 'Asia/Kuala_Lumpur'], {
        cwd: dir,
        env: MEMORY,
      });
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(
        [
          `${file}: 7 rows; timestamps without an offset read in Asia/Kuala_Lumpur (--timezone)`,
          '  new         7',
          '  enriched    0',
          '  duplicates  0',
          '  unchanged   0',
          '  rejected    0',
          '',
          'Imported.',
          '',
        ].join('\n'),
      );
      expect(run.stderr).toContain(
        'MONGODB_URI=memory:// imports into this process only: everything is LOST',
      );
      // stderr is a pipe here, not a terminal: progress comes as whole lines.
      expect(run.stderr).toMatch(/^checking: 7 rows read, [\d,]+ rows\/s$/m);
      expect(run.stderr).toMatch(/^importing: 7 rows read, [\d,]+ rows\/s$/m);
    },
    SMOKE_TIMEOUT_MS,
  );
});

describe('npm run import (in process)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'import-cli-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('imports nothing and exits 1 when rows are bad, listing each row and column', async () => {
    const run = await runImport([fixturePath('bad-rows.csv'), '--timezone=Asia/Kuala_Lumpur'], MEMORY);
    expect(run.code).toBe(EXIT.invalid);
    expect(run.stdout).toContain('  new         0\n');
    expect(run.stdout).toContain('  rejected    4\n');
    expect(run.stdout).toContain('  row 3, Timestamp: "2026-05-02 25:02:51" is not a real time of day\n');
    expect(run.stdout).toContain("  row 4, Contact ID: is empty; every row needs the contact's id\n");
    expect(run.stdout).toContain(
      'Nothing was imported: 4 rows are invalid. Fix them and run again, or add --skip-invalid',
    );
  });

  it('with --skip-invalid imports the good rows and writes the rest to FILE.rejected.csv beside it', async () => {
    const file = join(dir, 'may.csv');
    await copyFile(fixturePath('bad-rows.csv'), file);
    const run = await runImport([file, '--skip-invalid', '--timezone', 'Asia/Kuala_Lumpur'], MEMORY);
    expect(run.code).toBe(EXIT.ok);
    expect(run.stdout).toContain('  new         2\n');
    expect(run.stdout).toContain(
      `4 rejected rows were written to ${join(dir, 'may.rejected.csv')} with an Error column`,
    );
    const rejected = (await readFile(join(dir, 'may.rejected.csv'), 'utf8')).split('\r\n');
    expect(rejected[0]).toBe(`${HEADER},Error`);
    expect(rejected).toHaveLength(6);
  });

  it('reads timestamps in DEFAULT_TIMEZONE without --timezone, and says so', async () => {
    const run = await runImport([fixturePath('assignments-log.csv')], {
      ...MEMORY,
      DEFAULT_TIMEZONE: 'America/New_York',
    });
    expect(run.code).toBe(EXIT.ok);
    expect(run.stdout).toContain('timestamps without an offset read in America/New_York (DEFAULT_TIMEZONE)');
  });

  it('stops between batches on SIGTERM or Ctrl-C, says how far it got, and exits 4', async () => {
    const stop = new AbortController();
    stop.abort();
    const run = await runImport([fixturePath('assignments-log.csv')], MEMORY, { signal: stop.signal });
    expect(run.code).toBe(EXIT.stopped);
    expect(run.stdout).toContain('Stopped while checking the file (at row 1): nothing was imported.');
  });

  it('exits 2 on usage errors, saying how to fix them', async () => {
    const file = fixturePath('assignments-log.csv');
    const [flag, missing, zone, noUri, noFile] = await Promise.all([
      runImport([file, '--dry-run'], MEMORY),
      runImport([join(dir, 'nope.csv')], MEMORY),
      runImport([file, '--timezone', 'Kuala Lumpur'], MEMORY),
      runImport([file]),
      runImport([], MEMORY),
    ]);
    expect([flag, missing, zone, noUri, noFile].map((r) => r.code)).toEqual([2, 2, 2, 2, 2]);
    expect(flag.stderr).toMatch(
      /^unknown option --dry-run; the options are --timezone ZONE and --skip-invalid\n\nUsage: /,
    );
    expect(missing.stderr).toContain(`cannot read ${join(dir, 'nope.csv')} (ENOENT`);
    expect(zone.stderr).toContain(
      '--timezone Kuala Lumpur is not a time zone; use an IANA name such as Asia/Kuala_Lumpur, America/New_York or UTC',
    );
    expect(noUri.stderr).toContain(
      'MONGODB_URI is not set: set it to the database to import into, e.g. MONGODB_URI=mongodb://localhost:27017',
    );
    expect(noFile.stderr).toContain('name the CSV file to import');
    expect([flag, missing, zone, noUri, noFile].map((r) => r.stdout)).toEqual(['', '', '', '', '']);
  });

  it('exits 3 naming MONGODB_URI when the store cannot be opened', async () => {
    let stderr = '';
    const code = await runImportCli([fixturePath('assignments-log.csv')], {
      env: { MONGODB_URI: 'mongodb://db.invalid:27017' },
      stdout: { write: () => true },
      stderr: { write: (t: string) => (stderr += t) },
      openStore: async () => {
        throw new Error('getaddrinfo ENOTFOUND db.invalid');
      },
    });
    expect(code).toBe(EXIT.store);
    expect(stderr).toContain('cannot open the store: getaddrinfo ENOTFOUND db.invalid\nCheck MONGODB_URI');
  });
});

describe('import command line', () => {
  it('reads the file, --timezone (either spelling) and --skip-invalid, in any order', () => {
    expect(parseImportArgs(['--skip-invalid', 'a.csv', '--timezone=UTC'], undefined)).toEqual({
      ok: true,
      help: false,
      args: { file: 'a.csv', timezone: 'UTC', zoneFrom: '--timezone', skipInvalid: true },
    });
    expect(parseImportArgs(['a.csv'], 'Asia/Kuala_Lumpur')).toMatchObject({
      args: { timezone: 'Asia/Kuala_Lumpur', zoneFrom: 'DEFAULT_TIMEZONE', skipInvalid: false },
    });
    expect(parseImportArgs(['a.csv'], undefined)).toMatchObject({
      args: { timezone: 'UTC', zoneFrom: 'default' },
    });
    expect(parseImportArgs(['--help'], undefined)).toEqual({ ok: true, help: true });
  });

  it('refuses a second file, a --timezone without a zone and a bad DEFAULT_TIMEZONE', () => {
    expect(parseImportArgs(['a.csv', 'b.csv'], undefined)).toEqual({
      ok: false,
      message: 'one file at a time; got a.csv, b.csv (quote a path with spaces)',
    });
    expect(parseImportArgs(['a.csv', '--timezone'], undefined)).toEqual({
      ok: false,
      message: '--timezone needs a zone, e.g. --timezone Asia/Kuala_Lumpur',
    });
    expect(parseImportArgs(['a.csv'], 'Mars/Olympus')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^DEFAULT_TIMEZONE=Mars\/Olympus is not a time zone/),
    });
  });

  it('reads MONGODB_URI and MONGODB_DB with zod, every problem at once', () => {
    expect(parseImportEnv({ MONGODB_URI: 'memory://', MONGODB_DB: '' })).toEqual({
      ok: true,
      env: { mongodbUri: 'memory://', mongodbDb: 'handoff', defaultTimezone: undefined },
    });
    expect(parseImportEnv({ MONGODB_URI: 'postgres://x', MONGODB_DB: 'a.b' })).toEqual({
      ok: false,
      problems: [
        'MONGODB_URI must start with mongodb://, mongodb+srv:// or be memory://',
        'MONGODB_DB must be a database name of at most 63 characters without / \\ . " $ or spaces',
      ],
    });
  });

  it('puts rejected rows beside the input', () => {
    expect(rejectedPathFor('logs/may.csv')).toBe('logs/may.rejected.csv');
    expect(rejectedPathFor('logs/may.CSV')).toBe('logs/may.rejected.csv');
    expect(rejectedPathFor('logs/may.txt')).toBe('logs/may.txt.rejected.csv');
  });

  it('rewrites one progress line on a terminal and writes a line every N rows elsewhere', () => {
    let now = 0;
    const tty: string[] = [];
    const onTty = progressReporter({ write: (t: string) => tty.push(t), isTTY: true }, () => now);
    onTty({ phase: 'import', rows: 0, done: false });
    now = 50;
    onTty({ phase: 'import', rows: 1000, done: false });
    now = 1000;
    onTty({ phase: 'import', rows: 20_000, done: false });
    onTty({ phase: 'import', rows: 20_500, done: true });
    expect(tty).toEqual([
      '\rimporting: 0 rows read, 0 rows/s\u001b[K',
      '\rimporting: 20,000 rows read, 20,000 rows/s\u001b[K',
      '\rimporting: 20,500 rows read, 20,500 rows/s\u001b[K\n',
    ]);
    const piped: string[] = [];
    const onPipe = progressReporter({ write: (t: string) => piped.push(t) }, () => 1000, 10_000);
    for (let rows = 1000; rows <= 25_000; rows += 1000) onPipe({ phase: 'check', rows, done: false });
    onPipe({ phase: 'check', rows: 25_300, done: true });
    expect(piped.map((l) => l.split(' rows read')[0])).toEqual([
      'checking: 10,000',
      'checking: 20,000',
      'checking: 25,300',
    ]);
  });
});
