import type { AssignmentEvent, Party } from '../domain/event.ts';
import {
  addDays,
  type LocalDate,
  localDateOf,
  startOfLocalDay,
  zonedWallClockToUtc,
} from '../domain/time.ts';
import { pick, SOURCE_WEIGHTS, seeded, weighted } from './seeded-random.ts';

// Realistic demo data for the local console: ten weeks, three teams, all seven sources, reassignments and
// closes, and the README's example conversation. Seeded, so the same day gives the same events.

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

/** The README's timeline example: one conversation, ping-pong, a busy day, a close and a return after quiet. */
const AISHA: Party = { id: '1234567', name: 'Aisha Rahman' };
const STORY_CONVERSATION = '88231';
const MEI = { id: 'u-mei', name: 'Mei Tan' };
const JOHN = { id: 'u-john', name: 'John Doe' };
const SARAH = { id: 'u-sarah', name: 'Sarah Lee' };
const SUPPORT = { id: 't-support', name: 'Support' };

/** Conversation 88231 of contact 1234567: four moves the day before yesterday, back again yesterday at noon. */
function storyEvents(today: LocalDate, zone: string): AssignmentEvent[] {
  const at = (daysAgo: number, time: string) =>
    zonedWallClockToUtc(addDays(today, -daysAgo), time, zone) ??
    startOfLocalDay(addDays(today, -daysAgo), zone);
  const move = (
    when: Date,
    assignee: Party | null,
    source: AssignmentEvent['source'],
    by: Party | null = null,
  ) => ({
    timestamp: when,
    conversationId: STORY_CONVERSATION,
    contact: AISHA,
    assignee,
    source,
    assignedBy: by,
    team: SUPPORT,
  });
  return [
    move(at(2, '08:15'), MEI, 'workflow'),
    move(at(2, '09:00'), JOHN, 'user', SARAH),
    move(at(2, '10:30'), MEI, 'workflow'),
    move(at(2, '11:00'), null, 'close_conversation'),
    move(at(1, '12:00'), MEI, 'workflow'),
  ];
}

const DAY_MS = 86_400_000;

/**
 * `days` whole local days of assignment events in `zone`, ending today (up to `now`), oldest first. Each day is
 * made from the seed and its place in the run of days only, so `yesterday` shows the same numbers at any hour,
 * and on any day: the README's examples come from here (test/console/readme-examples.test.ts checks them).
 */
export function demoEvents(now: Date, zone = 'UTC', days = 70, seed = 42): AssignmentEvent[] {
  const random = seeded(seed);
  const contacts: Party[] = Array.from({ length: 360 }, (_, i) => ({
    id: String(1_200_000 + i * 37),
    name: `${pick(random, FIRST)} ${pick(random, LAST)}`,
  }));
  const conversation = new Map<string, number>();
  const current = new Map<string, Party | null>();
  // Above 88231, the story's conversation, so no made-up one takes its id.
  let nextConversation = 88_300;
  const events: AssignmentEvent[] = [];
  const today = localDateOf(now, zone);
  for (let day = 0; day < days; day++) {
    const date = addDays(today, day - days + 1);
    const dayStart = startOfLocalDay(date, zone).getTime();
    // A day of 23 hours (DST) keeps its events, the last ones at its end.
    const dayEnd = startOfLocalDay(addDays(date, 1), zone).getTime() - 1;
    const count = Math.round(80 + random() * 50);
    const times = Array.from({ length: count }, () =>
      Math.min(dayStart + Math.floor(random() * DAY_MS), dayEnd),
    ).sort((a, b) => a - b);
    for (const t of times) {
      // Today's events after `now` are cut, never drawn differently: the days before stay as they were.
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
  const story = storyEvents(today, zone).filter((e) => e.timestamp <= now);
  return [...events, ...story].sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
}
