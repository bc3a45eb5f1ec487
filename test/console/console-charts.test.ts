import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConsoleArgs } from '../../src/console/console-args.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = join(ROOT, 'src/main.ts');

/** `npm start -- …args` with `input` piped in, as a person would run it on a laptop without Slack. */
function start(args: string[], input: string, env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', MAIN, ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', DEFAULT_TIMEZONE: 'Asia/Kuala_Lumpur', ...env } },
      (error, stdout, stderr) => {
        const code = error && typeof error.code === 'number' ? error.code : error ? -1 : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(input);
  });
}

describe('the console with --charts DIR', () => {
  it('writes each answer’s chart as a PNG in DIR and prints its path', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'handoff-charts-test-')), 'charts');
    const result = await start(['--charts', dir], 'yesterday\nlast 14 days\n');
    expect(result.code).toBe(0);
    const paths = [...result.stdout.matchAll(/^Chart \((.+)\): (\/\S+\.png)$/gm)].map((m) => [m[1], m[2]]);
    expect(paths).toEqual([
      ['Assignments by source', join(dir, '001-assignments-by-source.png')],
      ['Assignments per day (today so far, in pale)', join(dir, '002-assignments-per-day.png')],
    ]);
    for (const [, path] of paths)
      expect(
        readFileSync(path ?? '')
          .subarray(1, 4)
          .toString('latin1'),
      ).toBe('PNG');
    expect(result.stdout).not.toContain('quickchart.io');
  });

  it('says how to call it when DIR is missing, and exits 2', async () => {
    const result = await start(['--charts'], '');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '--charts needs a directory to write the PNG files to. Usage: npm start -- [--charts DIR]',
    );
  });
});

describe('parseConsoleArgs', () => {
  it.each([
    [[], { ok: true, args: {} }],
    [['--charts', 'out'], { ok: true, args: { chartsDir: 'out' } }],
    [['--charts=out dir'], { ok: true, args: { chartsDir: 'out dir' } }],
  ])('%j', (argv, expected) => {
    expect(parseConsoleArgs(argv)).toEqual(expected);
  });

  it('refuses what it does not know, saying the usage', () => {
    expect(parseConsoleArgs(['--chart', 'x'])).toEqual({
      ok: false,
      error: 'Unknown argument --chart. Usage: npm start -- [--charts DIR]',
    });
  });
});
