import { z } from 'zod';
import { mongodbDbSchema } from '../../config.ts';
import { canonicalZone } from '../../domain/canonical-zone.ts';
import { isValidZone } from '../../domain/time.ts';

export const IMPORT_USAGE = `Usage: npm run import -- FILE.csv [--timezone ZONE] [--skip-invalid]

  FILE.csv         the Assignments report's log export (Timestamp, Conversation ID, Contact ID, Contact Name,
                   Previous Assignee, Assigned To, Source, Assigned By)
  --timezone ZONE  IANA zone of timestamps without an offset, e.g. Asia/Kuala_Lumpur
                   (default: DEFAULT_TIMEZONE, else UTC)
  --skip-invalid   import the valid rows and write the others to FILE.rejected.csv
                   (default: all or nothing, nothing is imported when a row is invalid)

Environment: MONGODB_URI (mongodb://…, mongodb+srv://…, or memory:// to try a file), MONGODB_DB (default handoff)`;

export interface ImportArgs {
  file: string;
  timezone: string;
  /** Where the zone came from, for the summary. */
  zoneFrom: '--timezone' | 'DEFAULT_TIMEZONE' | 'default';
  skipInvalid: boolean;
}

export type ParsedImportArgs =
  | { ok: true; help: true }
  | { ok: true; help: false; args: ImportArgs }
  | { ok: false; message: string };

const ZONE_HINT = 'use an IANA name such as Asia/Kuala_Lumpur, America/New_York or UTC';

/** Reads the command line; a problem says how to fix it (the CLI prints it with the usage and exits 2). */
export function parseImportArgs(
  argv: readonly string[],
  defaultTimezone: string | undefined,
): ParsedImportArgs {
  const files: string[] = [];
  let timezone: string | undefined;
  let skipInvalid = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') return { ok: true, help: true };
    if (arg === '--skip-invalid') skipInvalid = true;
    else if (arg === '--timezone' || arg.startsWith('--timezone=')) {
      const value = arg === '--timezone' ? argv[++i] : arg.slice('--timezone='.length);
      if (!value || value.startsWith('--'))
        return { ok: false, message: `--timezone needs a zone, e.g. --timezone Asia/Kuala_Lumpur` };
      if (!isValidZone(value))
        return { ok: false, message: `--timezone ${value} is not a time zone; ${ZONE_HINT}` };
      timezone = canonicalZone(value) ?? value;
    } else if (arg.startsWith('-') && arg !== '-')
      return {
        ok: false,
        message: `unknown option ${arg}; the options are --timezone ZONE and --skip-invalid`,
      };
    else files.push(arg);
  }
  if (files.length === 0)
    return {
      ok: false,
      message: 'name the CSV file to import, e.g. npm run import -- assignments.csv --timezone UTC',
    };
  if (files.length > 1)
    return { ok: false, message: `one file at a time; got ${files.join(', ')} (quote a path with spaces)` };
  const file = files[0] ?? '';
  if (timezone)
    return { ok: true, help: false, args: { file, timezone, zoneFrom: '--timezone', skipInvalid } };
  if (defaultTimezone) {
    if (!isValidZone(defaultTimezone))
      return {
        ok: false,
        message: `DEFAULT_TIMEZONE=${defaultTimezone} is not a time zone; ${ZONE_HINT}, or pass --timezone`,
      };
    return {
      ok: true,
      help: false,
      args: {
        file,
        timezone: canonicalZone(defaultTimezone) ?? defaultTimezone,
        zoneFrom: 'DEFAULT_TIMEZONE',
        skipInvalid,
      },
    };
  }
  return { ok: true, help: false, args: { file, timezone: 'UTC', zoneFrom: 'default', skipInvalid } };
}

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const envSchema = z.object({
  MONGODB_URI: z.preprocess(
    blankToUndefined,
    z
      .string(
        'is not set: set it to the database to import into, e.g. MONGODB_URI=mongodb://localhost:27017 ' +
          '(or memory:// to try a file; its data is lost at exit)',
      )
      .regex(
        /^(mongodb(\+srv)?:\/\/|memory:\/\/$)/,
        'must start with mongodb://, mongodb+srv:// or be memory://',
      ),
  ),
  MONGODB_DB: mongodbDbSchema,
  DEFAULT_TIMEZONE: z.preprocess(blankToUndefined, z.string().optional()),
});

export interface ImportEnv {
  mongodbUri: string;
  mongodbDb: string;
  defaultTimezone: string | undefined;
}

/** The store settings the import needs from the environment; every problem at once. */
export function parseImportEnv(
  env: NodeJS.ProcessEnv,
): { ok: true; env: ImportEnv } | { ok: false; problems: string[] } {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success)
    return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`) };
  const e = parsed.data;
  return {
    ok: true,
    env: { mongodbUri: e.MONGODB_URI, mongodbDb: e.MONGODB_DB, defaultTimezone: e.DEFAULT_TIMEZONE },
  };
}

/** `logs/may.csv` → `logs/may.rejected.csv`, beside the input. */
export function rejectedPathFor(file: string): string {
  return /\.csv$/i.test(file) ? file.replace(/\.csv$/i, '.rejected.csv') : `${file}.rejected.csv`;
}
