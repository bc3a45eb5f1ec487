import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type CsvImportEndpointDeps,
  csvImportEndpoint,
} from '../../../src/ingest/csv/csv-import-endpoint.ts';
import { type AssignmentStore, createAssignmentStore } from '../../../src/store/assignment-store.ts';
import type { Engine } from '../../../src/store/collection.ts';
import { openTestEngine } from '../../store/engines.ts';
import { captureLogger } from '../webhook-harness.ts';
import { HEADER, readFixture, storedEvents } from './helpers.ts';

const TOKEN = 'test-ingest-token-0123456789';
const CSV = { 'content-type': 'text/csv', authorization: `Bearer ${TOKEN}` };

let engine: Engine;
let store: AssignmentStore;
let spool: string;
let server: Server | undefined;
let logger: ReturnType<typeof captureLogger>;

beforeEach(async () => {
  engine = await openTestEngine('csvapi');
  store = createAssignmentStore(engine);
  await store.init();
  spool = await mkdtemp(join(tmpdir(), 'csv-endpoint-test-'));
  logger = captureLogger();
});
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
  await store.close();
  await rm(spool, { recursive: true, force: true });
});

/** The handler alone on a plain HTTP server on a free port (create-app.ts mounts it at /api/import/csv). */
async function start(overrides: Partial<CsvImportEndpointDeps> = {}): Promise<string> {
  const handler = csvImportEndpoint({
    store,
    ingestToken: TOKEN,
    logger,
    defaultTimezone: 'Asia/Kuala_Lumpur',
    tmpDir: spool,
    ...overrides,
  });
  const s = createServer((req, res) => {
    handler(req, res).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  server = s;
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}/api/import/csv`;
}

async function post(url: string, body: string | Buffer, headers: Record<string, string> = CSV) {
  const res = await fetch(url, { method: 'POST', body, headers });
  const json: unknown = await res.json();
  return { status: res.status, json };
}

describe('POST /api/import/csv', () => {
  it('imports the log export and answers the summary; the spooled file is deleted', async () => {
    const url = await start();
    const res = await post(`${url}?timezone=Asia/Kuala_Lumpur`, readFixture('assignments-log.csv'));
    expect(res).toEqual({
      status: 200,
      json: {
        ok: true,
        timezone: 'Asia/Kuala_Lumpur',
        rows: 7,
        new: 7,
        enriched: 0,
        duplicates: 0,
        unchanged: 0,
        rejected: 0,
        ambiguousNames: [],
        problems: [],
        moreProblems: 0,
      },
    });
    expect((await storedEvents(engine))[0]?.ts.toISOString()).toBe('2026-05-02T01:14:07.000Z');
    expect(await readdir(spool)).toEqual([]);
    expect((await post(url, readFixture('assignments-log.csv'))).json).toMatchObject({
      new: 0,
      duplicates: 7,
    });
  });

  it('answers 503 when a restart stops the import, saying how far it got and that resending is safe', async () => {
    const restarting = new AbortController();
    const handler = csvImportEndpoint({
      store,
      ingestToken: TOKEN,
      logger,
      defaultTimezone: 'UTC',
      tmpDir: spool,
    });
    const s = createServer((req, res) => {
      // The grace period is over before the import gets going: it stops at once.
      restarting.abort();
      void handler(req, res, restarting.signal);
    });
    server = s;
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}/api/import/csv`;
    const res = await post(url, readFixture('assignments-log.csv'));
    expect(res).toMatchObject({
      status: 503,
      json: {
        error:
          'stopped by a restart. Stopped while checking the file (at row 1): nothing was imported. Send the same file again.',
        stopped: { phase: 'check', afterRow: 1 },
        new: 0,
      },
    });
    expect(await storedEvents(engine)).toEqual([]);
    expect(await readdir(spool)).toEqual([]);
  });

  it('reads timestamps in the zone it is given, else in the default zone', async () => {
    const url = await start({ defaultTimezone: 'UTC' });
    const body = `${HEADER}\n2026-03-08 01:30,1,1,A,-,John Doe,Workflow,\n`;
    expect((await post(url, body)).json).toMatchObject({ timezone: 'UTC', new: 1 });
    const ny = `${HEADER}\n2026-03-08 03:30,1,2,A,-,John Doe,Workflow,\n`;
    expect((await post(`${url}?timezone=America/New_York`, ny)).json).toMatchObject({
      timezone: 'America/New_York',
    });
    expect((await storedEvents(engine)).map((e) => e.ts.toISOString())).toEqual([
      '2026-03-08T01:30:00.000Z',
      '2026-03-08T07:30:00.000Z',
    ]);
  });

  it('answers 400 with each bad row and column, and stores nothing', async () => {
    const url = await start();
    const res = await post(url, readFixture('bad-rows.csv'));
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      error:
        'invalid rows: nothing was imported; fix the rows listed in problems (or send skipInvalid=true to import the rest)',
      ok: false,
      rows: 6,
      rejected: 4,
      new: 0,
    });
    expect(res.json).toMatchObject({
      problems: [
        { row: 3, column: 'Timestamp' },
        { row: 4, column: 'Contact ID' },
        { row: 5, column: 'Source' },
        { row: 6, column: 'Assigned By' },
      ],
    });
    expect(await storedEvents(engine)).toEqual([]);
    expect(await readdir(spool)).toEqual([]);
  });

  it('with skipInvalid=true imports the good rows and answers the rejected rows in problems', async () => {
    const url = await start();
    const res = await post(`${url}?skipInvalid=true`, readFixture('bad-rows.csv'));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      ok: true,
      new: 2,
      rejected: 4,
      problems: [{ row: 3 }, { row: 4 }, { row: 5 }, { row: 6 }],
    });
  });

  it('answers 400 for an unknown zone or a bad skipInvalid, saying how to fix it', async () => {
    const url = await start();
    expect(await post(`${url}?timezone=Mars/Olympus`, HEADER)).toEqual({
      status: 400,
      json: {
        error:
          'timezone is not an IANA time zone; use a name such as Asia/Kuala_Lumpur, America/New_York or UTC',
      },
    });
    expect(await post(`${url}?skipInvalid=yes`, HEADER)).toEqual({
      status: 400,
      json: { error: 'skipInvalid must be true or false' },
    });
  });

  it('answers 401 without the token and 503 when no token is configured', async () => {
    const url = await start();
    expect((await post(url, HEADER, { 'content-type': 'text/csv' })).status).toBe(401);
    expect((await post(url, HEADER, { ...CSV, authorization: 'Bearer wrong-token-0123456789' })).status).toBe(
      401,
    );
    await new Promise((resolve) => server?.close(resolve));
    const disabled = await start({ ingestToken: undefined });
    expect(await post(disabled, HEADER)).toEqual({
      status: 503,
      json: { error: 'import is disabled: set INGEST_TOKEN on the server to enable POST /api/import/csv' },
    });
  });

  it('answers 415 for a body that is not CSV', async () => {
    const url = await start();
    expect(await post(url, '{}', { ...CSV, 'content-type': 'application/json' })).toEqual({
      status: 415,
      json: { error: 'send the file as the body with Content-Type: text/csv' },
    });
  });

  it('answers 413 over the limit, whether the length is declared or the body is streamed', async () => {
    const url = await start({ maxBodyBytes: 1024 });
    const big = `${HEADER}\n${'2026-05-02 09:14:07,88231,1234567,Aisha Rahman,-,John Doe,Workflow,\n'.repeat(40)}`;
    const declared = await post(url, big);
    expect(declared).toEqual({
      status: 413,
      json: {
        error: 'body over 1024 bytes: split the export into smaller files (by date range) and send each',
      },
    });
    // Chunked, with no Content-Length: the limit is found while spooling.
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: CSV }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 40; i++)
        req.write(`2026-05-02 09:14:07,88231,${i},Aisha Rahman,-,John Doe,Workflow,\n`);
      req.end();
    });
    expect(streamed).toBe(413);
    expect(await storedEvents(engine)).toEqual([]);
    expect(await readdir(spool)).toEqual([]);
  });

  it('answers 503 when the store is unreachable, and logs it', async () => {
    const url = await start({
      store: {
        ping: () => Promise.reject(new Error('connect ECONNREFUSED: check MONGODB_URI')),
        ingest: store.ingest,
      },
    });
    const res = await post(url, readFixture('assignments-log.csv'));
    expect(res).toEqual({
      status: 503,
      json: {
        error:
          'the store failed: the rows before the failure may be imported; send the same file again later (sending it again is exact: stored rows count as duplicates)',
      },
    });
    expect(logger.lines.filter((l) => l.level === 'error')).toHaveLength(1);
    expect(await readdir(spool)).toEqual([]);
  });
});
