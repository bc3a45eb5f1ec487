import { describe, expect, it } from 'vitest';
import {
  type AssignmentEvent,
  type EventProblem,
  MAX_BATCH,
  parseEventBatch,
  partyKeys,
  storedEventSchema,
} from '../../src/domain/event.ts';

/** A valid event body as a sender posts it; override any field. */
function makeEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    timestamp: '2026-11-26T08:15:00+08:00',
    contact: { id: 'c1', name: 'Ana Lima' },
    assignee: { id: 'u2', name: 'Mei Tan' },
    source: 'workflow',
    ...overrides,
  };
}

/** The clock the batch is checked against: a day after every timestamp used here. */
const NOW = new Date('2026-11-27T00:00:00Z');

function events(body: unknown): AssignmentEvent[] {
  const result = parseEventBatch(body, NOW);
  if (!result.ok) throw new Error(`expected a valid batch, got ${JSON.stringify(result.problems)}`);
  return result.events;
}

function only(body: unknown): AssignmentEvent {
  const [event, ...rest] = events(body);
  if (!event || rest.length > 0) throw new Error('expected exactly one event');
  return event;
}

function problems(body: unknown): EventProblem[] {
  const result = parseEventBatch(body, NOW);
  if (result.ok) throw new Error(`expected problems, got ${JSON.stringify(result.events)}`);
  return result.problems;
}

describe('parseEventBatch', () => {
  it('turns a minimal event into the canonical one', () => {
    expect(only(makeEvent())).toEqual({
      timestamp: new Date('2026-11-26T00:15:00.000Z'),
      conversationId: null,
      contact: { id: 'c1', name: 'Ana Lima' },
      assignee: { id: 'u2', name: 'Mei Tan' },
      source: 'workflow',
      assignedBy: null,
      team: null,
    });
  });

  it('accepts a single object or an array', () => {
    expect(events(makeEvent())).toHaveLength(1);
    expect(events([makeEvent(), makeEvent({ source: 'bot' })]).map((e) => e.source)).toEqual([
      'workflow',
      'bot',
    ]);
  });

  it('stores numeric ids as strings', () => {
    const event = only(
      makeEvent({
        id: 42,
        conversationId: 88231,
        contact: { id: 1234567 },
        assignee: { id: 7, name: 'Mei Tan' },
        assignedBy: { id: 0, name: 'Sarah Lee' },
        team: { id: 3, name: 'Support' },
      }),
    );
    expect(event.id).toBe('42');
    expect(event.conversationId).toBe('88231');
    expect(event.contact).toEqual({ id: '1234567', name: '1234567' });
    expect(event.assignee).toEqual({ id: '7', name: 'Mei Tan' });
    expect(event.assignedBy).toEqual({ id: '0', name: 'Sarah Lee' });
    expect(event.team).toEqual({ id: '3', name: 'Support' });
  });

  it('rejects numeric ids that are not whole numbers JSON can carry exactly', () => {
    const message = 'must be a whole number below 2^53; send longer ids as strings';
    expect(problems(makeEvent({ conversationId: 1.5 }))).toEqual([
      { index: 0, field: 'conversationId', message },
    ]);
    expect(problems(makeEvent({ contact: { id: 2 ** 53 } }))).toEqual([
      { index: 0, field: 'contact.id', message },
    ]);
  });

  it('trims ids and names, uses the id when the name is missing or empty', () => {
    const event = only(makeEvent({ contact: { id: '  c9 ' }, assignee: { id: 'u3', name: '' } }));
    expect(event.contact).toEqual({ id: 'c9', name: 'c9' });
    expect(event.assignee).toEqual({ id: 'u3', name: 'u3' });
  });

  it('rejects an empty id', () => {
    expect(problems(makeEvent({ contact: { id: '   ' } }))).toEqual([
      { index: 0, field: 'contact.id', message: 'must not be empty' },
    ]);
  });

  describe('timestamp', () => {
    it.each([
      ['2026-11-26T08:15:00Z', '2026-11-26T08:15:00.000Z'],
      ['2026-11-26T08:15:00.250+08:00', '2026-11-26T00:15:00.250Z'],
      ['2026-11-26T08:15+05:45', '2026-11-26T02:30:00.000Z'],
      ['2026-11-26T08:15:00-0300', '2026-11-26T11:15:00.000Z'],
    ])('accepts %s', (timestamp, instant) => {
      expect(only(makeEvent({ timestamp })).timestamp.toISOString()).toBe(instant);
    });

    it.each(['2026-11-26T08:15:00', '2026-11-26 08:15:00Z', '2026-11-26', 'yesterday'])(
      'rejects %s, which has no offset',
      (timestamp) => {
        expect(problems(makeEvent({ timestamp }))).toEqual([
          {
            index: 0,
            field: 'timestamp',
            message: 'must be ISO-8601 with an offset, e.g. 2026-11-26T08:15:00+08:00',
          },
        ]);
      },
    );

    it.each(['2026-02-30T10:00:00Z', '2026-13-01T00:00:00Z', '2026-11-26T25:00:00Z'])(
      'rejects %s, which is not a real moment',
      (timestamp) => {
        expect(problems(makeEvent({ timestamp }))).toEqual([
          { index: 0, field: 'timestamp', message: 'is not a real date and time' },
        ]);
      },
    );

    it('rejects a number', () => {
      expect(problems(makeEvent({ timestamp: 1_764_000_000_000 }))).toMatchObject([
        { index: 0, field: 'timestamp' },
      ]);
    });

    it.each([
      ['1999-12-31T23:59:59.999Z', 'is before 2000-01-01'],
      ['1970-01-01T00:00:00Z', 'is before 2000-01-01'],
      ['2026-11-28T00:00:00.001Z', 'is more than a day ahead'],
      ['+275760-09-13T00:00:00Z', 'must be ISO-8601'],
      ['9999-12-31T23:59:59Z', 'is more than a day ahead'],
    ])('rejects %s, outside 2000-01-01 .. a day after now, naming the field', (timestamp, message) => {
      const [problem, ...others] = problems([makeEvent(), makeEvent({ timestamp })]);
      expect(others).toEqual([]);
      expect(problem).toMatchObject({ index: 1, field: 'timestamp' });
      expect(problem?.message).toContain(message);
    });

    it('accepts the first instant of 2000 and exactly a day after now', () => {
      expect(only(makeEvent({ timestamp: '2000-01-01T00:00:00Z' })).timestamp.toISOString()).toBe(
        '2000-01-01T00:00:00.000Z',
      );
      expect(only(makeEvent({ timestamp: '2026-11-28T00:00:00Z' })).timestamp.toISOString()).toBe(
        '2026-11-28T00:00:00.000Z',
      );
    });
  });

  describe('source', () => {
    it.each([
      ['workflow', 'workflow'],
      ['WORKFLOW', 'workflow'],
      ['Developer API', 'developer_api'],
      ['developer_api', 'developer_api'],
      ['Contact Import', 'contact_import'],
      ['close-conversation', 'close_conversation'],
      [' Zapier ', 'zapier'],
    ])('accepts %j as %s', (source, expected) => {
      expect(only(makeEvent({ source })).source).toBe(expected);
    });

    it('names an unknown source and lists the known ones', () => {
      expect(problems(makeEvent({ source: 'email' }))).toEqual([
        {
          index: 0,
          field: 'source',
          message:
            'unknown source "email"; expected one of developer_api, workflow, bot, zapier, user, contact_import, close_conversation, unknown',
        },
      ]);
    });
  });

  describe('assignee and previousAssignee', () => {
    it('requires the assignee key but allows null (an unassignment)', () => {
      expect(only(makeEvent({ assignee: null })).assignee).toBeNull();
      const { assignee: _omitted, ...withoutAssignee } = makeEvent();
      expect(problems(withoutAssignee)).toEqual([
        { index: 0, field: 'assignee', message: 'Invalid input: expected object, received undefined' },
      ]);
    });

    it('keeps an omitted previousAssignee apart from a null one', () => {
      const omitted = only(makeEvent());
      expect('previousAssignee' in omitted).toBe(false);
      const cleared = only(makeEvent({ previousAssignee: null }));
      expect('previousAssignee' in cleared).toBe(true);
      expect(cleared.previousAssignee).toBeNull();
      expect(only(makeEvent({ previousAssignee: { id: 'u1' } })).previousAssignee).toEqual({
        id: 'u1',
        name: 'u1',
      });
    });

    it('reads null or missing assignedBy, team and conversationId as null', () => {
      const event = only(makeEvent({ assignedBy: null, team: undefined }));
      expect([event.assignedBy, event.team, event.conversationId]).toEqual([null, null, null]);
    });
  });

  describe('batches', () => {
    it('rejects the whole batch when one event is bad, naming index and field path', () => {
      const result = parseEventBatch(
        [makeEvent(), makeEvent(), makeEvent({ contact: { id: 'c3', name: 7 }, source: 'sms' })],
        NOW,
      );
      expect(result).toEqual({
        ok: false,
        problems: [
          { index: 2, field: 'contact.name', message: 'Invalid input: expected string, received number' },
          {
            index: 2,
            field: 'source',
            message:
              'unknown source "sms"; expected one of developer_api, workflow, bot, zapier, user, contact_import, close_conversation, unknown',
          },
        ],
      });
      expect('events' in result).toBe(false);
    });

    it('rejects an empty array', () => {
      expect(parseEventBatch([], NOW)).toEqual({
        ok: false,
        problems: [{ index: 0, field: '', message: 'no events sent' }],
      });
    });

    it(`accepts ${MAX_BATCH} events and rejects ${MAX_BATCH + 1}`, () => {
      expect(MAX_BATCH).toBe(5000);
      expect(events(Array.from({ length: MAX_BATCH }, () => makeEvent()))).toHaveLength(MAX_BATCH);
      expect(
        parseEventBatch(
          Array.from({ length: MAX_BATCH + 1 }, () => makeEvent()),
          NOW,
        ),
      ).toEqual({
        ok: false,
        problems: [{ index: 5000, field: '', message: 'at most 5000 events per request' }],
      });
    });

    it('rejects a body that is not an event', () => {
      expect(problems(null)).toEqual([
        { index: 0, field: '', message: 'Invalid input: expected object, received null' },
      ]);
    });
  });
});

describe('partyKeys', () => {
  it('lowercases id and name, once when they are equal', () => {
    expect(partyKeys({ id: 'U2', name: 'Mei Tan' })).toEqual(['u2', 'mei tan']);
    expect(partyKeys({ id: 'Support', name: 'support' })).toEqual(['support']);
    expect(partyKeys(null)).toEqual([]);
  });
});

describe('storedEventSchema', () => {
  const stored = {
    _id: 'e1',
    ts: new Date('2026-11-26T00:15:00Z'),
    conversationId: null,
    contact: { id: 'c1', name: 'Ana Lima' },
    previousAssignee: null,
    assignee: { id: 'u2', name: 'Mei Tan' },
    source: 'workflow',
    assignedBy: null,
    team: null,
    keys: { assignee: ['u2', 'mei tan'], assignedBy: [], contact: ['c1', 'ana lima'], team: [] },
    receivedAt: new Date('2026-11-26T00:15:01Z'),
  };

  it('accepts a stored document and rejects one with a label for a source', () => {
    expect(storedEventSchema.safeParse(stored).success).toBe(true);
    expect(storedEventSchema.safeParse({ ...stored, source: 'Workflow' }).success).toBe(false);
  });
});
