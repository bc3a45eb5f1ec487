import { z } from 'zod';
import type { Party } from '../../domain/event.ts';
import { eventTimeProblem } from '../../domain/event-time.ts';

const MAX_ID = 200;
const MAX_NAME = 200;

/** A platform's id for something, a string or a whole number, kept as text. */
export const platformIdSchema = z
  .union([
    z.string().trim().min(1, 'must not be empty').max(MAX_ID),
    z.number().refine(Number.isSafeInteger, 'must be a whole number below 2^53'),
  ])
  .transform((v) => String(v));

/** A display field we can do without: anything but a string reads as absent instead of failing the event. */
export const optionalTextSchema = z.string().nullish().catch(undefined);

/** The first candidate with visible text, trimmed and cut to a length the store accepts. */
export function firstText(...candidates: (string | null | undefined)[]): string | undefined {
  for (const candidate of candidates) {
    const text = candidate?.trim();
    if (text) return text.slice(0, MAX_NAME);
  }
  return undefined;
}

/** "First Last", or whichever half is there. */
export function fullName(
  first: string | null | undefined,
  last: string | null | undefined,
): string | undefined {
  return firstText([first?.trim(), last?.trim()].filter(Boolean).join(' '));
}

/** A party named by the first usable candidate, else by its id. */
export function party(id: string, ...names: (string | null | undefined)[]): Party {
  return { id, name: firstText(...names) ?? id };
}

/** A party whose id is prefixed with its platform scope: `chatwoot:7` + `412` → `chatwoot:7:412`. */
export function scopedParty(scope: string, id: string, ...names: (string | null | undefined)[]): Party {
  return party(`${scope}:${id}`, ...names, id);
}

/** Epoch seconds (fractions allowed) as a Date. */
export const secondsToDate = (seconds: number): Date => new Date(Math.round(seconds * 1000));

/**
 * The time of an event from a payload's epoch seconds, or why it is refused (before 2000, more than a day ahead
 * of `now`, or no time at all) as `field: message`.
 */
export function eventTime(
  seconds: number,
  field: string,
  now: Date,
): { ok: true; at: Date } | { ok: false; problem: string } {
  const at = secondsToDate(seconds);
  const problem = eventTimeProblem(at, now);
  return problem ? { ok: false, problem: `${field}: ${problem}` } : { ok: true, at };
}
