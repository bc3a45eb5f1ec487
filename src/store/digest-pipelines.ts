import type { ReportFilters } from '../domain/filters.ts';
import type { Doc } from './collection.ts';
import { COUNTED, matchEvents, type TimeWindow } from './pipelines.ts';

// Pure builders of the queries a team's daily digest runs, beside the report's in pipelines.ts. Every one starts
// with the time window, so MongoDB serves it from the `ts` index (or `conversation_ts` / `contact_ts`), and every
// one uses only stages the in-process engine runs alike ($match, $sort, $group with $sum/$max/$push).

/** The report filters a digest counts with: its own filters, narrowed to its team (by id or name, any case). */
export function digestFilters(team: string, filters: ReportFilters): ReportFilters {
  return { ...filters, teams: [team] };
}

/**
 * A conversation as the digest groups events: by conversation id, and by contact for events without one. The
 * contact is part of the key either way, so both queries below group identically.
 */
const CONVERSATION_KEY = { conversationId: { $ifNull: ['$conversationId', null] }, contactId: '$contact.id' };

/** Assignments per assignee in the window; `_id: null` gathers unassignments. */
export function countByAssignee(window: TimeWindow, filters: ReportFilters): Doc[] {
  return [
    { $match: matchEvents(window, filters) },
    {
      $group: {
        _id: { $ifNull: ['$assignee.id', null] },
        // `$max` rather than `$first`: the same answer on both engines whatever the order.
        name: { $max: '$assignee.name' },
        count: { $sum: 1 },
      },
    },
  ];
}

/** The conversations the digest's events touch in the window, each with the ids of those events. */
export function touchedConversations(window: TimeWindow, filters: ReportFilters): Doc[] {
  return [
    { $match: matchEvents(window, filters) },
    { $group: { _id: CONVERSATION_KEY, eventIds: { $push: '$_id' } } },
  ];
}

export interface ConversationKeys {
  conversationIds: string[];
  /** Contacts whose events came without a conversation id. */
  contactIds: string[];
}

/**
 * Every event in the window of the given conversations, whatever its team or source, grouped per conversation
 * in time order: a conversation that went to another team and came back bounced all the same. `undefined`
 * when there is no conversation to read.
 */
export function conversationMoves(window: TimeWindow, keys: ConversationKeys): Doc[] | undefined {
  const either: Doc[] = [
    ...(keys.conversationIds.length ? [{ conversationId: { $in: keys.conversationIds } }] : []),
    ...(keys.contactIds.length ? [{ conversationId: null, 'contact.id': { $in: keys.contactIds } }] : []),
  ];
  if (either.length === 0) return undefined;
  return [
    { $match: { ts: { $gte: window.from, $lt: window.to }, ...COUNTED, $or: either } },
    { $sort: { ts: 1, _id: 1 } },
    {
      $group: {
        _id: CONVERSATION_KEY,
        // After the $sort, the name the contact had last that day.
        contact: { $last: '$contact' },
        moves: {
          $push: {
            id: '$_id',
            ts: '$ts',
            previous: '$previousAssignee',
            assignee: '$assignee',
            source: '$source',
          },
        },
      },
    },
  ];
}
