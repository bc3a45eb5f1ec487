import type { types } from '@slack/bolt';
import { filtersText, hasFilters } from '../domain/filters.ts';
import { LOG_ROW_CAP, type LogView } from '../domain/log-page.ts';
import { actions, context, header, section } from './block-parts.ts';
import { formatCount as count } from './change-wording.ts';
import { escapeMrkdwn, truncate } from './escape.ts';
import { pageButtons, viewControls } from './report-actions.ts';
import { exportButtons, logDates, logRowText, type SlackMessage } from './report-blocks.ts';
import { COUNTING_RULE, describeFilters } from './wording.ts';
import { describeRangeZone } from './zone-wording.ts';

type KnownBlock = types.KnownBlock;

/**
 * One page of a report's log (20 rows, newest first) with Newer/Older beside its counter, the other views and
 * Export CSV. Past LOG_ROW_CAP rows it says how many match and points at the export, which has them all.
 */
export function logMessage(log: LogView): SlackMessage {
  const { range, page } = log;
  const dates = logDates(range);
  const filters = describeFilters(log.filters, (v) => escapeMrkdwn(v));
  const blocks: KnownBlock[] = [
    header(`Assignment log · ${range.shortLabel}`),
    context(`${describeRangeZone(range)}${filters === 'none' ? '' : ` · Filters: ${filters}`}`),
    ...(page.overCap
      ? [
          section(
            `:warning: ${count(page.total)} rows match. The log pages through the newest ${count(LOG_ROW_CAP)}; ` +
              '*Export CSV* has every row.',
          ),
        ]
      : []),
    ...(page.total === 0
      ? [section(noRows(log))]
      : [
          section(`*Rows ${count(page.first)}–${count(page.last)} of ${rowsOf(log)}* · newest first`),
          ...actions(pageButtons(log.stateCommand, 'log', page.page, page.pages)),
          ...log.rows.map((row) => section(logRowText(row, range.zone, dates))),
        ]),
    context(COUNTING_RULE),
    ...actions([
      ...viewControls(log.stateCommand, 'log'),
      ...(page.total > 0 ? exportButtons(log.stateCommand) : []),
    ]),
  ];
  const shown =
    page.total === 0 ? 'no rows' : `rows ${count(page.first)}–${count(page.last)} of ${rowsOf(log)}`;
  return { text: truncate(`Assignment log, ${range.label}: ${shown}.`, 3000), blocks };
}

function rowsOf(log: LogView): string {
  return log.page.overCap ? `the newest ${count(log.page.pageable)}` : count(log.page.total);
}

function noRows(log: LogView): string {
  return hasFilters(log.filters)
    ? `No applicable data: no assignments match \`${escapeMrkdwn(filtersText(log.filters), 1000)}\` in this range.`
    : 'No assignments in this range.';
}
