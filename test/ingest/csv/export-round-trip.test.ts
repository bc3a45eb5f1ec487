import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEventBatch } from '../../../src/domain/event.ts';
import { NO_FILTERS } from '../../../src/domain/filters.ts';
import { importAssignmentsCsv } from '../../../src/ingest/csv/import-assignments-csv.ts';
import { writeExportFile } from '../../../src/reports/write-export-file.ts';
import { type AssignmentStore, createAssignmentStore } from '../../../src/store/assignment-store.ts';
import { eventKey } from '../../../src/store/event-key.ts';
import { openTestEngine } from '../../store/engines.ts';
import { HEADER, textInput } from './helpers.ts';

// An export imports back as duplicates only: events that came with a sender's id (the API, webhooks) and events
// keyed by their content (CSV rows without one) alike, names that spreadsheets would run as formulas included.

const WINDOW = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') };

const api = [
  {
    id: 'evt-1',
    timestamp: '2026-11-25T08:15:00.123+08:00',
    conversationId: 88231,
    contact: { id: '1234567', name: '-John "JJ" Tan, Jr.' },
    assignee: { id: 'u2', name: 'Mei Tan' },
    source: 'workflow',
  },
  {
    id: 'evt-2',
    timestamp: '2026-11-25T09:00:00+08:00',
    conversationId: '88231',
    contact: { id: '1234567', name: '-John "JJ" Tan, Jr.' },
    assignee: { id: 'u3', name: '=HYPERLINK("http://evil","x")' },
    source: 'user',
    assignedBy: { id: 'u9', name: '@Sarah Lee' },
  },
  // A user assignment whose user the sender did not name: the seed's log never has one, our export may.
  {
    id: 'evt-3',
    timestamp: '2026-11-25T09:30:00+08:00',
    contact: { id: '+60123456789', name: '陈伟' },
    assignee: { id: 'u4', name: 'Zoë Ünal' },
    source: 'user',
  },
  {
    id: 'evt-4',
    timestamp: '2026-11-25T10:00:00+08:00',
    contact: { id: '+60123456789', name: '陈伟' },
    assignee: null,
    source: 'close_conversation',
  },
];

// respond.io's webhooks say neither source nor time: the Unknown (webhook) source.
const webhooks = [
  {
    id: 'rio-77',
    timestamp: '2026-11-26T01:00:00Z',
    contact: { id: '555', name: 'Nur Hassan' },
    assignee: { id: 'u2', name: 'Mei Tan' },
    source: 'unknown',
  },
  {
    id: 'rio-78',
    timestamp: '2026-11-27T02:00:00Z',
    contact: { id: '556', name: 'Ana Lima' },
    assignee: { id: 'u3', name: 'John Doe' },
    source: 'unknown',
  },
];

// Log rows without ids: keyed by their content. The third completes the webhook event (same contact and
// assignee, 40 s later) instead of adding one.
const csv = [
  HEADER,
  '2026-11-26 08:00:00,90001,777,Omar Ali,-,John Doe,Bot,',
  '2026-11-26 08:05:00,90001,777,Omar Ali,John Doe,Unassigned,Close Conversation,',
  '2026-11-26 09:00:40,90002,555,Nur Hassan,-,Mei Tan,User,Sarah Lee',
  '2026-11-26 09:30:00,,888,"Lim, Chen",,Mei Tan,Contact Import,',
].join('\r\n');

async function exportTo(store: AssignmentStore, path: string, zone: string) {
  return writeExportFile(store.exportRows(WINDOW, NO_FILTERS), zone, path);
}

describe('export → import round trip', () => {
  let dir: string;
  let store: AssignmentStore;
  let path: string;
  let exported: { rows: number; bytes: number };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'handoff-round-trip-'));
    path = join(dir, 'export.csv');
    store = createAssignmentStore(await openTestEngine('roundtrip', { onWorker: true }));
    await store.init();
    const parsed = parseEventBatch([...api, ...webhooks], new Date());
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    expect(await store.ingest(parsed.events.slice(0, 4), { origin: 'api' })).toMatchObject({ accepted: 4 });
    expect(await store.ingest(parsed.events.slice(4), { origin: 'webhook' })).toMatchObject({ accepted: 2 });
    const imported = await importAssignmentsCsv({ store }, textInput(csv), {
      timezone: 'Asia/Kuala_Lumpur',
      skipInvalid: false,
    });
    expect(imported).toMatchObject({ ok: true, new: 3, enriched: 1 });
    exported = await exportTo(store, path, 'America/New_York');
  }, 30_000);

  afterAll(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes every stored event, formula-like names neutralised', async () => {
    expect(exported.rows).toBe(9);
    const text = await readFile(path, 'utf8');
    expect(text.startsWith('\uFEFFTimestamp,')).toBe(true);
    expect(text).toContain(`"'-John ""JJ"" Tan, Jr."`);
    expect(text).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(text).toContain(`'@Sarah Lee`);
    expect(text).toContain(`'+60123456789,陈伟`);
    expect(text).toContain('2026-11-24 19:15:00.123 -05:00,88231,');
    expect(text).toContain(',556,Ana Lima,,John Doe,Unknown (webhook),,id:rio-78\r\n');
    // The webhook event, completed by its log row: the row's source and user, the webhook's key.
    expect(text).toMatch(/,555,Nur Hassan,,Mei Tan,User,Sarah Lee,id:rio-77\r\n/);
  });

  it('imports back as duplicates only', async () => {
    const again = await importAssignmentsCsv({ store }, () => createReadStream(path), {
      timezone: 'UTC',
      skipInvalid: false,
    });
    expect(again).toMatchObject({
      ok: true,
      rows: 9,
      new: 0,
      duplicates: 9,
      enriched: 0,
      unchanged: 0,
      rejected: 0,
      problems: [],
    });
    const after = await exportTo(store, join(dir, 'after.csv'), 'America/New_York');
    expect(after.rows).toBe(9);
  });

  it('imports into an empty store as the same log, which exports to the same file', async () => {
    const fresh = createAssignmentStore(await openTestEngine('roundtrip'));
    await fresh.init();
    try {
      const first = await importAssignmentsCsv({ store: fresh }, () => createReadStream(path), {
        timezone: 'UTC',
        skipInvalid: false,
      });
      expect(first).toMatchObject({ ok: true, rows: 9, new: 9, duplicates: 0, unchanged: 0 });
      const copy = join(dir, 'copy.csv');
      await exportTo(fresh, copy, 'America/New_York');
      expect(await readFile(copy, 'utf8')).toBe(await readFile(path, 'utf8'));
    } finally {
      await fresh.close();
    }
  });
});

describe('the stored key', () => {
  it('is the Event ID of an exported row, and never something a JSON sender can set', () => {
    const parsed = parseEventBatch({ ...api[0], key: 'h:forged' }, new Date());
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const [event] = parsed.events;
    expect(event).not.toHaveProperty('key');
    expect(event && eventKey(event)).toBe('id:evt-1');
    expect(event && eventKey({ ...event, key: 'h:abc' })).toBe('h:abc');
  });
});
