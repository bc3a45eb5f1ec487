import type { AssignmentEvent, Party } from '../../src/domain/event.ts';

export const AISHA: Party = { id: '1234567', name: 'Aisha Rahman' };
export const MEI: Party = { id: 'u2', name: 'Mei Tan' };
export const JOHN: Party = { id: 'u1', name: 'John Doe' };

/**
 * Mei Tan takes Aisha Rahman's conversation 88231 through a workflow at 08:15 in Kuala Lumpur on 26 Nov 2026,
 * unless told otherwise. `previousAssignee` is left out, so the store derives it.
 */
export function makeEvent(overrides: Partial<AssignmentEvent> = {}): AssignmentEvent {
  return {
    timestamp: new Date('2026-11-26T08:15:00+08:00'),
    conversationId: '88231',
    contact: AISHA,
    assignee: MEI,
    source: 'workflow',
    assignedBy: null,
    team: null,
    ...overrides,
  };
}
