import type { Party } from './event.ts';

// The counting rules, as one walk over a contact's events in order. Pure: the store runs it over what it read,
// and tests run it over what they sent, so the rules live in exactly one place.
//
//   - A contact's events are ordered by time, then by event key, so the outcome never depends on arrival.
//   - An event that names its previous assignee (someone, or `null` for nobody) is an assignment exactly when
//     its new assignee differs from that previous assignee, whatever came before.
//   - An event that leaves it out takes the assignee of the event before it (nobody for the first).
//   - Either way, the next event's "before" is this event's new assignee.

/** A party known only by name (CSV rows name agents, they do not identify them). */
export const isNameOnly = (p: Party): boolean => p.id === p.name;

/** Same assignee: the same id, or the same name (any case) when one side knows only the name. */
export function sameAssignee(a: Party | null, b: Party | null): boolean {
  if (!a || !b) return a === b;
  if (a.id === b.id) return true;
  return (isNameOnly(a) || isNameOnly(b)) && a.name.toLowerCase() === b.name.toLowerCase();
}

/**
 * Orders strings by code point, which is how MongoDB orders them (UTF-8 bytes, the simple collation); JavaScript's
 * `<` compares UTF-16 units and disagrees past U+FFFF.
 */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) ?? 0;
    const y = b.codePointAt(i) ?? 0;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** Where an event sits in its contact's log. */
export interface EventPlace {
  ts: Date;
  key: string;
}

/** The log's order: time first, then key. */
export function compareEventPlaces(a: EventPlace, b: EventPlace): number {
  return a.ts.getTime() - b.ts.getTime() || compareKeys(a.key, b.key);
}

export interface ChainEvent {
  assignee: Party | null;
  /** What the sender said the previous assignee was; `undefined` when it did not say. */
  givenPrevious: Party | null | undefined;
}

export interface ChainStep {
  previous: Party | null;
  /** Not an assignment: the new assignee is the previous one. */
  unchanged: boolean;
}

/** Walks events already in log order from the assignee before the first; one step per event. */
export function walkChain(before: Party | null, events: readonly ChainEvent[]): ChainStep[] {
  let holder = before;
  return events.map((event) => {
    const previous = event.givenPrevious === undefined ? holder : event.givenPrevious;
    holder = event.assignee;
    return { previous, unchanged: sameAssignee(previous, event.assignee) };
  });
}
