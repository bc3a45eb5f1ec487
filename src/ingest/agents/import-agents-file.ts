import { createReadStream } from 'node:fs';
import { z } from 'zod';
import type { Engine } from '../../store/collection.ts';
import { MEMORY_URI } from '../../store/open-engine.ts';
import { createTeamDirectory, teamParty } from '../../store/team-directory.ts';
import { type CsvProblem, readAgentsCsv } from './read-agents-csv.ts';

export const IMPORT_AGENTS_USAGE =
  'Usage: npm run import:agents -- agents.csv   (columns: Agent ID, Agent Name, Team)';

/** Exit codes: 0 stored, 1 nothing stored (bad rows or the store failed), 2 wrong arguments or settings. */
export type ExitCode = 0 | 1 | 2;

export interface ImportAgentsIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** Problems printed before "…and N more", so a wrong file does not scroll the first ones away. */
const SHOWN_PROBLEMS = 30;

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const envSchema = z.object({
  MONGODB_URI: z.preprocess(
    blankToUndefined,
    z
      .string({
        error:
          'is not set: set it to mongodb://… (or memory:// to try a file; the directory is then lost at exit)',
      })
      .regex(
        /^(mongodb(\+srv)?:\/\/|memory:\/\/$)/,
        'must start with mongodb://, mongodb+srv:// or be memory://',
      ),
  ),
  MONGODB_DB: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^[^/\\. "$]{1,63}$/, 'must be a database name without / \\ . " $ or spaces')
      .default('handoff'),
  ),
});

export interface ImportAgentsDeps {
  env: NodeJS.ProcessEnv;
  io: ImportAgentsIo;
  /** Opens the store's engine; `memory://` and `mongodb://…` as src/store/open-engine.ts does. */
  openEngine: (uri: string, dbName: string) => Promise<Engine>;
}

/**
 * `import:agents FILE`: reads the agents CSV, all or nothing, and adds or moves each agent in the team
 * directory. The file is checked before the store is opened, so a bad file needs no database.
 */
export async function importAgentsFile(args: readonly string[], deps: ImportAgentsDeps): Promise<ExitCode> {
  const { io } = deps;
  const say = (text: string) => io.stdout.write(`${text}\n`);
  const complain = (text: string) => io.stderr.write(`${text}\n`);
  if (args.includes('--help') || args.includes('-h')) {
    say(IMPORT_AGENTS_USAGE);
    return 0;
  }
  const options = args.filter((a) => a.startsWith('-'));
  const files = args.filter((a) => !a.startsWith('-'));
  if (options.length > 0 || files.length !== 1) {
    const what =
      options.length > 0
        ? `unknown option ${options[0]}`
        : files.length === 0
          ? 'no file given'
          : 'give one file';
    complain(`import:agents: ${what}.\n${IMPORT_AGENTS_USAGE}`);
    return 2;
  }
  const file = files[0] ?? '';
  const env = envSchema.safeParse(deps.env);
  if (!env.success) {
    const lines = env.error.issues.map((i) => `  - ${i.path.join('.')} ${i.message}`);
    complain(`import:agents cannot start. Fix these settings:\n${lines.join('\n')}`);
    return 2;
  }

  let parsed: Awaited<ReturnType<typeof readAgentsCsv>>;
  try {
    parsed = await readAgentsCsv(createReadStream(file));
  } catch (error) {
    complain(`import:agents: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  if (!parsed.ok) {
    complain(`${file}: nothing was stored. Fix these rows:\n${describeProblems(parsed.problems)}`);
    return 1;
  }

  const { MONGODB_URI: uri, MONGODB_DB: dbName } = env.data;
  if (uri === MEMORY_URI)
    complain(
      'MONGODB_URI=memory:// keeps the directory in this process only: it is LOST when the import ends.',
    );
  let engine: Engine | undefined;
  try {
    engine = await deps.openEngine(uri, dbName);
    await engine.ping();
    const { added, updated } = await createTeamDirectory(engine).upsert(parsed.rows);
    const teams = new Set(parsed.rows.map((r) => teamParty(r.team).id)).size;
    say(`added ${added}, updated ${updated} agents in ${teams} ${teams === 1 ? 'team' : 'teams'}`);
    return 0;
  } catch (error) {
    complain(`import:agents: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await engine?.close();
  }
}

function describeProblems(problems: readonly CsvProblem[]): string {
  const lines = problems
    .slice(0, SHOWN_PROBLEMS)
    .map((p) => `  row ${p.row}${p.column ? `, ${p.column}` : ''}: ${p.message}`);
  const more = problems.length - SHOWN_PROBLEMS;
  return [...lines, ...(more > 0 ? [`  …and ${more} more`] : [])].join('\n');
}
