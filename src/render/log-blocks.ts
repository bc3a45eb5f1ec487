import type { types } from '@slack/bolt';
import { filtersText, hasFilters } from '../domain/filters.ts';
import { LOG_ROW_CAP, type LogView } from '../domain/log-page.ts';
import { actions, context, header, section } from './block-parts.ts';
import { escapeMrkdwn, truncate } from './escape.ts';
import { pageButtons, viewButtons } from './report-actions.ts';
import { exportButtons, logRowText, type SlackMessage } from './report-blocks.ts';
import { COUNTING_RULE, describeFilters } from './wording.ts';

type KnownBlock = types.KnownBlock;

const count = (n: number) => n.toLocaleString('en-US');

/**
 * One page of a report's log (20 rows, newest first) with Newer/Older, the other views and Export CSV. Past
 * LOG_ROW_CAP rows it says how many match and points at the export, which has them all.
 */
export function logMessage(log: LogView): SlackMessage {
  const { range, page } = log;
  const withYear = range.firstDay.slice(0, 4) !== range.lastDay.slice(0, 4);
  const blocks: KnownBlock[] = [
    header('Assignment log'),
    section(
      `*${range.label}, ${range.zone}*\nFilters: ${describeFilters(log.filters, (v) => escapeMrkdwn(v))}`,
    ),
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
          section(
            `*Rows ${count(page.first)}–${count(page.last)} of ${rowsOf(log)}* · newest first · times in ${range.zone}`,
          ),
          ...log.rows.map((row) => section(logRowText(row, range.zone, withYear))),
        ]),
    context(COUNTING_RULE),
    ...actions(pageButtons(log.stateCommand, 'log', page.page, page.pages)),
    ...actions([...viewButtons(log.stateCommand, 'log'), ...exportButtons(log.stateCommand)]),
  ];
  const shown = page.total === 0 ? 'no rows' : `rows ${page.first}–${page.last} of ${rowsOf(log)}`;
  return { text: truncate(`Assignment log, ${range.label}, ${range.zone}: ${shown}.`, 3000), blocks };
}

function rowsOf(log: LogView): string {
  return log.page.overCap ? `the newest ${count(log.page.pageable)}` : count(log.page.total);
}

function noRows(log: LogView): string {
  return hasFilters(log.filters)
    ? `No applicable data: no assignments match \`${escapeMrkdwn(filtersText(log.filters), 1000)}\` in this range.`
    : 'No assignments in this range.';
}
