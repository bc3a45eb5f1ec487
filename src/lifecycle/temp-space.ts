import { chmod, lstat, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Exports and CSV uploads pass through files (Slack's upload needs the length first; the import reads its file
// twice). They hold customer names, so they live in a directory only this user can read, each in a directory
// of its own named after the process (`<pid>-export-XXXXXX`), removed whatever happens; what a crash left
// behind is removed at the next start.

export type WorkDirKind = 'export' | 'csv';

/** `$TMPDIR/handoff-<uid>`: this user's private directory for temporary files. */
export function privateTempRoot(base = tmpdir()): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return join(base, `handoff-${uid}`);
}

/**
 * Creates `root` with mode 0700 when it is missing, makes it 0700 when it is this user's directory with a wider
 * mode, and refuses one that is not this user's directory (a symlink, a file, someone else's), so no other user
 * can read or plant files there.
 */
export async function ensurePrivateDir(root: string): Promise<void> {
  await mkdir(root, { recursive: true, mode: 0o700 });
  const info = await lstat(root);
  const mine = typeof process.getuid !== 'function' || info.uid === process.getuid();
  if (!info.isDirectory() || info.isSymbolicLink() || !mine)
    throw new Error(
      `${root} is not a directory of this user: remove it, and Handoff creates it again (mode 0700)`,
    );
  if ((info.mode & 0o077) !== 0) await chmod(root, 0o700);
}

/** A fresh directory for one export or upload, inside the private root; the caller removes it when done. */
export async function makeWorkDir(root: string, kind: WorkDirKind): Promise<string> {
  await ensurePrivateDir(root);
  return mkdtemp(join(root, `${process.pid}-${kind}-`));
}

/** Whether a process with this id is running (on this host). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}

// What earlier versions wrote straight into the system temp directory.
const LEGACY = /^handoff-(export|csv)-/;
const LEGACY_AGE_MS = 60 * 60_000;

/**
 * Removes what earlier runs left behind: work directories of processes that are gone, or that had this
 * process's id (a container restarted by its orchestrator is pid 1 again), and the old `handoff-export-*` /
 * `handoff-csv-*` directories in the system temp directory once they are an hour old. Answers what it removed.
 */
export async function removeLeftovers(
  root: string,
  options: { base?: string; pid?: number; running?: (pid: number) => boolean; now?: () => number } = {},
): Promise<string[]> {
  const pid = options.pid ?? process.pid;
  const running = options.running ?? isRunning;
  const now = options.now ?? Date.now;
  const removed: string[] = [];
  const names = await readdir(root).catch(() => [] as string[]);
  for (const name of names) {
    const owner = Number(/^(\d+)-/.exec(name)?.[1]);
    if (!Number.isSafeInteger(owner) || (owner !== pid && running(owner))) continue;
    await rm(join(root, name), { recursive: true, force: true });
    removed.push(join(root, name));
  }
  const base = options.base ?? tmpdir();
  for (const name of await readdir(base).catch(() => [] as string[])) {
    if (!LEGACY.test(name)) continue;
    const path = join(base, name);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isDirectory() || now() - info.mtimeMs < LEGACY_AGE_MS) continue;
    await rm(path, { recursive: true, force: true }).catch(() => {});
    removed.push(path);
  }
  return removed;
}

/** Removes this process's own work directories (at the end of a shutdown, after everything was cancelled). */
export async function removeOwnWorkDirs(root: string): Promise<void> {
  const names = await readdir(root).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((name) => name.startsWith(`${process.pid}-`))
      .map((name) => rm(join(root, name), { recursive: true, force: true })),
  );
}
