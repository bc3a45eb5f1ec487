import { importAgentsFile } from '../ingest/agents/import-agents-file.ts';
import { loadDotEnv } from '../lifecycle/load-dot-env.ts';
import { openEngine } from '../store/open-engine.ts';

// `npm run import:agents -- agents.csv`: the team directory from a CSV file into MONGODB_URI. No logic here.

const dotEnvNote = loadDotEnv();
if (dotEnvNote) process.stderr.write(`${dotEnvNote}\n`);
process.exitCode = await importAgentsFile(process.argv.slice(2), {
  env: process.env,
  io: process,
  openEngine: (uri, dbName) => openEngine(uri, dbName, { onWorker: false }),
});
