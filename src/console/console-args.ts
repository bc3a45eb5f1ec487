/** What `npm start -- …` may say to the local console. */
export interface ConsoleArgs {
  /** `--charts DIR`: draw each answer's charts here and write them to DIR as PNG files. */
  chartsDir?: string;
}

export type ConsoleArgsResult = { ok: true; args: ConsoleArgs } | { ok: false; error: string };

const USAGE = 'Usage: npm start -- [--charts DIR]';

/** Reads the console's command-line arguments (`--charts DIR` or `--charts=DIR`). */
export function parseConsoleArgs(argv: readonly string[]): ConsoleArgsResult {
  const args: ConsoleArgs = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const inline = /^--charts=(.*)$/.exec(arg);
    if (inline || arg === '--charts') {
      const dir = inline ? inline[1] : argv[++i];
      if (!dir || dir.startsWith('--'))
        return { ok: false, error: `--charts needs a directory to write the PNG files to. ${USAGE}` };
      args.chartsDir = dir;
      continue;
    }
    return { ok: false, error: `Unknown argument ${arg}. ${USAGE}` };
  }
  return { ok: true, args };
}
