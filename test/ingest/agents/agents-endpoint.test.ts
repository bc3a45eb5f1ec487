import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Logger, LogLevel } from '@slack/logger';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { agentsEndpoint } from '../../../src/ingest/agents/agents-endpoint.ts';
import { type AssignmentStore, createAssignmentStore } from '../../../src/store/assignment-store.ts';
import { openTestEngine } from '../../store/engines.ts';

const TOKEN = 'agents-test-token-0123456789';
const AGENTS_CSV = readFileSync(new URL('../../fixtures/csv/agents.csv', import.meta.url), 'utf8');

const answerSchema = z.object({
  added: z.number().optional(),
  updated: z.number().optional(),
  error: z.string().optional(),
  problems: z.array(z.record(z.string(), z.unknown())).optional(),
});

/** A logger that keeps its error lines, so a test can assert "logged once". */
function captureErrors(): Logger & { errors: string[] } {
  const errors: string[] = [];
  const ignore = () => {};
  return {
    errors,
    debug: ignore,
    info: ignore,
    warn: ignore,
    error: (...msg: unknown[]) => errors.push(msg.map(String).join(' ')),
    setLevel: ignore,
    getLevel: () => LogLevel.DEBUG,
    setName: ignore,
  };
}

describe('POST /api/agents', () => {
  let server: Server;
  let url: string;
  let store: AssignmentStore;
  let logger: ReturnType<typeof captureErrors>;
  let reachable: boolean;

  async function start(options: { ingestToken?: string; maxBodyBytes?: number } = {}) {
    reachable = true;
    store = createAssignmentStore(await openTestEngine('agents'));
    logger = captureErrors();
    const handler = agentsEndpoint({
      store: {
        agents: store.agents,
        ping: async () => {
          if (!reachable) throw new Error('MongoDB did not answer: check MONGODB_URI');
        },
      },
      ingestToken: 'ingestToken' in options ? options.ingestToken : TOKEN,
      logger,
      ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
    });
    server = createServer((req, res) => void handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/agents`;
  }

  async function post(body: string, contentType: string, token = TOKEN) {
    const res = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
    return { status: res.status, body: answerSchema.parse(await res.json()) };
  }

  const names = async () => (await store.agents.list()).map((a) => `${a.name}: ${a.team.name}`);

  async function stop() {
    // fetch keeps connections alive; closing them lets close() finish at once.
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await store.close();
  }

  beforeEach(() => start());
  afterEach(() => stop());

  it('stores the CSV and answers what it added and moved', async () => {
    expect(await post(AGENTS_CSV, 'text/csv; charset=utf-8')).toEqual({
      status: 200,
      body: { added: 4, updated: 0 },
    });
    const moved =
      'Agent ID;Agent Name;Team\n2002;Mei Tan;Sales\n2009;Nur Aini;Billing\n2001;John Doe;Support\n';
    expect(await post(moved, 'text/csv')).toEqual({ status: 200, body: { added: 1, updated: 1 } });
    expect(await names()).toEqual([
      'Ali Hassan: Sales',
      'John Doe: Support',
      'Mei Tan: Sales',
      'Nur Aini: Billing',
      'Sarah Lee: Sales',
    ]);
  });

  it('takes the same as JSON', async () => {
    const body = JSON.stringify([
      { id: 2001, name: 'John Doe', team: 'Support' },
      { id: '2002', name: 'Mei Tan', team: 'Support' },
    ]);
    expect(await post(body, 'application/json')).toEqual({ status: 200, body: { added: 2, updated: 0 } });
    expect(await names()).toEqual(['John Doe: Support', 'Mei Tan: Support']);
  });

  it('stores nothing from a file with one bad row, and names the rows', async () => {
    const bad = readFileSync(new URL('../../fixtures/csv/agents-bad.csv', import.meta.url), 'utf8');
    const res = await post(bad, 'text/csv');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid agents: nothing was stored');
    expect(res.body.problems?.map((p) => `${p.row} ${p.column}`)).toEqual([
      '3 Agent Name',
      '4 ',
      '5 Agent ID',
      '6 Team',
    ]);
    const json = await post(
      JSON.stringify([{ id: 'a', name: 'Ann', team: 'X' }, { id: 'b' }]),
      'application/json',
    );
    expect(json.status).toBe(400);
    expect(json.body.problems).toEqual([
      expect.objectContaining({ index: 1, field: 'name' }),
      expect.objectContaining({ index: 1, field: 'team' }),
    ]);
    expect((await post('[{"id": ', 'application/json')).status).toBe(400);
    expect(await names()).toEqual([]);
  });

  it('refuses a missing or wrong token with 401, and other content types with 415', async () => {
    expect((await post(AGENTS_CSV, 'text/csv', 'wrong-token-wrong-token')).status).toBe(401);
    expect((await post(AGENTS_CSV, 'text/csv', '')).status).toBe(401);
    const res = await post(AGENTS_CSV, 'text/plain');
    expect(res.status).toBe(415);
    expect(res.body.error).toContain('text/csv');
    expect(await names()).toEqual([]);
  });

  it('refuses an oversized body with 413', async () => {
    await stop();
    await start({ maxBodyBytes: 64 });
    expect((await post(AGENTS_CSV, 'text/csv')).status).toBe(413);
    expect(await names()).toEqual([]);
  });

  it('answers 503 without INGEST_TOKEN, and when the store is down (logged once, nothing stored)', async () => {
    reachable = false;
    const down = await post(AGENTS_CSV, 'text/csv');
    expect(down.status).toBe(503);
    expect(logger.errors).toHaveLength(1);
    expect(logger.errors[0]).toContain('POST /api/agents');
    expect(await names()).toEqual([]);

    await stop();
    await start({ ingestToken: undefined });
    const disabled = await post(AGENTS_CSV, 'text/csv');
    expect(disabled.status).toBe(503);
    expect(disabled.body.error).toContain('INGEST_TOKEN');
  });
});
