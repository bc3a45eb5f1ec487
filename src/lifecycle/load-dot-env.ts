import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * Reads `.env` (in the working directory) into the environment when the file exists, with Node's own
 * process.loadEnvFile: a variable already in the environment keeps its value, so `PORT=8080 npm start` wins
 * over the file. Answers what to say in the start-up log, or undefined when there is no file.
 */
export function loadDotEnv(
  options: { path?: string; env?: NodeJS.ProcessEnv; load?: (path: string) => void } = {},
): string | undefined {
  const path = resolve(options.path ?? '.env');
  if (!existsSync(path)) return undefined;
  const env = options.env ?? process.env;
  // Which names the file sets, read with the same parser Node uses, to say which ones the environment kept.
  const names = Object.keys(parseEnv(readFileSync(path, 'utf8')));
  const kept = names.filter((name) => env[name] !== undefined);
  (options.load ?? ((p: string) => process.loadEnvFile(p)))(path);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return (
    `Read ${plural(names.length, 'setting')} from ${path}` +
    (kept.length > 0 ? `; the environment's own value won for ${kept.join(', ')}.` : '.')
  );
}
