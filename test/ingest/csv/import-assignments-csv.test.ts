import { Readable, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AssignmentEvent } from '../../../src/domain/event.ts';
import { formatImportSummary } from '../../../src/ingest/csv/format-import-summary.ts';
import {
  type CsvImportProgress,
  importAssignmentsCsv,
} from '../../../src/ingest/csv/import-assignments-csv.ts';
import { type AssignmentStore, createAssignmentStore } from '../../../src/store/assignment-store.ts';
import type { Engine } from '../../../src/store/collection.ts';
import { openTestEngine } from '../../store/engines.ts';
import { fixtureInput, HEADER, recordingStore, storedEvents, textInput, textSink } from './helpers.ts';

const KL = 'Asia/Kuala_Lumpur';
const allOrNothing = { timezone: KL, skipInvalid: false };

let engine: Engine;
let store: AssignmentStore;
beforeEach(async () => {
  engine = await openTestEngine('csv');
  store = createAssignmentStore(engine, () => new Date('2026-05-10T00:00:00Z'));
  await store.init();
});
afterEach(async () => {
  await store.close();
});

const row = (
  timestamp: string,
  contact: string,
  assignee: string,
  source = 'Workflow',
  by = '',
  previous = '-',
) => `${timestamp},88231,${contact},Contact ${contact},${previous},${assignee},${source},${by}`;

describe('importAssignmentsCsv', () => {
  it('imports the assignments log export in all-or-nothing mode: a checking pass, then an importing pass', async () => {
    const input = fixtureInput('assignments-log.csv');
    const summary = await importAssignmentsCsv({ store }, input.open, allOrNothing);
    expect(summary).toEqual({
      ok: true,
      timezone: KL,
      rows: 7,
      new: 7,
      enriched: 0,
      duplicates: 0,
      unchanged: 0,
      rejected: 0,
      ambiguousNames: [],
      problems: [],
      moreProblems: 0,
    });
    expect(input.opened()).toBe(2);
    const stored = await storedEvents(engine);
    expect(
      stored.map((e) => [
        e.ts.toISOString(),
        e.source,
        e.previousAssignee?.name ?? null,
        e.assignee?.name ?? null,
      ]),
    ).toEqual([
      ['2026-05-02T01:14:07.000Z', 'workflow', null, 'John Doe'],
      ['2026-05-02T02:02:51.000Z', 'user', 'John Doe', 'Mei Tan'],
      ['2026-05-02T10:30:00.000Z', 'close_conversation', 'Mei Tan', null],
      ['2026-05-03T00:00:12.000Z', 'contact_import', null, 'John Doe'],
      ['2026-05-03T00:05:40.000Z', 'developer_api', 'John Doe', 'Ali Hassan'],
      ['2026-05-03T03:45:00.000Z', 'bot', null, 'Mei Tan'],
      ['2026-05-03T04:01:30.000Z', 'zapier', null, 'Ali Hassan'],
    ]);
    expect(stored[3]).toMatchObject({ conversationId: null, contact: { id: '1234570', name: 'Ben Lim' } });
    expect(stored[4]?.contact).toEqual({ id: '1234571', name: 'Lim, Chen' });
    expect(stored[1]?.assignedBy).toEqual({ id: 'Sarah Lee', name: 'Sarah Lee' });
  });

  it('finds only duplicates when the same file is imported again', async () => {
    const input = fixtureInput('assignments-log.csv');
    await importAssignmentsCsv({ store }, input.open, allOrNothing);
    const again = await importAssignmentsCsv({ store }, input.open, { ...allOrNothing, skipInvalid: true });
    expect(again).toMatchObject({ ok: true, rows: 7, new: 0, duplicates: 7, enriched: 0, unchanged: 0 });
    expect(await storedEvents(engine)).toHaveLength(7);
  });

  it('reads an Excel export: BOM, ";", CRLF, quoted fields with ; quotes and line breaks, any header spelling', async () => {
    const summary = await importAssignmentsCsv(
      { store },
      fixtureInput('excel-semicolon.csv').open,
      allOrNothing,
    );
    expect(summary).toMatchObject({ ok: true, rows: 4, new: 4, rejected: 0 });
    const stored = await storedEvents(engine);
    expect(stored.map((e) => [e.ts.toISOString(), e.contact.name, e.assignee?.name ?? null])).toEqual([
      ['2026-05-02T01:14:07.000Z', 'Rahman; Aisha', 'John Doe'],
      ['2026-05-02T02:02:00.000Z', 'Rahman; Aisha', 'Tan "Mei"'],
      ['2026-05-02T10:30:00.000Z', 'Rahman; Aisha', null],
      ['2026-05-03T00:00:00.000Z', 'Ben\nLim', 'John Doe'],
    ]);
    expect(stored[3]?.previousAssignee).toBeNull();
  });

  it('ingests in batches with enrichment on, and reports progress for each pass', async () => {
    const fake = recordingStore();
    const progress: CsvImportProgress[] = [];
    await importAssignmentsCsv(
      { store: fake, onProgress: (p) => progress.push(p) },
      fixtureInput('assignments-log.csv').open,
      { ...allOrNothing, batchSize: 3 },
    );
    expect(fake.calls.map((c) => c.events.length)).toEqual([3, 3, 1]);
    expect(fake.calls.map((c) => c.options)).toEqual([
      { enrichWithinMs: 120_000, origin: 'csv' },
      { enrichWithinMs: 120_000, origin: 'csv' },
      { enrichWithinMs: 120_000, origin: 'csv' },
    ]);
    expect(fake.calls[0]?.events[0]).not.toHaveProperty('id');
    expect(progress).toEqual([
      { phase: 'check', rows: 3, done: false },
      { phase: 'check', rows: 6, done: false },
      { phase: 'check', rows: 7, done: true },
      { phase: 'import', rows: 3, done: false },
      { phase: 'import', rows: 6, done: false },
      { phase: 'import', rows: 7, done: true },
    ]);
  });

  it('imports nothing when a row is bad, naming each bad row and column', async () => {
    const fake = recordingStore();
    const input = fixtureInput('bad-rows.csv');
    const summary = await importAssignmentsCsv({ store: fake }, input.open, allOrNothing);
    expect(fake.calls).toEqual([]);
    expect(input.opened()).toBe(1);
    expect(summary).toMatchObject({ ok: false, rows: 6, new: 0, rejected: 4, moreProblems: 0 });
    expect(summary.problems.map((p) => `${p.row} ${p.column}`)).toEqual([
      '3 Timestamp',
      '4 Contact ID',
      '5 Source',
      '6 Assigned By',
    ]);
    expect(summary.problems[0]?.message).toBe('"2026-05-02 25:02:51" is not a real time of day');
  });

  it('lists the first 50 problems and counts the rest', async () => {
    const lines = [HEADER];
    for (let i = 0; i < 60; i++)
      lines.push(row('2026-05-02 09:14', String(1000 + i), 'John Doe', 'Carrier pigeon'));
    lines.push(row('2026-05-02 09:14', '2000', 'John Doe', 'User'));
    const summary = await importAssignmentsCsv({ store }, textInput(lines.join('\n'), 4096), allOrNothing);
    expect(summary).toMatchObject({ ok: false, rows: 61, rejected: 61, moreProblems: 11 });
    expect(summary.problems).toHaveLength(50);
    expect(summary.problems[49]).toMatchObject({ row: 51, column: 'Source' });
    expect(await storedEvents(engine)).toEqual([]);
  });

  it('with skipInvalid imports the good rows in one pass and writes the bad ones with an Error column', async () => {
    const input = fixtureInput('bad-rows.csv');
    const rejected = textSink();
    const summary = await importAssignmentsCsv({ store }, input.open, {
      ...allOrNothing,
      skipInvalid: true,
      rejectedOutput: () => rejected,
    });
    expect(input.opened()).toBe(1);
    expect(summary).toMatchObject({ ok: true, rows: 6, new: 2, rejected: 4 });
    expect(summary.problems.map((p) => p.row)).toEqual([3, 4, 5, 6]);
    expect(rejected.text()).toBe(
      [
        `${HEADER},Error`,
        '2026-05-02 25:02:51,88231,1234567,Aisha Rahman,John Doe,Mei Tan,User,Sarah Lee,"Timestamp: ""2026-05-02 25:02:51"" is not a real time of day"',
        `2026-05-02 18:30:00,88231,,Aisha Rahman,Mei Tan,,Close Conversation,,Contact ID: is empty; every row needs the contact's id`,
        '2026-05-03 08:00:12,,1234570,Ben Lim,-,John Doe,Telepathy,,"Source: ""Telepathy"" is not a source; expected one of Developer API, Workflow, Bot, Zapier, User, Contact Import, Close Conversation"',
        '2026-05-03 08:05:40,88260,1234571,"Lim, Chen",John Doe,Ali Hassan,User,,Assigned By: is empty; a row with Source User must name the user who assigned it',
        '',
      ].join('\r\n'),
    );
    expect((await storedEvents(engine)).map((e) => e.contact.id)).toEqual(['1234567', '1234572']);
  });

  it('reuses the Error column when a fixed file of rejected rows is imported again', async () => {
    const text = `${HEADER},Error\n${row('2026-05-02 09:14', '1', 'John Doe', 'Nope')},old error\n`;
    const rejected = textSink();
    await importAssignmentsCsv({ store }, textInput(text), {
      ...allOrNothing,
      skipInvalid: true,
      rejectedOutput: () => rejected,
    });
    expect(rejected.text().split('\r\n')[0]).toBe(`${HEADER},Error`);
    expect(rejected.text().split('\r\n')[1]).toMatch(/,Nope,,"Source: ""Nope"" is not a source; /);
  });

  it("fails with the rejected output's error (a full disk, a read-only folder) instead of crashing", async () => {
    const broken = () =>
      new Writable({
        write(_chunk, _encoding, done) {
          done(new Error('EACCES: permission denied'));
        },
      });
    await expect(
      importAssignmentsCsv({ store }, fixtureInput('bad-rows.csv').open, {
        ...allOrNothing,
        skipInvalid: true,
        rejectedOutput: broken,
      }),
    ).rejects.toThrow('EACCES: permission denied');
  });

  it('opens no rejected output when every row is good', async () => {
    let opened = false;
    await importAssignmentsCsv({ store }, fixtureInput('assignments-log.csv').open, {
      ...allOrNothing,
      skipInvalid: true,
      rejectedOutput: () => {
        opened = true;
        return textSink();
      },
    });
    expect(opened).toBe(false);
  });

  it('enriches a stored webhook event that did not know its source instead of adding a second one', async () => {
    await store.ingest(
      [
        {
          id: 'respondio:evt-1',
          timestamp: new Date('2026-05-02T01:14:00Z'),
          conversationId: null,
          contact: { id: '1234567', name: 'Aisha Rahman' },
          assignee: { id: '2001', name: 'John Doe' },
          source: 'unknown',
          assignedBy: null,
          team: null,
        },
      ],
      { origin: 'webhook' },
    );
    // 90 s after the webhook, in Kuala Lumpur time.
    const text = `${HEADER}\n2026-05-02 09:15:30,88231,1234567,Aisha Rahman,-,John Doe,Workflow,\n`;
    const summary = await importAssignmentsCsv({ store }, textInput(text), allOrNothing);
    expect(summary).toMatchObject({ ok: true, rows: 1, new: 0, enriched: 1, duplicates: 0 });
    const stored = await storedEvents(engine);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      source: 'workflow',
      conversationId: '88231',
      assignee: { id: '2001' },
    });
    const again = await importAssignmentsCsv({ store }, textInput(text), allOrNothing);
    expect(again).toMatchObject({ new: 0, enriched: 0, duplicates: 1 });
  });

  it('counts a row whose Previous Assignee is its Assigned To as unchanged', async () => {
    const text = [
      HEADER,
      row('2026-05-02 09:00', '1', 'John Doe'),
      row('2026-05-02 10:00', '1', 'john doe', 'Workflow', '', 'John Doe'),
    ].join('\n');
    expect(await importAssignmentsCsv({ store }, textInput(text), allOrNothing)).toMatchObject({
      new: 1,
      unchanged: 1,
    });
  });

  it('names each missing required column once, from the header', async () => {
    const text = 'Timestamp;Contact Name;Assigned To\n2026-05-02 09:00;Aisha;John Doe\n';
    const summary = await importAssignmentsCsv({ store }, textInput(text), {
      ...allOrNothing,
      skipInvalid: true,
    });
    expect(summary.ok).toBe(false);
    expect(summary.problems).toEqual([
      {
        row: 1,
        column: 'Contact ID',
        message:
          'the header has no "Contact ID" column; export the assignments log with its columns Timestamp, ' +
          'Conversation ID, Contact ID, Contact Name, Previous Assignee, Assigned To, Source, Assigned By',
      },
      expect.objectContaining({ row: 1, column: 'Source' }),
    ]);
  });

  it('accepts a file without the optional columns; the store then derives the previous assignee', async () => {
    const text =
      'source,assigned to,contact id,timestamp\nWorkflow,John Doe,1,2026-05-02 09:00\nBot,Mei Tan,1,2026-05-02 10:00\n';
    expect(await importAssignmentsCsv({ store }, textInput(text), allOrNothing)).toMatchObject({
      ok: true,
      new: 2,
    });
    const stored = await storedEvents(engine);
    expect(stored.map((e) => [e.previousAssignee?.name ?? null, e.conversationId])).toEqual([
      [null, null],
      ['John Doe', null],
    ]);
  });

  it('skips blank lines but keeps counting rows as a spreadsheet does', async () => {
    const text = [
      HEADER,
      row('2026-05-02 09:00', '1', 'John Doe'),
      '',
      ',,,,,,,',
      row('nope', '2', 'Mei Tan'),
    ].join('\r\n');
    const summary = await importAssignmentsCsv({ store }, textInput(text), allOrNothing);
    expect(summary).toMatchObject({ rows: 2, rejected: 1 });
    expect(summary.problems[0]).toMatchObject({ row: 5, column: 'Timestamp' });
  });

  it('rejects a row with fewer or more fields than the header (an unquoted delimiter shifts the cells)', async () => {
    const text = [
      HEADER,
      '2026-05-02 09:00,88231,1,Aisha,-,John Doe,Workflow',
      '2026-05-02 09:00,88231,2,Lim, Chen,-,John Doe,Workflow,',
    ].join('\n');
    const summary = await importAssignmentsCsv({ store }, textInput(text), allOrNothing);
    expect(summary.problems).toEqual([
      {
        row: 2,
        column: '',
        message:
          'has 7 fields but the header has 8; a field is missing, or a value containing the delimiter is not in double quotes',
      },
      expect.objectContaining({
        row: 3,
        message: expect.stringMatching(/^has 9 fields but the header has 8/),
      }),
    ]);
  });

  it('reports a file that is empty, UTF-16 or not valid CSV as a problem, importing nothing', async () => {
    const fake = recordingStore();
    const empty = await importAssignmentsCsv({ store: fake }, textInput(''), allOrNothing);
    expect(empty).toMatchObject({ ok: false, rows: 0 });
    expect(empty.problems[0]?.message).toMatch(/^the file is empty; expected a header row: Timestamp, /);

    const utf16 = () =>
      Readable.from([Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(HEADER, 'utf16le')])]);
    expect((await importAssignmentsCsv({ store: fake }, utf16, allOrNothing)).problems).toEqual([
      {
        row: 1,
        column: '',
        message: 'the file is UTF-16 text; save or export it as "CSV UTF-8" and try again',
      },
    ]);

    const unclosed = [
      HEADER,
      row('2026-05-02 09:00', '1', 'John Doe'),
      '2026-05-02 10:00,"88231,2,Aisha',
    ].join('\n');
    const broken = await importAssignmentsCsv({ store: fake }, textInput(unclosed), allOrNothing);
    expect(broken.ok).toBe(false);
    expect(broken.problems[0]?.message).toMatch(/^the file is not valid CSV from here on \(Quote Not Closed/);
    expect(fake.calls).toEqual([]);
  });

  it('reports a row longer than 64 KB at its row, without parsing on (a file without line breaks)', async () => {
    const fake = recordingStore();
    const long = [
      HEADER,
      row('2026-05-02 09:00', '1', 'John Doe'),
      `2026-05-02 10:00,1,2,${'x'.repeat(70_000)}`,
    ];
    const summary = await importAssignmentsCsv({ store: fake }, textInput(long.join('\n'), 64 * 1024), {
      timezone: KL,
      skipInvalid: true,
    });
    expect(summary.ok).toBe(false);
    expect(summary.problems).toEqual([
      {
        row: 3,
        column: '',
        message:
          'is longer than 64 KB, so it is not a row of the assignments log (a quote that is never closed, or a file without line breaks); nothing from here on was read',
      },
    ]);
    // 20 MB and not one line break: the first row is over the limit, so the file is refused at row 1.
    const noBreaks = () => Readable.from([Buffer.alloc(20 * 1024 * 1024, 'x')]);
    const refused = await importAssignmentsCsv({ store: fake }, noBreaks, allOrNothing);
    expect(refused.problems).toEqual([
      expect.objectContaining({ row: 1, message: expect.stringContaining('longer than 64 KB') }),
    ]);
    expect(fake.calls).toEqual([]);
  });

  it('stops between batches when asked to (SIGTERM), saying after which row; the rest is not read', async () => {
    const controller = new AbortController();
    const stored: string[][] = [];
    const stopping = {
      async ingest(events: AssignmentEvent[]) {
        stored.push(events.map((e) => e.contact.id));
        // SIGTERM arrives while the first batch is stored.
        controller.abort();
        return { accepted: events.length, duplicates: 0, unchanged: 0, enriched: 0 };
      },
    };
    const text = [
      HEADER,
      ...['1', '2', '3', '4', '5'].map((c) => row('2026-05-02 09:00', c, 'John Doe')),
    ].join('\n');
    const summary = await importAssignmentsCsv({ store: stopping }, textInput(text), {
      ...allOrNothing,
      batchSize: 2,
      signal: controller.signal,
    });
    expect(stored).toEqual([['1', '2']]);
    expect(summary).toMatchObject({ ok: false, rows: 2, new: 2, stopped: { phase: 'import', afterRow: 3 } });
    expect(
      formatImportSummary(summary, { file: 'may.csv', skipInvalid: false, zoneFrom: '--timezone' }),
    ).toContain(
      'Stopped after row 3: the rows up to it are stored (counted above), the rest of the file was not read. Run the same command again to import the rest: the rows already stored count as duplicates.',
    );
  });

  it('stores nothing when stopped while checking', async () => {
    const fake = recordingStore();
    const controller = new AbortController();
    controller.abort();
    const text = [HEADER, row('2026-05-02 09:00', '1', 'John Doe')].join('\n');
    const summary = await importAssignmentsCsv({ store: fake }, textInput(text), {
      ...allOrNothing,
      signal: controller.signal,
    });
    expect(summary).toMatchObject({ ok: false, new: 0, stopped: { phase: 'check', afterRow: 1 } });
    expect(fake.calls).toEqual([]);
    expect(
      formatImportSummary(summary, { file: 'may.csv', skipInvalid: false, zoneFrom: '--timezone' }),
    ).toContain(
      'Stopped while checking the file (at row 1): nothing was imported. Run the same command again.',
    );
  });

  it('refuses an unknown zone, saying how to fix it', async () => {
    await expect(
      importAssignmentsCsv({ store }, textInput(HEADER), { timezone: 'Mars/Olympus', skipInvalid: false }),
    ).rejects.toThrow('"Mars/Olympus" is not an IANA time zone; use a name such as Asia/Kuala_Lumpur or UTC');
  });
});
