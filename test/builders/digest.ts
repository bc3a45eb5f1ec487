import type { ConversationDay, DigestData, DigestMove } from '../../src/domain/digest-summary.ts';
import type { Party } from '../../src/domain/event.ts';
import { NO_FILTERS, type ReportFilters } from '../../src/domain/filters.ts';
import type { DaySourceCount } from '../../src/domain/report.ts';
import { SOURCES, type Source } from '../../src/domain/sources.ts';
import { addDays, type LocalDate } from '../../src/domain/time.ts';

/** Thursday 26 Nov 2026, Support, Kuala Lumpur: every digest test covers the same day unless told otherwise. */
export const DAY: LocalDate = '2026-11-26';
export const DIGEST_ZONE = 'Asia/Kuala_Lumpur';

export const MEI: Party = { id: 'u2', name: 'Mei Tan' };
export const JOHN: Party = { id: 'u1', name: 'John Doe' };
export const PRIYA: Party = { id: 'u3', name: 'Priya Nair' };
export const CARLOS: Party = { id: 'u4', name: 'Carlos Diaz' };
export const AISHA: Party = { id: '1234567', name: 'Aisha Rahman' };

/** Counts on the day `daysBefore` days before DAY (0 = DAY itself), as the store groups them. */
export function countsOn(daysBefore: number, perSource: Partial<Record<Source, number>>): DaySourceCount[] {
  const day = addDays(DAY, -daysBefore);
  return SOURCES.flatMap((source) => {
    const count = perSource[source] ?? 0;
    return count ? [{ day, source, count }] : [];
  });
}

/**
 * A conversation's day from the holder before it and each new assignee in turn (`null` = unassigned), the
 * moves 3 minutes apart from 09:03 local; every move counted by the digest unless told otherwise.
 */
export function conversation(
  conversationId: string | null,
  holders: [before: Party | null, ...after: (Party | null)[]],
  options: { contact?: Party; source?: Source; counted?: boolean[] } = {},
): ConversationDay {
  const [before, ...after] = holders;
  let previous = before;
  const moves: DigestMove[] = after.map((assignee, i) => {
    const move = {
      at: new Date(Date.UTC(2026, 10, 26, 1, 3 * (i + 1))),
      previous,
      assignee,
      source: options.source ?? (assignee ? 'workflow' : 'close_conversation'),
      counted: options.counted?.[i] ?? true,
    };
    previous = assignee;
    return move;
  });
  return { conversationId, contact: options.contact ?? AISHA, moves };
}

/** Support's Thursday: Workflow 120 and Bot 80 by Mei Tan and John Doe, unless told otherwise. */
export function makeDigestData(
  overrides: Omit<Partial<DigestData>, 'filters'> & { filters?: Partial<ReportFilters> } = {},
): DigestData {
  return {
    team: 'Support',
    day: DAY,
    zone: DIGEST_ZONE,
    counts: countsOn(0, { workflow: 120, bot: 80 }),
    byAgent: [
      { agent: MEI, count: 120 },
      { agent: JOHN, count: 80 },
    ],
    conversations: [],
    latest: [],
    ...overrides,
    filters: { ...NO_FILTERS, ...overrides.filters },
  };
}
