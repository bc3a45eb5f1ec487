import type { Party } from './event.ts';
import { type ReportFilters, UNASSIGNED } from './filters.ts';
import { suggest } from './suggest.ts';

// A name in a filter that matches nothing gets a suggestion instead of "No applicable data":
// `assignee:"Mei Tam"` → "No agent named Mei Tam. Did you mean Mei Tan?".

/** The filters whose values are names (or ids) of people or teams. */
export const NAME_FIELDS = ['assignees', 'assignedBy', 'teams', 'contacts'] as const;
export type NameField = (typeof NAME_FIELDS)[number];

const NOUNS: Readonly<Record<NameField, string>> = {
  assignees: 'agent',
  assignedBy: 'user',
  teams: 'team',
  contacts: 'contact',
};

/** The values of a name filter, leaving out `assignee:none` (nobody, which is not a name). */
export function namesAsked(filters: ReportFilters, field: NameField): string[] {
  return field === 'assignees' ? filters.assignees.filter((a) => a !== UNASSIGNED) : filters[field];
}

const matches = (value: string, party: Party) => {
  const v = value.toLowerCase();
  return party.id.toLowerCase() === v || party.name.toLowerCase() === v;
};

/**
 * For each name asked that no known party has (by id or name, any case), a sentence saying so, with the
 * nearest known name when one is within a typo's reach. `known` holds the parties seen for each field.
 */
export function unknownNameNotices(
  filters: ReportFilters,
  known: Readonly<Partial<Record<NameField, readonly Party[]>>>,
  scope: string,
): string[] {
  return NAME_FIELDS.flatMap((field) => {
    const parties = known[field] ?? [];
    return namesAsked(filters, field).flatMap((value) => {
      if (parties.some((p) => matches(value, p))) return [];
      const near = suggest(value, [...new Set(parties.map((p) => p.name))]);
      return [
        near
          ? `No ${NOUNS[field]} named ${value}. Did you mean ${near}?`
          : `No ${NOUNS[field]} named ${value} ${scope}.`,
      ];
    });
  });
}
