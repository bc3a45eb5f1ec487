import type { z } from 'zod';
import type { AssignmentEvent } from '../../domain/event.ts';

/** What a connector makes of a verified webhook body. */
export type Mapping =
  | { kind: 'events'; events: AssignmentEvent[] }
  | { kind: 'ignored'; reason: string }
  | { kind: 'invalid'; problems: string[] };

/** Whether a request may be read; a refusal carries the status to answer and how to fix it. */
export type Verdict = { ok: true } | { ok: false; status: 401 | 503; error: string };

export const ignored = (reason: string): Mapping => ({ kind: 'ignored', reason });

/** Zod's issues as `field: message` lines, each field named from `prefix` (the body, or a part of it). */
export function invalid(error: z.ZodError, prefix = ''): Mapping {
  return {
    kind: 'invalid',
    problems: error.issues.map((issue) => {
      const field = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
      return `${field || '(body)'}: ${issue.message}`;
    }),
  };
}

/** Quotes a value from a payload in a message, cut short so a hostile body cannot flood a log line. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}
