import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlackApi } from './fakes/fake-slack-api.ts';
import { runCli, SMOKE_TIMEOUT_MS } from './fakes/run-cli.ts';

// `npm start` as a process, once per mode: what its composition root wires (the logic is tested in process).

describe('npm start (child process)', () => {
  let cwd: string;
  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'main-smoke-'));
  });
  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  it(
    'the console on demo data: answers piped lines, skips a blank one, and exits 1 after an error',
    async () => {
      const run = await runCli('src/main.ts', [], {
        cwd,
        env: { DEFAULT_TIMEZONE: 'Asia/Kuala_Lumpur' },
        input: 'yesterday\n\nsorce:x\n',
      });
      expect(run.code).toBe(1);
      expect(run.stdout.startsWith('Assignments · Yesterday, ')).toBe(true);
      expect(run.stdout.match(/^Assignments · /gm)).toHaveLength(1);
      expect(run.stdout).toContain('\nError: Unknown filter `sorce:`. Did you mean `source:`?');
      expect(run.stderr).toMatch(
        /^Local console on demo data \([\d,]+ assignments, zone Asia\/Kuala_Lumpur\)\./,
      );
    },
    SMOKE_TIMEOUT_MS,
  );

  it(
    'Slack mode from .env: starts, and on SIGTERM stops cleanly with code 0',
    async () => {
      const slack = await new FakeSlackApi().start();
      try {
        await writeFile(
          join(cwd, '.env'),
          [
            'SLACK_BOT_TOKEN=xoxb-smoke',
            'SLACK_SIGNING_SECRET=smoke-signing-secret',
            'MONGODB_URI=memory://',
            `SLACK_API_URL=${slack.url}`,
            'PORT=0',
          ].join('\n'),
        );
        let signalled = false;
        const run = await runCli('src/main.ts', [], {
          cwd,
          env: { LOG_LEVEL: 'info', TMPDIR: cwd },
          onStdout: (soFar, child) => {
            // Once: a second SIGTERM would end it at once, by design.
            if (signalled || !soFar.includes('Handoff is running')) return;
            signalled = true;
            child.kill('SIGTERM');
          },
        });
        expect(run.stdout).toContain(`Read 5 settings from ${join(cwd, '.env')}.`);
        expect(run.stdout).toContain('Handoff is running (HTTP)');
        expect(run.stdout).toContain('SIGTERM: taking no new work; running work has 25 s to finish');
        expect(run.stdout).toContain('SIGTERM: stopped');
        expect({ code: run.code, signal: run.signal }).toEqual({ code: 0, signal: null });
        expect(slack.callsTo('auth.test')).toHaveLength(1);
        // The private temp directory is there, and empty.
        expect(await readdir(join(cwd, `handoff-${process.getuid?.() ?? 'user'}`)).catch(() => [])).toEqual(
          [],
        );
      } finally {
        await slack.stop();
      }
    },
    SMOKE_TIMEOUT_MS,
  );
});
