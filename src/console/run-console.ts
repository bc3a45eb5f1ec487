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

/**
 * The local console: one command per line (`yesterday source:workflow`, with or without `/assignments`),
 * answered with the same report Slack shows, as text. Ends when the input ends (or on `exit`).
 */
export async function runConsole(answer: (text: string) => Promise<string>, io: ConsoleIo): Promise<void> {
  const rl = createInterface({
    input: io.input,
    output: io.interactive ? io.output : undefined,
    terminal: io.interactive,
  });
  const write = (text: string) => io.output.write(`${text}\n`);
  if (io.interactive) {
    rl.setPrompt('/assignments ');
    rl.prompt();
  }
  for await (const line of rl) {
    const text = line.replace(/^\s*\/assignments\b/, '').trim();
    if (['exit', 'quit'].includes(text.toLowerCase())) break;
    if (text || !io.interactive) {
      try {
        write(await answer(text));
      } catch (error) {
        if (isStoreTimeout(error)) write(STORE_TOO_SLOW);
        else write(`Error: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (io.interactive) rl.prompt();
  }
  rl.close();
}
