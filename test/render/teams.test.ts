import { describe, expect, it } from 'vitest';
import type { Party } from '../../src/domain/event.ts';
import { resolveRange } from '../../src/domain/range.ts';
import { MAX_BLOCKS, MAX_TEXT, teamsMessage } from '../../src/render/teams-blocks.ts';
import { teamsText } from '../../src/render/teams-text.ts';
import type { AgentCount, TeamOverview, TeamSummary } from '../../src/store/team-queries.ts';
import { NOW, ZONE } from '../builders/report.ts';

const HOSTILE = '<!channel> *x* <http://evil|y> @here &';

const party = (name: string, id = name.toLowerCase()): Party => ({ id, name });
const agent = (name: string, count: number, nowIn?: string): AgentCount => ({
  agent: party(name),
  count,
  ...(nowIn ? { nowIn: party(nowIn) } : {}),
});
function team(name: string | null, agents: AgentCount[], unassigned = 0): TeamSummary {
  return {
    team: name === null ? null : party(name),
    agents,
    unassigned,
    total: agents.reduce((n, a) => n + a.count, unassigned),
  };
}

function makeOverview(teams: TeamSummary[], teamsAsked: string[] = []): TeamOverview {
  return {
    range: resolveRange({ kind: 'last_days', days: 30 }, NOW, ZONE),
    teamsAsked,
    teams,
    total: teams.reduce((n, t) => n + t.total, 0),
    command: ['/assignments teams', ...teamsAsked.map((t) => `team:${t}`)].join(' '),
  };
}

const SAMPLE = makeOverview([
  team('Billing', [agent('Quinn Park', 0)]),
  team('Sales', [agent('Ali Hassan', 4), agent('Mei Tan', 1), agent('Sarah Lee', 0)]),
  team('Support', [agent('John Doe', 7), agent('Mei Tan', 5, 'Sales')], 2),
  team(null, [agent('Temp Agent', 1)]),
]);

/** Every `text` string anywhere in a message, the values Slack limits to 3,000 characters. */
function textsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(textsOf);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) =>
    key === 'text' && typeof v === 'string' ? [v] : textsOf(v),
  );
}

describe('teamsMessage', () => {
  it('renders every team with its agents, counts and total', () => {
    expect(teamsMessage(SAMPLE)).toMatchSnapshot();
  });

  it('states the range and zone, the total, and each team with its total first', () => {
    const texts = textsOf(teamsMessage(SAMPLE).blocks);
    expect(texts).toContain(
      '*Last 30 days, Wed 28 Oct – Thu 26 Nov 2026, Asia/Kuala_Lumpur*\n*20 assignments* in 3 teams',
    );
    expect(texts).toContain(
      '*Support* · 14 assignments\nJohn Doe · 7\nMei Tan · 5 _(now in Sales)_\n_Unassignments_ · 2',
    );
    expect(texts).toContain('*Billing* · 0 assignments\nQuinn Park · 0');
    expect(texts.some((t) => t.startsWith('*No team* · 1 assignment\n'))).toBe(true);
  });

  it('explains an empty directory, and a team that matches nothing', () => {
    expect(JSON.stringify(teamsMessage(makeOverview([])))).toContain('npm run import:agents -- agents.csv');
    const none = JSON.stringify(teamsMessage(makeOverview([], ['Nobody'])));
    expect(none).toContain('No team matches Nobody');
    expect(none).toContain('Reproduce: `/assignments teams team:Nobody`');
  });

  it('makes outside names inert', () => {
    const hostile = makeOverview([team(HOSTILE, [agent(HOSTILE, 3, HOSTILE)])], [HOSTILE]);
    // The footer quotes the command inside a code span, where nothing is formatted; the rest is checked here.
    const json = JSON.stringify(teamsMessage(hostile).blocks.filter((b) => b.type !== 'context'));
    expect(json).toContain('@\u2060here');
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<http');
    expect(json).not.toMatch(/@here/);
    expect(json).not.toMatch(/(?<!\u2060)\*x\*/);
  });

  it('cuts a team of many agents within 3,000 characters, saying how many more', () => {
    const agents = Array.from({ length: 400 }, (_, i) =>
      agent(`Agent number ${i} with a long name`, 400 - i),
    );
    const message = teamsMessage(makeOverview([team('Support', agents, 3)]));
    const texts = textsOf(message.blocks);
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(MAX_TEXT);
    const support = texts.find((t) => t.startsWith('*Support*')) ?? '';
    const shown = support.split('\n').filter((l) => l.startsWith('Agent number')).length;
    expect(shown).toBeGreaterThan(50);
    expect(support).toContain(`…and ${400 - shown} more agents\n_Unassignments_ · 3`);
  });

  it('packs many teams into compact sections, one paragraph each, within 50 blocks', () => {
    const teams = Array.from({ length: 300 }, (_, i) =>
      team(`Team ${String(i).padStart(3, '0')}`, [agent(`Agent ${i}a`, 2), agent(`Agent ${i}b`, 1)], 1),
    );
    const message = teamsMessage(makeOverview(teams));
    expect(message.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
    const texts = textsOf(message.blocks);
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(MAX_TEXT);
    expect(texts.join('\n')).toContain(
      '\n*Team 000* · 4 — Agent 0a 2, Agent 0b 1, _Unassignments_ 1\n*Team 001*',
    );
    expect(texts.join('\n').match(/\*Team \d{3}\*/g)).toHaveLength(300);
  });

  it('cuts what does not fit in 50 blocks with "and N more teams"', () => {
    const agents = Array.from({ length: 40 }, (_, i) => agent(`Agent with a longish name ${i}`, 1));
    const teams = Array.from({ length: 2000 }, (_, i) => team(`Team ${String(i).padStart(4, '0')}`, agents));
    const message = teamsMessage(makeOverview(teams));
    expect(message.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
    const texts = textsOf(message.blocks);
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(MAX_TEXT);
    const shown = texts.join('\n').match(/\*Team \d{4}\*/g)?.length ?? 0;
    expect(shown).toBeGreaterThan(100);
    expect(texts).toContain(`…and ${2000 - shown} more teams: add \`team:\` to see one.`);
    // A compact team is cut too, and says by how many agents.
    expect(texts.join('\n')).toMatch(
      /\*Team 0000\* · 40 — Agent with a longish name 0 1, .*, and \d+ more\n/,
    );
  });

  it('gives up to 46 teams a section each', () => {
    const teams = Array.from({ length: 46 }, (_, i) => team(`Team ${i}`, [agent(`Agent ${i}`, 1)]));
    const message = teamsMessage(makeOverview(teams));
    expect(message.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
    expect(message.blocks.filter((b) => b.type === 'section')).toHaveLength(47);
  });
});

describe('teamsText', () => {
  it('renders every team for the console', () => {
    expect(teamsText(SAMPLE)).toMatchSnapshot();
  });

  it('keeps names on one line and says when nothing matched', () => {
    const text = teamsText(makeOverview([team('Night\nShift', [agent('A\u202eB', 1)])]));
    expect(text).toMatch(/\nNight Shift · 1 assignment\n {2}AB +1\n/);
    expect(teamsText(makeOverview([], ['Nobody']))).toContain('! No team matches Nobody');
  });
});
