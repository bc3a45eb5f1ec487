import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;

/** How long a smoke test gives a child process: tsx compiles on start, and the machine may be busy. */
export const SMOKE_TIMEOUT_MS = 60_000;

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs one of the entry points (`src/main.ts`, `src/cli/import.ts`…) as `npm run` does, with node and the tsx
 * loader, in `cwd` (a directory of the test's own, so a developer's .env in the repository is not read) and with
 * only the environment given. `onStdout` sees the output as it arrives (to signal the process at a given point).
 */
export function runCli(
  script: string,
  args: string[],
  options: {
    cwd: string;
    env?: Record<string, string>;
    input?: string;
    onStdout?: (soFar: string, child: { kill(signal: NodeJS.Signals): unknown }) => void;
  },
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, `${ROOT}${script}`, ...args], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '', TZ: 'UTC', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      options.onStdout?.(stdout, child);
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
