import { z } from 'zod';
import type { ReportFilters } from '../domain/filters.ts';
import type { GroupCount, Grouping } from '../domain/leaderboard.ts';
import type { Doc, StoreCollection } from './collection.ts';
import { localDayOfTs } from './local-day.ts';
import { matchEvents, type TimeWindow } from './pipelines.ts';

// Counts of a window grouped per agent, team, source or local day, for the By agent / team / source / day
// buttons. One `$group` after the report's own `$match`, run by both engines.

/** The `$group` key and, where the events carry one, the display name of each grouping. */
function groupKey(grouping: Grouping, window: TimeWindow, zone: string): { key: unknown; name?: string } {
  switch (grouping) {
    case 'agent':
      // `$ifNull` so that a missing assignee (an unassignment) groups as null on both engines alike.
      return { key: { $ifNull: ['$assignee.id', null] }, name: '$assignee.name' };
    case 'team':
      return { key: { $ifNull: ['$team.id', null] }, name: '$team.name' };
    case 'source':
      return { key: '$source' };
    case 'day':
      // The local midnights of the window, computed here in Node: no zone name reaches the server.
      return { key: localDayOfTs(window, zone) };
  }
}

/** Counts per group in a window; `$max` of the name gives the same answer on both engines whatever the order. */
export function countByGroup(
  window: TimeWindow,
  filters: ReportFilters,
  grouping: Grouping,
  zone: string,
): Doc[] {
  const { key, name } = groupKey(grouping, window, zone);
  return [
    { $match: matchEvents(window, filters) },
    { $group: { _id: key, ...(name ? { name: { $max: name } } : {}), count: { $sum: 1 } } },
  ];
}

const rowSchema = z.object({ _id: z.string().nullable(), name: z.string().nullish(), count: z.number() });

export async function readGroupCounts(
  events: StoreCollection,
  window: TimeWindow,
  filters: ReportFilters,
  grouping: Grouping,
  zone: string,
): Promise<GroupCount[]> {
  const docs = await events.aggregate(countByGroup(window, filters, grouping, zone));
  return docs.map((doc) => {
    const row = rowSchema.parse(doc);
    return { key: row._id, name: row.name ?? null, count: row.count };
  });
}
