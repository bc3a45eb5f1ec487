// `npm run import -- FILE.csv --timezone Asia/Kuala_Lumpur [--skip-invalid]`: composition only; the work is in
// src/ingest/csv/run-import-cli.ts.
import { runImportCli } from '../ingest/csv/run-import-cli.ts';
import { abortOnSignals } from '../lifecycle/abort-on-signals.ts';
import { loadDotEnv } from '../lifecycle/load-dot-env.ts';
import { createAssignmentStore } from '../store/assignment-store.ts';
import { openEngine } from '../store/open-engine.ts';

const dotEnvNote = loadDotEnv();
if (dotEnvNote) process.stderr.write(`${dotEnvNote}\n`);
process.exitCode = await runImportCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  signal: abortOnSignals(
    process,
    process.stderr,
    'stopping after the current batch (a second signal stops at once)',
  ),
  openStore: async (uri, dbName) => createAssignmentStore(await openEngine(uri, dbName, { onWorker: false })),
});
