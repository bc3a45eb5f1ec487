import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Logger, LogLevel } from '@slack/logger';
import type { AssignmentEvent } from '../../src/domain/event.ts';
import { type AssignmentStore, createAssignmentStore } from '../../src/store/assignment-store.ts';
import { openTestEngine } from '../store/engines.ts';

/** A sample payload's exact text, as the platform would send it (signatures are over these bytes). */
export function fixture(platform: 'respondio' | 'chatwoot' | 'intercom', name: string): string {
  return readFileSync(new URL(`../fixtures/${platform}/${name}.json`, import.meta.url), 'utf8');
}

// Signatures computed here independently of src/, as each platform documents them.

export function respondioHeaders(body: string, key: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-webhook-signature': createHmac('sha256', key).update(body).digest('base64'),
  };
}

export function chatwootHeaders(
  body: string,
  secret: string,
  timestamp: number,
  delivery?: string,
): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-chatwoot-timestamp': String(timestamp),
    'x-chatwoot-signature': `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`,
    ...(delivery ? { 'x-chatwoot-delivery': delivery } : {}),
  };
}

export function intercomHeaders(body: string, secret: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-hub-signature': `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`,
  };
}

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  text: string;
}

/** A logger that keeps what it is told, so tests can assert on it. */
export function captureLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const keep =
    (level: LogLine['level']) =>
    (...msg: unknown[]) =>
      lines.push({ level, text: msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' ') });
  return {
    lines,
    debug: keep('debug'),
    info: keep('info'),
    warn: keep('warn'),
    error: keep('error'),
    setLevel: () => {},
    getLevel: () => LogLevel.DEBUG,
    setName: () => {},
  };
}

/** The test engine's store, recording every batch it is asked to ingest; `down()` makes it unreachable. */
export async function recordingStore(now: () => Date) {
  const real = createAssignmentStore(await openTestEngine('webhooks'), now);
  const batches: AssignmentEvent[][] = [];
  let reachable = true;
  const store: Pick<AssignmentStore, 'ingest' | 'ping'> = {
    async ping() {
      if (!reachable) throw new Error('MongoDB did not answer: check MONGODB_URI');
      await real.ping();
    },
    async ingest(events, options) {
      batches.push(events);
      return real.ingest(events, options);
    },
  };
  return {
    store,
    real,
    batches,
    down() {
      reachable = false;
    },
  };
}

export interface Served {
  post(
    body: string,
    headers: Record<string, string>,
    path?: string,
  ): Promise<{ status: number; json: unknown }>;
  close(): Promise<void>;
}

/**
 * Serves one endpoint handler on a loopback port. `params` plays Bolt's part of putting a route's `:params` on
 * the request.
 */
export async function serve(
  handler: (req: IncomingMessage & { params?: Record<string, string> }, res: ServerResponse) => Promise<void>,
  params: (url: string) => Record<string, string> = () => ({}),
): Promise<Served> {
  const server = createServer((req, res) => {
    handler(Object.assign(req, { params: params(req.url ?? '') }), res).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    async post(body, headers, path = '/') {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', body, headers });
      return { status: res.status, json: await res.json() };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        // fetch keeps connections alive; a refused upload's connection would otherwise hold close() for seconds.
        server.closeAllConnections();
      }),
  };
}
