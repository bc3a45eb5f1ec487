import { pick, SOURCE_WEIGHTS, seeded, weighted } from '../src/demo/seeded-random.ts';
import type { AssignmentEvent, Party } from '../src/domain/event.ts';

// Seeded, realistic bench events: every source, a dozen agents in three teams, leads who assign by hand,
// contacts that are reassigned several times and closed (unassigned). Each contact's events alternate
// assignees, so the store accepts every one of them (none is "unchanged").

const TEAMS: { team: Party; agents: Party[] }[] = [
  {
    team: { id: 't-support', name: 'Support' },
    agents: ['Mei Tan', 'John Doe', 'Priya Nair', 'Wei Lim', 'Hana Ito'].map((name, i) => ({
      id: `u-s${i}`,
      name,
    })),
  },
  {
    team: { id: 't-sales', name: 'Sales' },
    agents: ['Carlos Diaz', 'Sarah Lee', 'Ahmed Khan', 'Grace Ong'].map((name, i) => ({
      id: `u-a${i}`,
      name,
    })),
  },
  {
    team: { id: 't-billing', name: 'Billing' },
    agents: ['Yuki Sato', 'Lena Fischer', 'Omar Ali'].map((name, i) => ({ id: `u-b${i}`, name })),
  },
];
const LEADS: Party[] = [
  { id: 'u-lead1', name: 'Siti Abdullah' },
  { id: 'u-lead2', name: 'Luca Rossi' },
];
export interface EventWindow {
  from: Date;
  to: Date;
  count: number;
}

export interface EventPlan {
  /** Each window gets exactly `count` events at uniformly random instants in `[from, to)`. */
  windows: EventWindow[];
  /** How many distinct contacts share the events; `undefined` gives every event its own contact. */
  contacts?: number;
  idPrefix: string;
  seed: number;
}

/** Events for a plan, oldest first, each with a distinct sender id. */
export function makeEvents(plan: EventPlan): AssignmentEvent[] {
  const random = seeded(plan.seed);
  const times: number[] = [];
  for (const w of plan.windows) {
    const span = w.to.getTime() - w.from.getTime();
    for (let i = 0; i < w.count; i++) times.push(w.from.getTime() + Math.floor(random() * span));
  }
  times.sort((a, b) => a - b);
  const current = new Map<string, Party | null>();
  const conversation = new Map<string, string>();
  let nextConversation = 500_000;
  return times.map((t, i) => {
    const contactNo = plan.contacts === undefined ? i : Math.floor(random() * plan.contacts);
    const contact: Party = { id: `${plan.idPrefix}-c${contactNo}`, name: `Contact ${contactNo}` };
    const before = current.get(contact.id) ?? null;
    let source = weighted(random, SOURCE_WEIGHTS);
    if (source === 'close_conversation' && !before) source = 'workflow';
    let assignee: Party | null = null;
    let team: Party | null = null;
    if (source !== 'close_conversation') {
      const t0 = pick(random, TEAMS);
      assignee = pick(random, t0.agents);
      // Never the current assignee again: that would be "unchanged" and not stored.
      if (assignee.id === before?.id)
        assignee = t0.agents[(t0.agents.indexOf(assignee) + 1) % t0.agents.length] ?? null;
      team = t0.team;
    }
    let conv = conversation.get(contact.id);
    if (!conv) {
      conv = String(nextConversation++);
      conversation.set(contact.id, conv);
    }
    current.set(contact.id, assignee);
    if (source === 'close_conversation') conversation.delete(contact.id);
    return {
      id: `${plan.idPrefix}-e${i}`,
      timestamp: new Date(t),
      conversationId: conv,
      contact,
      assignee,
      source,
      assignedBy: source === 'user' ? pick(random, LEADS) : null,
      team,
    };
  });
}

/** The event as a sender posts it to `POST /api/events`. */
export function toWire(event: AssignmentEvent): Record<string, unknown> {
  return {
    id: event.id,
    timestamp: event.timestamp.toISOString(),
    conversationId: event.conversationId,
    contact: event.contact,
    assignee: event.assignee,
    source: event.source,
    assignedBy: event.assignedBy,
    team: event.team,
  };
}
