import type { AssignmentEvent, Party } from '../domain/event.ts';
import { pick, SOURCE_WEIGHTS, seeded, weighted } from './seeded-random.ts';

// Realistic demo data for the local console: a few weeks, three teams, all seven sources, reassignments and
// closes. Seeded, so the same `now` gives the same events.

const TEAMS: { team: Party; agents: Party[] }[] = [
  {
    team: { id: 't-support', name: 'Support' },
    agents: [
      { id: 'u-mei', name: 'Mei Tan' },
      { id: 'u-john', name: 'John Doe' },
      { id: 'u-priya', name: 'Priya Nair' },
    ],
  },
  {
    team: { id: 't-sales', name: 'Sales' },
    agents: [
      { id: 'u-carlos', name: 'Carlos Diaz' },
      { id: 'u-sarah', name: 'Sarah Lee' },
      { id: 'u-ahmed', name: 'Ahmed Khan' },
    ],
  },
  {
    team: { id: 't-billing', name: 'Billing' },
    agents: [
      { id: 'u-yuki', name: 'Yuki Sato' },
      { id: 'u-lena', name: 'Lena Fischer' },
    ],
  },
];

const LEADS: Party[] = [
  { id: 'u-sarah', name: 'Sarah Lee' },
  { id: 'u-john', name: 'John Doe' },
];

const FIRST = [
  'Aisha',
  'Wei',
  'Nur',
  'Daniel',
  'Siti',
  'Arjun',
  'Hana',
  'Omar',
  'Grace',
  'Luca',
  'Fatima',
  'Ken',
];
const LAST = [
  'Rahman',
  'Lim',
  'Hassan',
  'Wong',
  'Abdullah',
  'Kumar',
  'Sato',
  'Ali',
  'Ong',
  'Rossi',
  'Yusof',
  'Ito',
];

const teamOf = (agent: Party): Party | null =>
  TEAMS.find((t) => t.agents.some((a) => a.id === agent.id))?.team ?? null;

/** About `days` days of assignment events ending at `now`, oldest first. */
export function demoEvents(now: Date, days = 70, seed = 42): AssignmentEvent[] {
  const random = seeded(seed);
  const contacts: Party[] = Array.from({ length: 360 }, (_, i) => ({
    id: String(1_200_000 + i * 37),
    name: `${pick(random, FIRST)} ${pick(random, LAST)}`,
  }));
  const conversation = new Map<string, number>();
  const current = new Map<string, Party | null>();
  let nextConversation = 88_000;
  const events: AssignmentEvent[] = [];
  const start = now.getTime() - days * 86_400_000;
  for (let day = 0; day < days; day++) {
    const dayStart = start + day * 86_400_000;
    const weekend = [0, 6].includes(new Date(dayStart).getUTCDay());
    const count = Math.round((weekend ? 35 : 90) + random() * 40);
    const times = Array.from({ length: count }, () => dayStart + Math.floor(random() * 86_400_000)).sort(
      (a, b) => a - b,
    );
    for (const t of times) {
      if (t > now.getTime()) break;
      const contact = pick(random, contacts);
      const before = current.get(contact.id) ?? null;
      let source = weighted(random, SOURCE_WEIGHTS);
      if (source === 'close_conversation' && !before) source = 'workflow';
      const team = pick(random, TEAMS);
      const assignee = source === 'close_conversation' ? null : pick(random, team.agents);
      if (assignee?.id === before?.id) continue;
      if (!conversation.has(contact.id)) conversation.set(contact.id, nextConversation++);
      events.push({
        timestamp: new Date(t),
        conversationId: String(conversation.get(contact.id)),
        contact,
        assignee,
        source,
        assignedBy: source === 'user' ? pick(random, LEADS) : null,
        team: assignee ? teamOf(assignee) : before ? teamOf(before) : null,
      });
      current.set(contact.id, assignee);
      if (source === 'close_conversation') conversation.delete(contact.id);
    }
  }
  return events;
}
