import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Posted {
  path: string;
  body: Record<string, unknown>;
  at: number;
}

/** Receives what the app posts to a slash command's or button's `response_url`. */
export class ResponseUrlSink {
  readonly posts: Posted[] = [];
  /** Posts to an expired URL: answered 404 `expired_url`, as Slack does after 30 minutes or 5 uses. */
  readonly refused: Posted[] = [];
  private readonly expired = new Set<string>();
  /** Posts to these paths are never answered (kept in `refused`), until the sink stops. */
  private readonly hung = new Set<string>();
  private readonly held = new Set<ServerResponse>();
  private waiters: { done: () => boolean; resolve: () => void }[] = [];
  private server: Server | undefined;
  base = '';
  private next = 0;

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
      const posted = {
        path: req.url ?? '',
        body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'),
        at: performance.now(),
      };
      if (this.hung.has(posted.path)) {
        this.refused.push(posted);
        this.held.add(res);
        res.on('close', () => this.held.delete(res));
        return;
      }
      if (this.expired.has(posted.path)) {
        this.refused.push(posted);
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"ok":false,"error":"expired_url"}');
        return;
      }
      this.posts.push(posted);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
      this.waiters = this.waiters.filter((w) => {
        if (!w.done()) return true;
        w.resolve();
        return false;
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** A fresh response_url, so each request's answers can be told apart. */
  newUrl(): string {
    this.next++;
    return `${this.base}/commands/${this.next}`;
  }

  /** From now on, posts to `url` are refused with 404 `expired_url` (kept in `refused`, not `posts`). */
  expire(url: string): void {
    this.expired.add(new URL(url).pathname);
  }

  /** From now on, posts to `url` get no answer at all: the connection is held open (kept in `refused`). */
  hang(url: string): void {
    this.hung.add(new URL(url).pathname);
  }

  postsTo(url: string): Posted[] {
    const path = new URL(url).pathname;
    return this.posts.filter((p) => p.path === path);
  }

  /** Resolves once `count` posts in all have arrived (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs = 10_000): Promise<void> {
    return this.until(
      () => this.posts.length >= count,
      () => `only ${this.posts.length} of ${count} posts arrived`,
      timeoutMs,
    );
  }

  /** The first post to `url`, once it has arrived (or rejects after `timeoutMs`), whenever the request was sent. */
  async firstPostTo(url: string, timeoutMs = 10_000): Promise<Posted> {
    await this.until(
      () => this.postsTo(url).length > 0,
      () => `nothing was posted to ${url}`,
      timeoutMs,
    );
    return this.postsTo(url)[0] as Posted;
  }

  private until(done: () => boolean, failure: () => string, timeoutMs: number): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(failure())), timeoutMs);
      this.waiters.push({
        done,
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
