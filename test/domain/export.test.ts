import { describe, expect, it } from 'vitest';
import { EXPORT_USAGE, isExportCommand, planExport } from '../../src/domain/export.ts';
import { NO_FILTERS } from '../../src/domain/filters.ts';

const NOW = new Date('2026-11-26T10:00:00Z');
const ZONE = 'Asia/Kuala_Lumpur';

describe('isExportCommand', () => {
  it('is true when the first word is export, in any case', () => {
    for (const text of ['export', 'export yesterday', '  Export source:bot', 'EXPORT\tlast month'])
      expect(isExportCommand(text), text).toBe(true);
    for (const text of ['', 'exports', 'yesterday export', 'contact:export', 'teams'])
      expect(isExportCommand(text), text).toBe(false);
  });
});

describe('planExport', () => {
  it('reads a range and filters in the requester’s zone and writes the reproducing command', () => {
    const request = planExport({
      text: 'export yesterday source:workflow,bot to:"Mei Tan"',
      zone: ZONE,
      now: NOW,
    });
    expect(request).toMatchObject({
      kind: 'plan',
      plan: {
        zone: ZONE,
        filters: { ...NO_FILTERS, sources: ['workflow', 'bot'], assignees: ['Mei Tan'] },
        command: '/assignments export yesterday source:workflow,bot assignee:"Mei Tan"',
        range: {
          label: 'Yesterday, Wed 25 Nov 2026',
          from: new Date('2026-11-24T16:00:00Z'),
          to: new Date('2026-11-25T16:00:00Z'),
        },
      },
    });
  });

  it('exports the last 7 days when no range is given, as a report does', () => {
    const request = planExport({ text: 'export', zone: 'UTC', now: NOW });
    expect(request.kind === 'plan' && request.plan.range.text).toBe('last 7 days');
    expect(request.kind === 'plan' && request.plan.command).toBe('/assignments export last 7 days');
  });

  it('takes a report’s reproducing command (the Export CSV button’s value) as it is', () => {
    const request = planExport({
      text: '/assignments 2026-11-01..2026-11-15 conv:88231',
      zone: ZONE,
      now: NOW,
    });
    expect(request.kind === 'plan' && request.plan.command).toBe(
      '/assignments export 2026-11-01..2026-11-15 conversation:88231',
    );
  });

  it('writes timestamps in a zone given with tz: and keeps it in the command', () => {
    const request = planExport({ text: 'export today tz:America/New_York', zone: ZONE, now: NOW });
    expect(request).toMatchObject({
      kind: 'plan',
      plan: { zone: 'America/New_York', command: '/assignments export today tz:America/New_York' },
    });
  });

  it('answers a mistake with what is wrong and the usage, and help with the usage', () => {
    const wrong = planExport({ text: 'export sorce:bot', zone: ZONE, now: NOW });
    expect(wrong).toEqual({ kind: 'error', message: expect.stringContaining('Did you mean `source:`?') });
    expect(wrong.kind === 'error' && wrong.message).toContain(EXPORT_USAGE);
    expect(planExport({ text: 'export help', zone: ZONE, now: NOW })).toEqual({
      kind: 'error',
      message: EXPORT_USAGE,
    });
  });
});
