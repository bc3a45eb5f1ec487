import type { ReportFilters } from './filters.ts';
import type { ResolvedRange } from './range.ts';
import type { LogRow } from './report.ts';

/** Log rows per page behind the Log button. */
export const LOG_PAGE_SIZE = 20;
/** Most rows the Log pages through, as the seed's log shows at most 10,000; beyond, the export has them all. */
export const LOG_ROW_CAP = 10_000;

/** Where one page of the log falls, newest first. */
export interface LogPage {
  /** 1-based, clamped to the pages there are. */
  page: number;
  pages: number;
  /** Rows to skip and to read for this page. */
  offset: number;
  limit: number;
  /** 1-based positions of the first and last row shown (0 and 0 when there are none). */
  first: number;
  last: number;
  /** Rows that match. */
  total: number;
  /** Rows the pages reach: all of them, or the newest LOG_ROW_CAP. */
  pageable: number;
  /** More rows match than the pages reach: the answer says how many and offers the export. */
  overCap: boolean;
}

/** The page `requested` of a log of `total` rows; a page beyond the last shows the last. */
export function logPageOf(
  total: number,
  requested: number,
  size = LOG_PAGE_SIZE,
  cap = LOG_ROW_CAP,
): LogPage {
  const pageable = Math.min(total, cap);
  const pages = Math.max(1, Math.ceil(pageable / size));
  const page = Math.min(Math.max(1, Math.floor(requested)), pages);
  const offset = (page - 1) * size;
  const limit = Math.max(0, Math.min(size, pageable - offset));
  return {
    page,
    pages,
    offset,
    limit,
    first: limit > 0 ? offset + 1 : 0,
    last: offset + limit,
    total,
    pageable,
    overCap: total > cap,
  };
}

/** One page of a report's log, as the Log button shows it. */
export interface LogView {
  range: ResolvedRange;
  filters: ReportFilters;
  page: LogPage;
  /** The page's rows, newest first. */
  rows: LogRow[];
  /** The command the buttons carry: the report's, with its days pinned. */
  stateCommand: string;
}
