import type { RowProblem } from './columns.ts';
import type { CsvImportProgress, CsvImportSummary } from './import-assignments-csv.ts';

const count = (n: number): string => Math.round(n).toLocaleString('en-US');
const plural = (n: number, one: string, many = `${one}s`): string => `${count(n)} ${n === 1 ? one : many}`;

export function formatProblem(p: RowProblem): string {
  return p.column ? `row ${p.row}, ${p.column}: ${p.message}` : `row ${p.row}: ${p.message}`;
}

export interface SummaryContext {
  file: string;
  skipInvalid: boolean;
  /** Where rejected rows were written, when some were. */
  rejectedPath?: string;
  zoneFrom: '--timezone' | 'DEFAULT_TIMEZONE' | 'default';
}

/** The import's outcome as the CLI prints it: the counts, the problems, then what to do next. */
export function formatImportSummary(s: CsvImportSummary, ctx: SummaryContext): string {
  const zoneNote =
    ctx.zoneFrom === 'default' ? ' (the default; pass --timezone to change it)' : ` (${ctx.zoneFrom})`;
  const lines = [
    `${ctx.file}: ${plural(s.rows, 'row')}; timestamps without an offset read in ${s.timezone}${zoneNote}`,
    `  new         ${count(s.new)}`,
    `  enriched    ${count(s.enriched)}`,
    `  duplicates  ${count(s.duplicates)}`,
    `  unchanged   ${count(s.unchanged)}`,
    `  rejected    ${count(s.rejected)}`,
  ];
  if (s.ambiguousNames.length)
    lines.push(
      '',
      `Kept as names, not agents: ${s.ambiguousNames.join(', ')}. Several agents in the team directory have ${s.ambiguousNames.length === 1 ? 'this name' : 'these names'}; give them distinct names there to count each person's CSV and webhook events together.`,
    );
  if (s.problems.length) {
    lines.push('', 'Problems:', ...s.problems.map((p) => `  ${formatProblem(p)}`));
    if (s.moreProblems) lines.push(`  … and ${plural(s.moreProblems, 'more problem')}`);
  }
  lines.push('');
  if (s.stopped) lines.push(stoppedText(s.stopped));
  else if (!s.ok && !ctx.skipInvalid && s.rejected > 0)
    lines.push(
      `Nothing was imported: ${plural(s.rejected, 'row is', 'rows are')} invalid. Fix ${s.rejected === 1 ? 'it' : 'them'} and run again, ` +
        `or add --skip-invalid to import the other ${plural(s.rows - s.rejected, 'row')} and write the invalid ones to a .rejected.csv file.`,
    );
  else if (!s.ok && s.new + s.enriched + s.duplicates + s.unchanged === 0)
    lines.push('Nothing was imported: the file could not be read; see the problems above.');
  else if (!s.ok)
    lines.push(
      'The file could not be read to the end: the rows counted above were imported, the rest were not.',
    );
  else if (ctx.rejectedPath)
    lines.push(
      `Imported the valid rows. ${plural(s.rejected, 'rejected row was', 'rejected rows were')} written to ${ctx.rejectedPath} ` +
        'with an Error column: fix them there and import that file.',
    );
  else lines.push('Imported.');
  return `${lines.join('\n')}\n`;
}

/** How far a stopped import got (SIGTERM or SIGINT, or a server's restart), and what to do next. */
export function stoppedText(stopped: NonNullable<CsvImportSummary['stopped']>): string {
  if (stopped.phase === 'check')
    return `Stopped while checking the file (at row ${count(stopped.afterRow)}): nothing was imported. Run the same command again.`;
  return (
    `Stopped after row ${count(stopped.afterRow)}: the rows up to it are stored (counted above), the rest of the file was not read. ` +
    'Run the same command again to import the rest: the rows already stored count as duplicates.'
  );
}

export interface ProgressTarget {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * A progress reporter for stderr: on a terminal one line rewritten in place (at most 10 times a second),
 * elsewhere a line every `every` rows, so logs stay readable. `clock` is milliseconds.
 */
export function progressReporter(
  out: ProgressTarget,
  clock: () => number,
  every = 100_000,
): (p: CsvImportProgress) => void {
  let phase: CsvImportProgress['phase'] | undefined;
  let started = 0;
  let lastDrawn = Number.NEGATIVE_INFINITY;
  let lastRows = 0;
  return (p) => {
    const now = clock();
    if (p.phase !== phase) {
      phase = p.phase;
      started = now;
      lastDrawn = Number.NEGATIVE_INFINITY;
      lastRows = 0;
    }
    const seconds = Math.max(now - started, 1) / 1000;
    const text = `${p.phase === 'check' ? 'checking' : 'importing'}: ${plural(p.rows, 'row')} read, ${count(p.rows / seconds)} rows/s`;
    if (out.isTTY) {
      if (!p.done && now - lastDrawn < 100) return;
      lastDrawn = now;
      out.write(`\r${text}\u001b[K${p.done ? '\n' : ''}`);
    } else if (p.done || p.rows - lastRows >= every) {
      lastRows = p.rows;
      out.write(`${text}\n`);
    }
  };
}
