import { createHash } from 'node:crypto';
import type { AssignmentEvent } from '../domain/event.ts';

/**
 * The idempotency key of an event: the sender's id when it gave one, otherwise a hash of what the event says,
 * so that a resend without an id is still recognised. An event read from an exported log carries its key.
 */
export function eventKey(event: AssignmentEvent): string {
  if (event.key !== undefined) return event.key;
  if (event.id !== undefined) return `id:${event.id}`;
  const content = [
    event.timestamp.getTime(),
    event.conversationId,
    event.contact.id,
    event.previousAssignee === undefined ? '~' : (event.previousAssignee?.id ?? null),
    event.assignee?.id ?? null,
    event.source,
    event.assignedBy?.id ?? null,
  ];
  return `h:${createHash('sha256').update(JSON.stringify(content)).digest('base64url')}`;
}
