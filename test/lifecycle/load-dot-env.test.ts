import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { loadDotEnv } from '../../src/lifecycle/load-dot-env.ts';

// process.loadEnvFile writes to process.env itself: the test sets and removes its own names around it.
const NAMES = ['HANDOFF_DOTENV_A', 'HANDOFF_DOTENV_B'];

describe('loadDotEnv', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dotenv-test-'));
  });
  afterEach(async () => {
    for (const name of NAMES) delete process.env[name];
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the file with process.loadEnvFile; the environment wins, and the note says so', async () => {
    const path = join(dir, '.env');
    await writeFile(path, '# Copy to .env\nHANDOFF_DOTENV_A=from-file\nHANDOFF_DOTENV_B="quoted value"\n');
    process.env.HANDOFF_DOTENV_A = 'from-environment';
    expect(loadDotEnv({ path })).toBe(
      `Read 2 settings from ${path}; the environment's own value won for HANDOFF_DOTENV_A.`,
    );
    expect(process.env.HANDOFF_DOTENV_A).toBe('from-environment');
    expect(process.env.HANDOFF_DOTENV_B).toBe('quoted value');
  });

  it('does nothing without a file', () => {
    expect(loadDotEnv({ path: join(dir, '.env') })).toBeUndefined();
  });

  it('turns Slack credentials written in .env into Slack mode, instead of the demo console', async () => {
    const path = join(dir, '.env');
    await writeFile(
      path,
      'SLACK_BOT_TOKEN=xoxb-1-2\nSLACK_SIGNING_SECRET=0123456789abcdef\nMONGODB_URI=memory://\n',
    );
    const env: NodeJS.ProcessEnv = {};
    // The same reading into a separate environment, so the test leaves process.env as it was.
    loadDotEnv({ path, env, load: (p) => Object.assign(env, parseEnv(readFileSync(p, 'utf8'))) });
    const parsed = parseConfig(env);
    expect(parsed.ok && parsed.config.mode).toBe('slack');
  });
});
