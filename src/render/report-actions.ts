import type { types } from '@slack/bolt';
import { type ButtonView, encodeButtonState } from '../domain/button-state.ts';
import { GROUPINGS, type Grouping } from '../domain/leaderboard.ts';

// The buttons that move between a report's views. Each carries its state (the pinned command, the view, the
// page) in its value; one handler (commands/view-button.ts) answers them all.

export const REPORT_ACTION_ID = 'report_view_report';
export const LOG_ACTION_ID = 'report_view_log';
export const GROUP_ACTION_IDS: Readonly<Record<Grouping, string>> = {
  agent: 'report_view_agent',
  team: 'report_view_team',
  source: 'report_view_source',
  day: 'report_view_day',
};
export const OLDER_ACTION_ID = 'report_view_older';
export const NEWER_ACTION_ID = 'report_view_newer';

/** Every action id commands/view-button.ts answers. */
export const VIEW_ACTION_IDS: readonly string[] = [
  REPORT_ACTION_ID,
  LOG_ACTION_ID,
  ...GROUPINGS.map((g) => GROUP_ACTION_IDS[g]),
  OLDER_ACTION_ID,
  NEWER_ACTION_ID,
];

const VIEW_LABELS: Readonly<Record<Exclude<ButtonView, 'timeline'>, string>> = {
  report: 'Report',
  log: 'Log',
  agent: 'By agent',
  team: 'By team',
  source: 'By source',
  day: 'By day',
};

const ACTION_OF: Readonly<Record<Exclude<ButtonView, 'timeline'>, string>> = {
  report: REPORT_ACTION_ID,
  log: LOG_ACTION_ID,
  ...GROUP_ACTION_IDS,
};

/** A button that shows `view` page `page` of `command`; none when its state would not fit Slack's 2,000. */
function stateButton(
  text: string,
  actionId: string,
  state: { command: string; view: ButtonView; page: number },
): types.Button[] {
  const value = encodeButtonState(state);
  return value === undefined
    ? []
    : [{ type: 'button', action_id: actionId, text: { type: 'plain_text', text }, value }];
}

/** Report, Log, By agent, By team, By source, By day, leaving out the view already shown. */
export function viewButtons(command: string, current: ButtonView): types.Button[] {
  const views = (['report', 'log', ...GROUPINGS] as const).filter((v) => v !== current);
  return views.flatMap((view) => stateButton(VIEW_LABELS[view], ACTION_OF[view], { command, view, page: 1 }));
}

/**
 * Newer and Older for a paged view. The log runs newest first (Older is the next page); a timeline runs
 * oldest first (Newer is the next page).
 */
export function pageButtons(
  command: string,
  view: 'log' | 'timeline',
  page: number,
  pages: number,
): types.Button[] {
  const newer = view === 'log' ? page - 1 : page + 1;
  const older = view === 'log' ? page + 1 : page - 1;
  const exists = (p: number) => p >= 1 && p <= pages;
  const newerButton = exists(newer)
    ? stateButton('Newer', NEWER_ACTION_ID, { command, view, page: newer })
    : [];
  const olderButton = exists(older)
    ? stateButton('Older', OLDER_ACTION_ID, { command, view, page: older })
    : [];
  // Left to right as the pages run: the log's newest page first, a timeline's oldest.
  return view === 'log' ? [...newerButton, ...olderButton] : [...olderButton, ...newerButton];
}
