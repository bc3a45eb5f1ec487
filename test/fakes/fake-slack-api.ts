import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
}

/** Reads a Web API request's arguments, whether sent as a form or as JSON. */
async function readArgs(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const text = Buffer.concat(chunks).toString('utf8');
  if ((req.headers['content-type'] ?? '').includes('application/json')) return text ? JSON.parse(text) : {};
  return Object.fromEntries(new URLSearchParams(text));
}

/**
 * A local stand-in for Slack's Web API (point SLACK_API_URL at `url`). Records every call; answers
 * `users.info` with the time zone set per user, and `ok: true` for everything else unless told otherwise.
 */
export class FakeSlackApi {
  readonly calls: SlackCall[] = [];
  readonly zones = new Map<string, string>();
  readonly failures = new Map<string, string>();
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
      const args = await readArgs(req);
      this.calls.push({ method, args });
      const failure = this.failures.get(method);
      const body = failure ? { ok: false, error: failure } : this.answer(method, args);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/api/`;
    return this;
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    if (method === 'users.info') {
      const user = String(args.user ?? '');
      return { ok: true, user: { id: user, tz: this.zones.get(user) ?? 'UTC' } };
    }
    if (method === 'auth.test') return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' };
    return { ok: true };
  }

  callsTo(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
