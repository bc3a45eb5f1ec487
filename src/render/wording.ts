// Words that the Slack message and the console text share, so the two never drift apart.
import { type ReportFilters, UNASSIGNED } from '../domain/filters.ts';
import { MAX_RANGE_DAYS } from '../domain/parse-command.ts';
import { SOURCE_LABELS, SOURCES } from '../domain/sources.ts';

export const COUNTING_RULE =
  'Unassignments count as assignments; a returning contact who keeps the same assignee does not.';

export const LOG_ROWS = 10;

/** Nobody, on every surface and on either side of a handover. */
export const UNASSIGNED_NAME = 'Unassigned';

/** The answer when the store ran past its time limit (STORE_READ_TIMEOUT_MS) building a report or view. */
export const STORE_TOO_SLOW = 'The store took too long: try a shorter range or fewer filters.';

const FILTER_NAMES: Readonly<Record<keyof ReportFilters, string>> = {
  sources: 'Source',
  assignees: 'Assigned To',
  assignedBy: 'Assigned By User',
  contacts: 'Contact',
  conversations: 'Conversation',
  teams: 'Team',
};

/**
 * The filters in the seed's column names, e.g. "Source: Workflow, Bot · Assigned To: Mei Tan", or "none".
 * `show` makes each user-typed value safe for the medium.
 */
export function describeFilters(filters: ReportFilters, show: (value: string) => string): string {
  const parts: string[] = [];
  if (filters.sources.length > 0) {
    parts.push(`${FILTER_NAMES.sources}: ${filters.sources.map((s) => SOURCE_LABELS[s]).join(', ')}`);
  }
  const assignees = filters.assignees.map((a) => (a === UNASSIGNED ? UNASSIGNED_NAME : show(a)));
  if (assignees.length > 0) parts.push(`${FILTER_NAMES.assignees}: ${assignees.join(', ')}`);
  for (const field of ['assignedBy', 'contacts', 'conversations', 'teams'] as const) {
    if (filters[field].length > 0)
      parts.push(`${FILTER_NAMES[field]}: ${filters[field].map(show).join(', ')}`);
  }
  return parts.length > 0 ? parts.join(' · ') : 'none';
}

/** One line of help: what to type, and what it does. */
export interface HelpLine {
  example: string;
  meaning: string;
}

export const HELP_USAGE = '/assignments [range] [filters…]';

export const HELP_RANGES: readonly HelpLine[] = [
  { example: 'today', meaning: 'today so far' },
  { example: 'yesterday', meaning: 'the whole of yesterday' },
  { example: 'last 7 days', meaning: 'the last 7 days including today (the default)' },
  { example: 'last 14 days', meaning: 'the last 14 days including today' },
  { example: 'last 30 days', meaning: 'the last 30 days including today' },
  { example: 'this month', meaning: 'from the 1st of this month to today' },
  { example: 'last month', meaning: 'the whole previous calendar month' },
  {
    example: '7d, 14d, 30d, 90d',
    meaning: `the last N days including today (any N up to ${MAX_RANGE_DAYS})`,
  },
  { example: '2026-11-03', meaning: 'one day' },
  { example: '2026-11-01..2026-11-15', meaning: 'from one day to another, both included' },
];

export const HELP_FILTERS: readonly HelpLine[] = [
  {
    example: 'source:workflow',
    meaning: `one source, or several: source:workflow,bot. Sources: ${SOURCES.join(', ')}`,
  },
  { example: 'assignee:"Mei Tan"', meaning: 'Assigned To (alias to:); assignee:none shows unassignments' },
  { example: 'by:"Sarah Lee"', meaning: 'Assigned By User (only assignments made by a User have one)' },
  { example: 'contact:1234567', meaning: 'a contact, by id or name' },
  { example: 'conversation:88231', meaning: 'a conversation (alias conv:)' },
  { example: 'team:Support', meaning: "the assignee's team" },
  {
    example: 'tz:Asia/Kuala_Lumpur',
    meaning: 'count whole days in this time zone instead of yours (alias zone:)',
  },
];

export const HELP_NOTES: readonly string[] = [
  'Put values with spaces in quotes: assignee:"Mei Tan". Separate several values with commas.',
  'Range and filters go in any order; without a range you get the last 7 days.',
  'Days and times are counted in the time zone the report states.',
  '`/assignments teams` lists the teams with their agents and last-30-days counts (`teams team:Support` for one).',
  '`conversation:88231` or `contact:1234567` on its own shows that timeline: who held it, how long, and what bounced.',
  '`/assignments export [range] [filters]` sends the whole matching log to you as a CSV file, without a row cap.',
  '`/assignments digest list` shows the daily team digests; admins add them with `digest add #channel team:Support at 09:00`.',
];

export const HELP_EXAMPLES: readonly string[] = [
  '/assignments',
  '/assignments yesterday',
  '/assignments 30d source:workflow,bot',
  '/assignments last month assignee:none',
  '/assignments 2026-11-01..2026-11-15 by:"Sarah Lee"',
  '/assignments teams',
  '/assignments conversation:88231',
  '/assignments export last month team:Support',
  '/assignments help',
];
