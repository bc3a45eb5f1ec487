import { describe, expect, it } from 'vitest';
import type { CsvRecord } from '../../../src/ingest/csv/columns.ts';
import { mapAssignmentRow } from '../../../src/ingest/csv/map-assignment-row.ts';

const ZONE = 'Asia/Kuala_Lumpur';

/** John Doe takes Aisha Rahman's conversation 88231 from nobody through a workflow, unless told otherwise. */
const record = (overrides: CsvRecord = {}): CsvRecord => ({
  timestamp: '2026-05-02 09:14:07',
  conversationId: '88231',
  contactId: '1234567',
  contactName: 'Aisha Rahman',
  previousAssignee: '-',
  assignee: 'John Doe',
  source: 'Workflow',
  assignedBy: '',
  ...overrides,
});

/** Later than every row here. */
const NOW = new Date('2026-12-01T00:00:00Z');

const event = (overrides: CsvRecord = {}) => {
  const mapped = mapAssignmentRow(record(overrides), 2, ZONE, NOW);
  if (!mapped.ok) throw new Error(`expected an event, got ${JSON.stringify(mapped.problems)}`);
  return mapped.event;
};

const problems = (overrides: CsvRecord, row = 7) => {
  const mapped = mapAssignmentRow(record(overrides), row, ZONE, NOW);
  if (mapped.ok) throw new Error('expected problems, got an event');
  return mapped.problems;
};

describe('mapAssignmentRow', () => {
  it('maps a row to a canonical event without an id; display names are the parties', () => {
    expect(event({ previousAssignee: 'Mei Tan', source: 'User', assignedBy: 'Sarah Lee' })).toEqual({
      timestamp: new Date('2026-05-02T01:14:07Z'),
      conversationId: '88231',
      contact: { id: '1234567', name: 'Aisha Rahman' },
      previousAssignee: { id: 'Mei Tan', name: 'Mei Tan' },
      assignee: { id: 'John Doe', name: 'John Doe' },
      source: 'user',
      assignedBy: { id: 'Sarah Lee', name: 'Sarah Lee' },
      team: null,
    });
  });

  it.each(['', '   ', '-', 'Unassigned', 'UNASSIGNED', 'none', 'None'])(
    'reads Assigned To %j as an unassignment (assignee null)',
    (cell) => {
      expect(event({ assignee: cell }).assignee).toBeNull();
    },
  );

  it.each(['', '-', 'unassigned', 'NONE'])(
    'reads Previous Assignee %j as an explicit nobody (null, not left out)',
    (cell) => {
      const e = event({ previousAssignee: cell });
      expect(e).toHaveProperty('previousAssignee', null);
    },
  );

  it('leaves previousAssignee out when the file has no Previous Assignee column, so the store derives it', () => {
    const { previousAssignee: _, ...withoutColumn } = record();
    const mapped = mapAssignmentRow(withoutColumn, 2, ZONE, NOW);
    expect(mapped.ok && 'previousAssignee' in mapped.event).toBe(false);
  });

  it.each(['Workflow', 'Bot', 'Zapier', 'Developer API', 'Contact Import', 'Close Conversation'])(
    'accepts a blank or "-" Assigned By for %s (null)',
    (source) => {
      expect(event({ source, assignedBy: '' }).assignedBy).toBeNull();
      expect(event({ source, assignedBy: '-' }).assignedBy).toBeNull();
    },
  );

  it('requires Assigned By when the source is User', () => {
    expect(problems({ source: 'User', assignedBy: ' ' })).toEqual([
      {
        row: 7,
        column: 'Assigned By',
        message: 'is empty; a row with Source User must name the user who assigned it',
      },
    ]);
  });

  it('reads a blank or "-" Conversation ID as no conversation (null), and a missing column too', () => {
    expect(event({ conversationId: '' }).conversationId).toBeNull();
    expect(event({ conversationId: '-' }).conversationId).toBeNull();
    const { conversationId: _, ...withoutColumn } = record();
    const mapped = mapAssignmentRow(withoutColumn, 2, ZONE, NOW);
    expect(mapped.ok && mapped.event.conversationId).toBeNull();
  });

  it('requires Contact ID, and names the contact by its id when Contact Name is blank', () => {
    expect(problems({ contactId: '' })).toEqual([
      { row: 7, column: 'Contact ID', message: "is empty; every row needs the contact's id" },
    ]);
    expect(event({ contactName: '' }).contact).toEqual({ id: '1234567', name: '1234567' });
  });

  it('trims cells', () => {
    const e = event({ contactId: ' 1234567 ', assignee: '  Mei Tan ', conversationId: ' 88231 ' });
    expect([e.contact.id, e.assignee?.name, e.conversationId]).toEqual(['1234567', 'Mei Tan', '88231']);
  });

  it.each([
    ['Close Conversation', 'close_conversation'],
    ['close conversation', 'close_conversation'],
    ['DEVELOPER API', 'developer_api'],
    ['developer_api', 'developer_api'],
    ['Contact-Import', 'contact_import'],
    [' zapier ', 'zapier'],
  ])('reads Source %j as %s', (cell, source) => {
    expect(event({ source: cell }).source).toBe(source);
  });

  it('rejects an unknown or blank source, listing the valid ones, and the webhook-only Unknown source', () => {
    const expected =
      'expected one of Developer API, Workflow, Bot, Zapier, User, Contact Import, Close Conversation';
    expect(problems({ source: 'Telepathy' })).toEqual([
      { row: 7, column: 'Source', message: `"Telepathy" is not a source; ${expected}` },
    ]);
    expect(problems({ source: '' })[0]?.message).toBe(`is empty; ${expected}`);
    expect(problems({ source: 'Unknown (webhook)' })[0]?.column).toBe('Source');
  });

  it('rejects a blank or unreadable timestamp', () => {
    expect(problems({ timestamp: '' })).toEqual([
      { row: 7, column: 'Timestamp', message: 'is empty; every row needs the time of the assignment' },
    ]);
    expect(problems({ timestamp: 'yesterday' })[0]).toMatchObject({ row: 7, column: 'Timestamp' });
  });

  it('rejects a time before 2000 or more than a day after now, naming the row and column', () => {
    expect(problems({ timestamp: '1999-12-31 23:59:59' })).toEqual([
      { row: 7, column: 'Timestamp', message: expect.stringContaining('is before 2000-01-01') },
    ]);
    expect(problems({ timestamp: '2027-01-01 00:00:00' })).toEqual([
      { row: 7, column: 'Timestamp', message: expect.stringContaining('is more than a day ahead') },
    ]);
    for (const far of ['9999-12-31 00:00:00', '0001-01-01 00:00:00', 'Dec 31, 9999 11:00 PM'])
      expect(problems({ timestamp: far })).toEqual([
        { row: 7, column: 'Timestamp', message: expect.stringContaining('is not a plausible date') },
      ]);
    // A day ahead of NOW in ZONE's wall clock is still fine.
    expect(event({ timestamp: '2026-12-01 08:00:00' }).timestamp).toBeInstanceOf(Date);
  });

  it('reports every problem of a row at once, each with its row and column', () => {
    expect(
      problems({ timestamp: '2026-02-30 10:00', contactId: '', source: 'Carrier pigeon' }, 42).map(
        (p) => `${p.row} ${p.column}`,
      ),
    ).toEqual(['42 Timestamp', '42 Contact ID', '42 Source']);
  });

  it('rejects names and ids over 200 characters', () => {
    expect(problems({ assignee: 'x'.repeat(201) })).toEqual([
      { row: 7, column: 'Assigned To', message: 'is longer than 200 characters' },
    ]);
  });
});
