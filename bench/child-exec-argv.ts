/**
 * The flags a bench child process runs with: this process's own (so tsx loads TypeScript there too), without
 * `--eval`/`--print` and their code, which would make each child run the whole bench again.
 */
export function childExecArgv(extra: string[] = []): string[] {
  const out: string[] = [];
  const flags = process.execArgv;
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i] ?? '';
    if (['-e', '--eval', '-p', '--print'].includes(flag)) i++;
    else if (!/^--(eval|print)=/.test(flag)) out.push(flag);
  }
  return [...out, ...extra];
}
