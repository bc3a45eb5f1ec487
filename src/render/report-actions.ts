import type { types } from '@slack/bolt';
import { type ButtonView, encodeButtonState } from '../domain/button-state.ts';
import { GROUPINGS, type Grouping } from '../domain/leaderboard.ts';

// The buttons and the menu that move between a report's views. Each carries its state (the pinned command, the
// view, the page) in its value; one handler (commands/view-button.ts) answers them all.

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
/** The "By …" select menu: each option's value is a view's state. */
export const GROUP_MENU_ACTION_ID = 'report_view_menu';

/** Every button action id commands/view-button.ts answers (the menu is registered on its own). */
export const VIEW_ACTION_IDS: readonly string[] = [
  REPORT_ACTION_ID,
  LOG_ACTION_ID,
  ...GROUPINGS.map((g) => GROUP_ACTION_IDS[g]),
  OLDER_ACTION_ID,
  NEWER_ACTION_ID,
];

/** Slack's limit on an option's value; a state longer than this goes on buttons instead. */
export const MAX_OPTION_VALUE = 150;

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

export type ViewControl = types.Button | types.StaticSelect;

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

function viewButton(command: string, view: Exclude<ButtonView, 'timeline'>): types.Button[] {
  return stateButton(VIEW_LABELS[view], ACTION_OF[view], { command, view, page: 1 });
}

/**
 * The "By agent / team / source / day" menu (without the view shown), or the same as buttons when a state is
 * longer than an option may carry.
 */
function groupControls(
  command: string,
  current: ButtonView,
  onButtons: readonly ButtonView[],
): ViewControl[] {
  const views = GROUPINGS.filter((g) => g !== current);
  const options = views.map((view) => ({
    text: { type: 'plain_text' as const, text: VIEW_LABELS[view] },
    value: encodeButtonState({ command, view, page: 1 }) ?? '',
  }));
  if (options.some((o) => o.value === '' || o.value.length > MAX_OPTION_VALUE))
    return views.filter((v) => !onButtons.includes(v)).flatMap((view) => viewButton(command, view));
  return [
    {
      type: 'static_select',
      action_id: GROUP_MENU_ACTION_ID,
      placeholder: { type: 'plain_text', text: 'Group by…' },
      options,
    },
  ];
}

/**
 * What moves between views, the most used first: Report (when elsewhere), Log, By agent, then the By … menu.
 * The view already shown is left out.
 */
export function viewControls(command: string, current: ButtonView): ViewControl[] {
  const primary = (['report', 'log', 'agent'] as const).filter((v) => v !== current);
  return [
    ...primary.flatMap((view) => viewButton(command, view)),
    ...groupControls(command, current, primary),
  ];
}

/** Just Log and By agent: the digest's way into the day's report. */
export function logAndAgentButtons(command: string): types.Button[] {
  return [...viewButton(command, 'log'), ...viewButton(command, 'agent')];
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
