import { createHmac } from 'node:crypto';
import { INGEST_TOKEN, startTestApp } from '../test/fakes/start-test-app.ts';
import { count, ratio } from './print-table.ts';

// Webhook requests per second through the real app: signed respond.io contact.assignee.updated deliveries
// (verify on raw bytes, parse, map, ingest), beside the same number of one-event POST /api/events requests.

const SECRET = 'bench-respondio-key';
const REQUESTS = 3_000;
const CONCURRENCY = 8;
const AGENTS = [
  { id: 2001, firstName: 'John', lastName: 'Doe', email: 'john@acme.example' },
  { id: 2002, firstName: 'Mei', lastName: 'Tan', email: 'mei@acme.example' },
];

function respondioBody(i: number): string {
  return JSON.stringify({
    event_id: `bench-${i}`,
    event_type: 'contact.assignee.updated',
    contact: {
      id: 5_000_000 + (i % 1_000),
      firstName: 'Contact',
      lastName: String(i % 1_000),
      assignee: AGENTS[Math.floor(i / 1_000) % 2],
    },
  });
}

function canonicalBody(i: number): string {
  return JSON.stringify({
    id: `bench-api-${i}`,
    timestamp: new Date().toISOString(),
    contact: { id: String(6_000_000 + (i % 1_000)) },
    assignee: { id: String(2001 + (Math.floor(i / 1_000) % 2)) },
    source: 'workflow',
  });
}

async function fire(url: string, bodies: string[], headers: (body: string) => Record<string, string>) {
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++] ?? '';
        const res = await fetch(url, { method: 'POST', body, headers: headers(body) });
        await res.arrayBuffer();
        if (res.status !== 200) failures++;
      }
    }),
  );
  return { rate: (bodies.length / (performance.now() - started)) * 1000, failures };
}

/** Table rows: webhook requests/s against one-event /api/events requests/s. */
export async function benchWebhooks(): Promise<string[][]> {
  console.log(
    `4. webhook requests/s, ${count(REQUESTS)} signed respond.io deliveries, ${CONCURRENCY} at a time`,
  );
  const app = await startTestApp({
    webhooks: { respondioSecrets: [SECRET], chatwootSecrets: new Map(), chatwootApiUsers: new Map() },
  });
  try {
    const webhook = await fire(
      `${app.url}/webhooks/respondio`,
      Array.from({ length: REQUESTS }, (_, i) => respondioBody(i)),
      (body) => ({
        'content-type': 'application/json',
        'x-webhook-signature': createHmac('sha256', SECRET).update(body).digest('base64'),
      }),
    );
    const api = await fire(
      `${app.url}/api/events`,
      Array.from({ length: REQUESTS }, (_, i) => canonicalBody(i)),
      () => ({ 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` }),
    );
    console.log(`  … failures: webhooks ${webhook.failures}, /api/events ${api.failures}`);
    return [
      [
        `webhooks, respond.io, ${CONCURRENCY} concurrent (req/s)`,
        count(webhook.rate),
        `1-event /api/events ${count(api.rate)}`,
        ratio(webhook.rate / api.rate),
        '',
      ],
    ];
  } finally {
    await app.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await benchWebhooks()) console.log(row.join(' | '));
  process.exit(0);
}
