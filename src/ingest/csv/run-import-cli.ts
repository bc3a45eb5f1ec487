import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { AssignmentStore } from '../../store/assignment-store.ts';
import { MEMORY_URI } from '../../store/open-engine.ts';
import { formatImportSummary, type ProgressTarget, progressReporter } from './format-import-summary.ts';
import { type CsvImportSummary, importAssignmentsCsv } from './import-assignments-csv.ts';
import { IMPORT_USAGE, parseImportArgs, parseImportEnv, rejectedPathFor } from './import-cli-args.ts';

/**
 * Exit codes: imported; rows bad or file unreadable (nothing imported); usage or settings; store failed;
 * stopped by SIGTERM or SIGINT between batches (run it again for the rest).
 */
export const EXIT = { ok: 0, invalid: 1, usage: 2, store: 3, stopped: 4 } as const;

export type ImportCliStore = Pick<AssignmentStore, 'init' | 'ingest' | 'close'>;

export interface ImportCliDeps {
  env: NodeJS.ProcessEnv;
  stdout: { write(text: string): unknown };
  stderr: ProgressTarget;
  openStore(uri: string, dbName: string): Promise<ImportCliStore>;
  /** Milliseconds, for rows per second. */
  clock?: () => number;
  /** Aborted on SIGTERM or SIGINT: the import stores what it has read and stops between batches. */
  signal?: AbortSignal;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** `npm run import -- FILE.csv [--timezone ZONE] [--skip-invalid]`; answers the exit code. */
export async function runImportCli(argv: readonly string[], deps: ImportCliDeps): Promise<number> {
  const { stdout, stderr } = deps;
  const usage = (message: string) => {
    stderr.write(`${message}\n\n${IMPORT_USAGE}\n`);
    return EXIT.usage;
  };
  const env = parseImportEnv(deps.env);
  // Arguments first: `--help` and a wrong flag need no database.
  const parsed = parseImportArgs(argv, env.ok ? env.env.defaultTimezone : deps.env.DEFAULT_TIMEZONE);
  if (!parsed.ok) return usage(parsed.message);
  if (parsed.help) {
    stdout.write(`${IMPORT_USAGE}\n`);
    return EXIT.ok;
  }
  if (!env.ok) return usage(env.problems.join('\n'));
  const { args } = parsed;
  try {
    if (!(await stat(args.file)).isFile())
      return usage(`${args.file} is a directory; name the CSV file in it`);
  } catch (error) {
    return usage(`cannot read ${args.file} (${messageOf(error)}); check the path`);
  }

  if (env.env.mongodbUri === MEMORY_URI)
    stderr.write(
      'MONGODB_URI=memory:// imports into this process only: everything is LOST when the command exits. ' +
        'Useful to check a file; set MONGODB_URI=mongodb://… to keep the data.\n',
    );
  let store: ImportCliStore;
  try {
    store = await deps.openStore(env.env.mongodbUri, env.env.mongodbDb);
    // Missing indexes are created as the bot creates them (unless MONGODB_CREATE_INDEXES=false); what could not
    // be done is said, and the import goes on.
    const indexes = await store.init({
      create: !/^(false|0)$/i.test(deps.env.MONGODB_CREATE_INDEXES?.trim() ?? ''),
      dbName: env.env.mongodbDb,
    });
    for (const note of indexes.notes) if (note.level === 'warn') stderr.write(`${note.message}\n`);
  } catch (error) {
    stderr.write(
      `cannot open the store: ${messageOf(error)}\nCheck MONGODB_URI and that the database is running.\n`,
    );
    return EXIT.store;
  }

  const rejectedPath = rejectedPathFor(args.file);
  let rejectedWritten = false;
  let summary: CsvImportSummary;
  try {
    summary = await importAssignmentsCsv(
      { store, onProgress: progressReporter(stderr, deps.clock ?? (() => performance.now())) },
      () => createReadStream(args.file),
      {
        timezone: args.timezone,
        skipInvalid: args.skipInvalid,
        ...(deps.signal ? { signal: deps.signal } : {}),
        rejectedOutput: () => {
          rejectedWritten = true;
          return createWriteStream(rejectedPath);
        },
      },
    );
  } catch (error) {
    stderr.write(
      `\nthe import stopped: ${messageOf(error)}\n` +
        'Rows stored so far stay stored; running the same command again is safe (they count as duplicates).\n',
    );
    await store
      .close()
      .catch((e: unknown) => stderr.write(`closing the store failed too: ${messageOf(e)}\n`));
    return EXIT.store;
  }
  await store.close();
  stdout.write(
    formatImportSummary(summary, {
      file: args.file,
      skipInvalid: args.skipInvalid,
      zoneFrom: args.zoneFrom,
      ...(rejectedWritten ? { rejectedPath } : {}),
    }),
  );
  if (summary.stopped) return EXIT.stopped;
  return summary.ok ? EXIT.ok : EXIT.invalid;
}
