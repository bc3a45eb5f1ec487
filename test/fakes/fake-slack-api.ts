import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  /** performance.now() when the call arrived, to check pacing (1 message per second per channel). */
  at: number;
}

/** A file that arrived through the upload flow: bytes posted to the upload URL, then completed. */
export interface FakeUpload {
  id: string;
  filename: string;
  /** The length announced to files.getUploadURLExternal. */
  length: number;
  bytes: Buffer;
  completed?: {
    channelId: string | undefined;
    initialComment: string | undefined;
    title: string | undefined;
  };
}

/**
 * How a Web API method misbehaves: HTTP 429 with Retry-After, another HTTP status (500, 503…), `ok: false` with
 * an error code, or no answer at all (the request is held until the fake stops).
 */
export type SlackMisbehaviour =
  | { status: 429; retryAfter: number }
  | { status: number }
  | { error: string }
  | { hang: true };

async function readBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

/** Reads a Web API request's arguments, whether sent as a form or as JSON. */
async function readArgs(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = (await readBytes(req)).toString('utf8');
  if ((req.headers['content-type'] ?? '').includes('application/json')) return text ? JSON.parse(text) : {};
  return Object.fromEntries(new URLSearchParams(text));
}

/**
 * A local stand-in for Slack's Web API (point SLACK_API_URL at `url`). Records every call and answers the
 * way Slack does for the methods the app uses:
 * - `users.info`: the time zone set per user in `zones`, and admin/owner flags from `admins` / `owners`;
 * - `conversations.info`: the channels in `channels` (others are `channel_not_found`);
 * - `conversations.open`: a DM channel `D<user id>`;
 * - `chat.postMessage`: a fresh `ts`; per-channel errors from `channelErrors` (e.g. `not_in_channel`);
 * - the upload flow: `files.getUploadURLExternal` hands out an upload URL on this server, the bytes posted
 *   there are kept in `uploads`, and `files.completeUploadExternal` shares them; `files.info` says a completed
 *   upload is processed (its mimetype), as Slack does once it has looked at the bytes;
 * - `failures` makes a method answer `ok: false` with that error; `rateLimit` answers HTTP 429 a few times;
 * - `misbehave` makes any method answer 429, 500, an error code, or nothing at all, every time or a few times.
 */
export class FakeSlackApi {
  readonly calls: SlackCall[] = [];
  readonly zones = new Map<string, string>();
  readonly admins = new Set<string>();
  readonly owners = new Set<string>();
  /** Channel id → name; `conversations.info` knows only these. */
  readonly channels = new Map<string, string>();
  /** Channel id → the error `chat.postMessage` answers there. */
  readonly channelErrors = new Map<string, string>();
  readonly failures = new Map<string, string>();
  readonly uploads = new Map<string, FakeUpload>();
  private readonly misbehaving = new Map<string, { how: SlackMisbehaviour; times: number }>();
  /** Requests held without an answer (`{ hang: true }`), closed when the fake stops. */
  private readonly held = new Set<ServerResponse>();
  private waiters: { method: string; count: number; resolve: () => void }[] = [];
  private server: Server | undefined;
  private nextTs = 0;
  private nextFile = 0;
  base = '';
  url = '';

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      if (path.startsWith('/upload/')) {
        const upload = this.uploads.get(path.slice('/upload/'.length));
        const bytes = await readBytes(req);
        if (upload) upload.bytes = Buffer.concat([upload.bytes, bytes]);
        res.writeHead(upload ? 200 : 404, { 'content-type': 'text/plain' });
        res.end(upload ? `OK - ${bytes.length}` : 'no such upload');
        return;
      }
      const method = path.replace(/^\/api\//, '');
      const args = await readArgs(req);
      this.calls.push({ method, args, at: performance.now() });
      const misbehaving = this.misbehaving.get(method);
      if (misbehaving && misbehaving.times > 0) {
        misbehaving.times--;
        this.misbehaveOn(res, misbehaving.how);
      } else {
        const failure = this.failures.get(method);
        const body = failure ? { ok: false, error: failure } : this.answer(method, args);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      }
      this.waiters = this.waiters.filter((w) => {
        if (this.callsTo(w.method).length < w.count) return true;
        w.resolve();
        return false;
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.base = `http://127.0.0.1:${port}`;
    this.url = `${this.base}/api/`;
    return this;
  }

  /** The next `times` calls to `method` answer HTTP 429 with `Retry-After: retryAfter` seconds. */
  rateLimit(method: string, times: number, retryAfter = 1): void {
    this.misbehave(method, { status: 429, retryAfter }, times);
  }

  /** The next `times` calls to `method` (every call, by default) misbehave as told; `behave` ends it. */
  misbehave(method: string, how: SlackMisbehaviour, times = Number.POSITIVE_INFINITY): void {
    this.misbehaving.set(method, { how, times });
  }

  behave(method?: string): void {
    if (method === undefined) this.misbehaving.clear();
    else this.misbehaving.delete(method);
  }

  private misbehaveOn(res: ServerResponse, how: SlackMisbehaviour): void {
    if ('hang' in how) {
      this.held.add(res);
      res.on('close', () => this.held.delete(res));
      return;
    }
    if ('error' in how) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: how.error }));
      return;
    }
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if ('retryAfter' in how) headers['retry-after'] = String(how.retryAfter);
    res.writeHead(how.status, headers);
    res.end(JSON.stringify({ ok: false, error: how.status === 429 ? 'ratelimited' : 'fatal_error' }));
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' };
      case 'users.info': {
        const user = String(args.user ?? '');
        return {
          ok: true,
          user: {
            id: user,
            tz: this.zones.get(user) ?? 'UTC',
            is_admin: this.admins.has(user) || this.owners.has(user),
            is_owner: this.owners.has(user),
          },
        };
      }
      case 'conversations.info': {
        const id = String(args.channel ?? '');
        const name = this.channels.get(id);
        return name === undefined
          ? { ok: false, error: 'channel_not_found' }
          : { ok: true, channel: { id, name, is_channel: true } };
      }
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(args.users ?? '').split(',')[0] ?? ''}` } };
      case 'chat.postMessage': {
        const channel = String(args.channel ?? '');
        const error = this.channelErrors.get(channel);
        if (error) return { ok: false, error };
        return { ok: true, channel, ts: this.newTs(), message: { text: args.text } };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: this.newTs() };
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts };
      case 'files.getUploadURLExternal': {
        const id = `F${String(++this.nextFile).padStart(6, '0')}`;
        const length = Number(args.length);
        this.uploads.set(id, { id, filename: String(args.filename ?? ''), length, bytes: Buffer.alloc(0) });
        return { ok: true, upload_url: `${this.base}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const files = (typeof args.files === 'string' ? JSON.parse(args.files) : args.files) as {
          id: string;
          title?: string;
        }[];
        for (const file of files) {
          const upload = this.uploads.get(file.id);
          if (!upload) return { ok: false, error: 'file_not_found' };
          if (upload.bytes.length !== upload.length) return { ok: false, error: 'upload_length_mismatch' };
          upload.completed = {
            channelId: args.channel_id === undefined ? undefined : String(args.channel_id),
            initialComment: args.initial_comment === undefined ? undefined : String(args.initial_comment),
            title: file.title,
          };
        }
        return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title })) };
      }
      case 'files.info': {
        const upload = this.uploads.get(String(args.file ?? ''));
        if (!upload) return { ok: false, error: 'file_not_found' };
        const png = upload.bytes.subarray(0, 4).toString('latin1') === '\x89PNG';
        return {
          ok: true,
          file: {
            id: upload.id,
            name: upload.filename,
            mimetype: upload.completed ? (png ? 'image/png' : 'application/octet-stream') : '',
          },
        };
      }
      default:
        return { ok: true };
    }
  }

  private newTs(): string {
    this.nextTs++;
    return `1700000000.${String(this.nextTs).padStart(6, '0')}`;
  }

  callsTo(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves once `count` calls to `method` have arrived (or rejects after `timeoutMs`). */
  waitForCalls(method: string, count: number, timeoutMs = 10_000): Promise<void> {
    if (this.callsTo(method).length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${this.callsTo(method).length} of ${count} ${method} calls arrived`)),
        timeoutMs,
      );
      this.waiters.push({
        method,
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  async stop(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
