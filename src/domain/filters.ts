import type { Source } from './sources.ts';

/** The report's filters. Empty lists mean "any". Values keep the user's spelling; matching ignores case. */
export interface ReportFilters {
  sources: Source[];
  /** Assigned To; the value `none` selects unassignments. */
  assignees: string[];
  /** Assigned By User. */
  assignedBy: string[];
  contacts: string[];
  conversations: string[];
  teams: string[];
}

export const NO_FILTERS: ReportFilters = {
  sources: [],
  assignees: [],
  assignedBy: [],
  contacts: [],
  conversations: [],
  teams: [],
};

/** The filter keys in the order they are echoed, with the field each fills. */
export const FILTER_KEYS = [
  ['source', 'sources'],
  ['assignee', 'assignees'],
  ['by', 'assignedBy'],
  ['contact', 'contacts'],
  ['conversation', 'conversations'],
  ['team', 'teams'],
] as const satisfies readonly (readonly [string, keyof ReportFilters])[];

export const UNASSIGNED = 'none';

export function hasFilters(filters: ReportFilters): boolean {
  return FILTER_KEYS.some(([, field]) => filters[field].length > 0);
}

function quote(value: string): string {
  return /[\s,"]/.test(value) ? `"${value.replaceAll('"', "'")}"` : value;
}

/** The filters as command words, e.g. `source:workflow,bot assignee:"Mei Tan"`. */
export function filtersText(filters: ReportFilters): string {
  return FILTER_KEYS.filter(([, field]) => filters[field].length > 0)
    .map(([key, field]) => `${key}:${filters[field].map(quote).join(',')}`)
    .join(' ');
}
