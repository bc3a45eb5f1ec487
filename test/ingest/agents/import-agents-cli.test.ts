import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { importAgentsFile } from '../../../src/ingest/agents/import-agents-file.ts';
import { openEngine } from '../../../src/store/open-engine.ts';
import { runCli, SMOKE_TIMEOUT_MS } from '../../fakes/run-cli.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/csv/${name}`, import.meta.url));

/** `import:agents` in process, with exactly the given environment, as src/cli/import-agents.ts composes it. */
async function run(args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await importAgentsFile(args, {
    env,
    io: { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } },
    openEngine: (uri, dbName) => openEngine(uri, dbName, { onWorker: false }),
  });
  return { code, stdout, stderr };
}

const MEMORY = { MONGODB_URI: 'memory://' };

describe('npm run import:agents (child process)', () => {
  it(
    'imports the file and says how many agents it added and updated in how many teams',
    async ({ expect }) => {
      const result = await runCli('src/cli/import-agents.ts', [fixture('agents.csv')], {
        cwd: mkdtempSync(join(tmpdir(), 'agents-')),
        env: MEMORY,
      });
      expect(result).toMatchObject({ code: 0, stdout: 'added 4, updated 0 agents in 2 teams\n' });
      expect(result.stderr).toContain('memory:// keeps the directory in this process only');
    },
    SMOKE_TIMEOUT_MS,
  );
});

describe.concurrent('npm run import:agents (in process)', () => {
  it('reads a spreadsheet export with ";" and a BOM', async ({ expect }) => {
    const result = await run([fixture('agents-semicolon.csv')], MEMORY);
    expect(result).toMatchObject({ code: 0, stdout: 'added 3, updated 0 agents in 2 teams\n' });
  });

  it('exits 1 on bad rows, naming each, before it opens the store', async ({ expect }) => {
    const result = await run([fixture('agents-bad.csv')], MEMORY);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('nothing was stored');
    expect(result.stderr).not.toContain('memory://');
    expect(result.stderr).toContain('row 3, Agent Name: is empty');
    expect(result.stderr).toContain('row 5, Agent ID: 2001 is already on row 2');
    expect(result.stderr).toContain('row 6, Team: is empty');
  });

  it('exits 2 on usage errors: no file, two files, an unknown option, a file that is not there', async ({
    expect,
  }) => {
    const results = await Promise.all(
      [[], ['a.csv', 'b.csv'], ['--dry-run', 'a.csv']].map((a) => run(a, MEMORY)),
    );
    for (const result of results) {
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('Usage: npm run import:agents -- agents.csv');
    }
    const missing = await run([join(mkdtempSync(join(tmpdir(), 'agents-')), 'nope.csv')], MEMORY);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read');
  });

  it('exits 2 with a clear message when MONGODB_URI is unset or wrong', async ({ expect }) => {
    const unset = await run([fixture('agents.csv')]);
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain('MONGODB_URI is not set');
    const wrong = await run([fixture('agents.csv')], { MONGODB_URI: 'postgres://x' });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('MONGODB_URI must start with mongodb://');
  });

  it('exits 1 naming MONGODB_URI when the server does not answer', async ({ expect }) => {
    const dir = mkdtempSync(join(tmpdir(), 'agents-'));
    const file = join(dir, 'agents.csv');
    writeFileSync(file, 'Agent ID,Agent Name,Team\n1,Ann,Support\n');
    const result = await run([file], { MONGODB_URI: 'mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=300' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('check MONGODB_URI');
  });
});
