/** The columns of the Assignments report's log export, by the key the importer uses and their header name. */
export const SEED_COLUMNS = {
  timestamp: 'Timestamp',
  conversationId: 'Conversation ID',
  contactId: 'Contact ID',
  contactName: 'Contact Name',
  previousAssignee: 'Previous Assignee',
  assignee: 'Assigned To',
  source: 'Source',
  assignedBy: 'Assigned By',
} as const;

/**
 * The seed's columns plus ours: `Event ID`, which Handoff's own export (`/assignments export`) writes last, holds
 * the stored key of each event (`id:…` or `h:…`), so that importing an export finds the very events it came from.
 */
export const CSV_COLUMNS = { ...SEED_COLUMNS, eventId: 'Event ID' } as const;

/** The seed's header, for messages: files from the Assignments report have no Event ID. */
export const SEED_HEADER = Object.values(SEED_COLUMNS).join(', ');

export type CsvColumn = keyof typeof CSV_COLUMNS;

/** Without these a row says nothing usable; the other four may be left out of the file. */
export const REQUIRED_COLUMNS: readonly CsvColumn[] = ['timestamp', 'contactId', 'assignee', 'source'];

/** One thing wrong with the file: its row (the header is row 1, as a spreadsheet numbers them) and column. */
export interface RowProblem {
  row: number;
  column: string;
  message: string;
}

/** The cells of one row by column; a column the file does not have is `undefined`. */
export type CsvRecord = Partial<Record<CsvColumn, string>>;

/** Where each known column sits in the file's rows; other columns are ignored. */
export interface CsvLayout {
  positions: ReadonlyArray<readonly [CsvColumn, number]>;
  width: number;
}

const normalise = (name: string): string =>
  name
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, ' ');

const BY_NAME = new Map<string, CsvColumn>(
  Object.entries(CSV_COLUMNS).flatMap(([key, label]) =>
    isColumn(key) ? [[normalise(label), key] as const] : [],
  ),
);

function isColumn(key: string): key is CsvColumn {
  return Object.hasOwn(CSV_COLUMNS, key);
}

/** Finds the known columns in a header row, in any case and spacing; problems name each missing column. */
export function mapHeader(
  fields: readonly string[],
): { ok: true; layout: CsvLayout } | { ok: false; problems: RowProblem[] } {
  const found = new Map<CsvColumn, number>();
  const problems: RowProblem[] = [];
  fields.forEach((field, index) => {
    const column = BY_NAME.get(normalise(field));
    if (!column) return;
    const first = found.get(column);
    if (first === undefined) found.set(column, index);
    else
      problems.push({
        row: 1,
        column: CSV_COLUMNS[column],
        message: `appears twice in the header (columns ${first + 1} and ${index + 1}); keep one of them`,
      });
  });
  for (const column of REQUIRED_COLUMNS)
    if (!found.has(column))
      problems.push({
        row: 1,
        column: CSV_COLUMNS[column],
        message: `the header has no "${CSV_COLUMNS[column]}" column; export the assignments log with its columns ${SEED_HEADER}`,
      });
  if (problems.length) return { ok: false, problems };
  return { ok: true, layout: { positions: [...found], width: fields.length } };
}

/** The known cells of a row; cells past the end of a short row are `undefined` (the caller checks the width). */
export function recordOf(fields: readonly string[], layout: CsvLayout): CsvRecord {
  const record: CsvRecord = {};
  for (const [column, index] of layout.positions) record[column] = fields[index];
  return record;
}
