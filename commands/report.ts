import { answerReport } from '../src/reports/answer-report.ts';
import { answerPrivately } from './answer-privately.ts';
import type { CommandDeps } from './deps.ts';
import { toMessage } from './to-message.ts';

/** `/assignments [range] [filters…]` and `/assignments help`: the report, privately, with a Share button. */
export function reportCommand(deps: CommandDeps) {
  return answerPrivately(deps, async ({ text, zone }) =>
    toMessage(await answerReport(deps, { text, zone, now: deps.now() }), { shareable: true }),
  );
}
