import { z } from 'zod';
import type { AgentDayCount, ConversationDay, DigestData } from '../domain/digest-summary.ts';
import type { ReportFilters } from '../domain/filters.ts';
import { SOURCES } from '../domain/sources.ts';
import { addDays, type LocalDate, startOfLocalDay } from '../domain/time.ts';
import { EVENTS } from './assignment-store.ts';
import type { Engine, StoreCollection } from './collection.ts';
import {
  type ConversationKeys,
  conversationMoves,
  countByAssignee,
  digestFilters,
  touchedConversations,
} from './digest-pipelines.ts';
import { countByDayAndSource, latestRows, type TimeWindow } from './pipelines.ts';
import { toLogRow } from './to-log-row.ts';

/** Days before the digest's day whose counts it reads: the day before, and the same weekday 1–4 weeks back. */
export const HISTORY_DAYS = 28;
/** Log rows of the day posted in the digest's thread. */
export const DIGEST_LOG_ROWS = 20;

export interface DigestQuery {
  /** The team, by id or name as the directory spells it; matched case-insensitively. */
  team: string;
  /** The local day the digest covers. */
  day: LocalDate;
  zone: string;
  filters: ReportFilters;
}

export interface DigestDataSource {
  load(query: DigestQuery): Promise<DigestData>;
}

// Stored and grouped documents are outside data: parsed on the way in.
const partySchema = z.object({ id: z.string(), name: z.string() });
const countRowSchema = z.object({
  _id: z.object({ day: z.string(), source: z.enum(SOURCES) }),
  count: z.number(),
});
const agentRowSchema = z.object({
  _id: z.string().nullable(),
  name: z.string().nullish(),
  count: z.number(),
});
const keySchema = z.object({ conversationId: z.string().nullable(), contactId: z.string() });
const touchedSchema = z.object({ _id: keySchema, eventIds: z.array(z.string()) });
const movesSchema = z.object({
  _id: keySchema,
  contact: partySchema,
  moves: z.array(
    z.object({
      id: z.string(),
      ts: z.date(),
      // An engine may leave a null field out of a pushed document; either way it is nobody.
      previous: partySchema.nullish().transform((p) => p ?? null),
      assignee: partySchema.nullish().transform((p) => p ?? null),
      source: z.enum(SOURCES),
    }),
  ),
});

/** Reads what a team's digest of one local day says, with the same pipelines on MongoDB and in process. */
export function createDigestData(engine: Engine): DigestDataSource {
  const events = engine.collection(EVENTS);
  return {
    async load(query) {
      // Whole local days between local midnights: a DST day is 23 or 25 hours long, as it is.
      const day: TimeWindow = {
        from: startOfLocalDay(query.day, query.zone),
        to: startOfLocalDay(addDays(query.day, 1), query.zone),
      };
      const history: TimeWindow = {
        from: startOfLocalDay(addDays(query.day, -HISTORY_DAYS), query.zone),
        to: day.to,
      };
      const filters = digestFilters(query.team, query.filters);
      const [counts, agents, conversations, latest] = await Promise.all([
        events.aggregate(countByDayAndSource(history, filters, query.zone)),
        events.aggregate(countByAssignee(day, filters)),
        readConversations(events, day, filters),
        events.aggregate(latestRows(day, filters, DIGEST_LOG_ROWS)),
      ]);
      return {
        team: query.team,
        day: query.day,
        zone: query.zone,
        filters: query.filters,
        counts: counts.map((doc) => {
          const row = countRowSchema.parse(doc);
          return { day: row._id.day, source: row._id.source, count: row.count };
        }),
        byAgent: agents.map((doc): AgentDayCount => {
          const row = agentRowSchema.parse(doc);
          return {
            agent: row._id === null ? null : { id: row._id, name: row.name ?? row._id },
            count: row.count,
          };
        }),
        conversations,
        latest: latest.map(toLogRow),
      };
    },
  };
}

/**
 * The conversations the digest's events touch on the day, with all their events that day in order, each
 * marked as counted or not. Two reads: which conversations (and which of their events the digest counts),
 * then those conversations' whole day from the conversation (or contact) index.
 */
async function readConversations(
  events: StoreCollection,
  day: TimeWindow,
  filters: ReportFilters,
): Promise<ConversationDay[]> {
  const touched = (await events.aggregate(touchedConversations(day, filters))).map((doc) =>
    touchedSchema.parse(doc),
  );
  const keys: ConversationKeys = { conversationIds: [], contactIds: [] };
  const counted = new Set<string>();
  const wanted = new Set<string>();
  for (const { _id, eventIds } of touched) {
    wanted.add(JSON.stringify([_id.conversationId, _id.contactId]));
    if (_id.conversationId === null) keys.contactIds.push(_id.contactId);
    else keys.conversationIds.push(_id.conversationId);
    for (const id of eventIds) counted.add(id);
  }
  const pipeline = conversationMoves(day, {
    conversationIds: [...new Set(keys.conversationIds)],
    contactIds: [...new Set(keys.contactIds)],
  });
  if (!pipeline) return [];
  return (await events.aggregate(pipeline)).flatMap((doc) => {
    const row = movesSchema.parse(doc);
    // A conversation id shared by another contact's events is a different conversation here.
    if (!wanted.has(JSON.stringify([row._id.conversationId, row._id.contactId]))) return [];
    // Sorted again here: the order `$push` keeps after `$sort` is not something to lean on across engines.
    const moves = [...row.moves].sort((a, b) => a.ts.getTime() - b.ts.getTime() || compare(a.id, b.id));
    const conversation: ConversationDay = {
      conversationId: row._id.conversationId,
      contact: row.contact,
      moves: moves.map((m) => ({
        at: m.ts,
        previous: m.previous,
        assignee: m.assignee,
        source: m.source,
        counted: counted.has(m.id),
      })),
    };
    return [conversation];
  });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
