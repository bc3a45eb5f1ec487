import { chmod, mkdir, mkdtemp, readdir, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ensurePrivateDir,
  makeWorkDir,
  privateTempRoot,
  removeLeftovers,
  removeOwnWorkDirs,
} from '../../src/lifecycle/temp-space.ts';

describe('the private temporary directory', () => {
  let base: string;
  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'temp-space-test-'));
  });
  afterEach(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('is created with mode 0700 for this user, and a work directory in it is named after the process', async () => {
    const root = privateTempRoot(base);
    expect(root).toBe(join(base, `handoff-${process.getuid?.() ?? 'user'}`));
    const dir = await makeWorkDir(root, 'export');
    expect((await stat(root)).mode & 0o777).toBe(0o700);
    expect(dir.startsWith(join(root, `${process.pid}-export-`))).toBe(true);
  });

  it('takes a wider mode back to 0700, and refuses a symlink planted in its place', async () => {
    const open = join(base, 'open');
    await mkdir(open, { mode: 0o777 });
    await chmod(open, 0o777);
    await ensurePrivateDir(open);
    expect((await stat(open)).mode & 0o777).toBe(0o700);
    const planted = join(base, 'planted');
    await symlink(open, planted);
    await expect(ensurePrivateDir(planted)).rejects.toThrow(/is not a directory of this user: remove it/);
  });

  it('removes at start what crashed runs left: dead processes, its own pid, and old legacy directories', async () => {
    const root = privateTempRoot(base);
    await ensurePrivateDir(root);
    for (const name of ['111-export-aaaaaa', '222-csv-bbbbbb', `${process.pid}-export-cccccc`, 'notes'])
      await mkdir(join(root, name));
    await writeFile(join(root, '111-export-aaaaaa', 'assignments-400d.csv'), 'Customer names…');
    const legacyOld = join(base, 'handoff-export-old123');
    const legacyNew = join(base, 'handoff-csv-new456');
    await mkdir(legacyOld);
    await mkdir(legacyNew);
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    await utimes(legacyOld, twoHoursAgo, twoHoursAgo);
    // 222 is still running: its export stays.
    const removed = await removeLeftovers(root, { base, running: (pid) => pid === 222 });
    expect(removed.sort()).toEqual(
      [join(root, '111-export-aaaaaa'), join(root, `${process.pid}-export-cccccc`), legacyOld].sort(),
    );
    expect((await readdir(root)).sort()).toEqual(['222-csv-bbbbbb', 'notes']);
    expect(await readdir(base)).toContain('handoff-csv-new456');
  });

  it('removes only this process’s work directories at the end of a shutdown', async () => {
    const root = privateTempRoot(base);
    await makeWorkDir(root, 'csv');
    await mkdir(join(root, '999999-export-x'));
    await removeOwnWorkDirs(root);
    expect(await readdir(root)).toEqual(['999999-export-x']);
  });
});
