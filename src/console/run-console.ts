import { createInterface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';
import { helpText, reportText } from '../render/report-text.ts';
import { STORE_TOO_SLOW } from '../render/wording.ts';
import type { ReportAnswer } from '../reports/answer-report.ts';
import { isStoreTimeout } from '../store/collection.ts';

export interface ConsoleIo {
  input: Readable;
  output: Writable;
  /** A terminal gets a prompt; piped input is read line by line without one. */
  interactive: boolean;
}

/** The answer as console text. */
export function answerText(answer: ReportAnswer): string {
  switch (answer.kind) {
    case 'help':
      return helpText();
    case 'error':
      return `Error: ${answer.message}`;
    case 'report':
      return reportText(answer.report, { chart: answer.chart, chartMissing: answer.chartMissing });
  }
}

/** What a console run did: lines answered, and how many of them were errors. */
export interface ConsoleRun {
  answered: number;
  errors: number;
}

const isError = (text: string) => text.startsWith('Error: ');

/**
 * The local console: one command per line (`yesterday source:workflow`, with or without `/assignments`),
 * answered with the same report Slack shows, as text; an error is a line starting `Error: `. Empty lines are
 * skipped, typed or piped alike. Ends when the input ends (or on `exit`); answers how many lines were errors,
 * so a piped run can exit 1.
 */
export async function runConsole(
  answer: (text: string) => Promise<string>,
  io: ConsoleIo,
): Promise<ConsoleRun> {
  const rl = createInterface({
    input: io.input,
    output: io.interactive ? io.output : undefined,
    terminal: io.interactive,
  });
  const write = (text: string) => io.output.write(`${text}\n`);
  const run: ConsoleRun = { answered: 0, errors: 0 };
  if (io.interactive) {
    rl.setPrompt('/assignments ');
    rl.prompt();
  }
  for await (const line of rl) {
    const text = line.replace(/^\s*\/assignments\b/, '').trim();
    if (['exit', 'quit'].includes(text.toLowerCase())) break;
    // A blank line is skipped; `/assignments` alone is the default report, as in Slack.
    if (line.trim() !== '') {
      let out: string;
      try {
        out = await answer(text);
      } catch (error) {
        // A line the store could not answer in time counts as an error too (the piped run exits 1).
        out = `Error: ${isStoreTimeout(error) ? STORE_TOO_SLOW : error instanceof Error ? error.message : String(error)}`;
      }
      write(out);
      run.answered++;
      if (isError(out)) run.errors++;
    }
    if (io.interactive) rl.prompt();
  }
  rl.close();
  return run;
}
