import { describe, expect, it } from 'vitest';
import { mapHeader } from '../../../src/ingest/csv/columns.ts';
import { mapAssignmentRow } from '../../../src/ingest/csv/map-assignment-row.ts';
import { stripFormulaGuard } from '../../../src/ingest/csv/strip-formula-guard.ts';

const base = {
  timestamp: '2026-11-26 09:15:02.123 +08:00',
  conversationId: '88231',
  contactId: '1234567',
  contactName: 'Aisha Rahman',
  previousAssignee: '',
  assignee: 'Mei Tan',
  source: 'Workflow',
  assignedBy: '',
};

/** Later than every row here. */
const NOW = new Date('2026-12-01T00:00:00Z');

describe('stripFormulaGuard', () => {
  it.each([
    ["'=SUM(A1)", '=SUM(A1)'],
    ["'+60", '+60'],
    ["'-John", '-John'],
    ["'@Mei", '@Mei'],
    ["'\tx", '\tx'],
    ["'\rx", '\rx'],
    // The export of a name that itself starts with the guard: one apostrophe comes off, the name's stays.
    ["''=x", "'=x"],
    ["'''-1", "''-1"],
  ])('takes the apostrophe off %j', (cell, expected) => {
    expect(stripFormulaGuard(cell)).toBe(expected);
  });

  it("leaves any other apostrophe: the cell's own", () => {
    for (const cell of ["O'Brien", "'Tis", "'", " '=x", "'1", "''"])
      expect(stripFormulaGuard(cell)).toBe(cell);
  });
});

describe('the Event ID column', () => {
  it('is optional, and found in any case and spacing', () => {
    const seed = mapHeader([
      'Timestamp',
      'Conversation ID',
      'Contact ID',
      'Contact Name',
      'Previous Assignee',
      'Assigned To',
      'Source',
      'Assigned By',
    ]);
    expect(seed.ok).toBe(true);
    const ours = mapHeader(['timestamp', 'contact id', 'assigned to', 'source', ' event_id ']);
    expect(ours.ok && ours.layout.positions).toContainEqual(['eventId', 4]);
  });

  it('becomes the stored key of the event', () => {
    const mapped = mapAssignmentRow({ ...base, eventId: 'h:3V8NtjZ6FOxVzX2DBdpPwHYk7hP' }, 2, 'UTC', NOW);
    expect(mapped).toMatchObject({ ok: true, event: { key: 'h:3V8NtjZ6FOxVzX2DBdpPwHYk7hP' } });
    expect(mapAssignmentRow({ ...base, eventId: "'id:x" }, 2, 'UTC', NOW)).toMatchObject({ ok: false });
  });

  it('leaves rows without one keyed by content, as before', () => {
    const blank = mapAssignmentRow({ ...base, eventId: '  ' }, 2, 'UTC', NOW);
    expect(blank.ok && blank.event).not.toHaveProperty('key');
    const none = mapAssignmentRow(base, 2, 'UTC', NOW);
    expect(none.ok && none.event).not.toHaveProperty('key');
  });

  it('must be a key Handoff writes', () => {
    expect(mapAssignmentRow({ ...base, eventId: 'evt-1' }, 7, 'UTC', NOW)).toEqual({
      ok: false,
      problems: [
        {
          row: 7,
          column: 'Event ID',
          message: 'is not a key Handoff wrote (id:… or h:…); leave it blank for rows added by hand',
        },
      ],
    });
  });

  it('lets a row say what only the store knows: the Unknown source, a User without a named user', () => {
    const unknown = { ...base, source: 'Unknown (webhook)' };
    expect(mapAssignmentRow({ ...unknown, eventId: 'id:rio-1' }, 2, 'UTC', NOW)).toMatchObject({
      ok: true,
      event: { source: 'unknown', key: 'id:rio-1' },
    });
    expect(mapAssignmentRow(unknown, 2, 'UTC', NOW)).toMatchObject({
      ok: false,
      problems: [{ column: 'Source', message: expect.stringContaining('is not a source') }],
    });
    const user = { ...base, source: 'User' };
    expect(mapAssignmentRow({ ...user, eventId: 'id:evt-3' }, 2, 'UTC', NOW)).toMatchObject({
      ok: true,
      event: { source: 'user', assignedBy: null },
    });
    expect(mapAssignmentRow(user, 2, 'UTC', NOW)).toMatchObject({
      ok: false,
      problems: [{ column: 'Assigned By' }],
    });
  });

  it('strips the export’s formula guard from every text cell', () => {
    const mapped = mapAssignmentRow(
      {
        ...base,
        conversationId: "'-5",
        contactId: "'+60123",
        contactName: "'=Aisha",
        previousAssignee: "'@Mei",
        assignee: "'-John",
        eventId: 'id:e1',
      },
      2,
      'UTC',
      NOW,
    );
    expect(mapped).toMatchObject({
      ok: true,
      event: {
        conversationId: '-5',
        contact: { id: '+60123', name: '=Aisha' },
        previousAssignee: { name: '@Mei' },
        assignee: { name: '-John' },
      },
    });
  });
});
