import type { Logger } from '@slack/bolt';
import { LogLevel } from '@slack/logger';
import type {
  ComposeDigest,
  ComposedDigest,
  DigestDefinition,
  DigestMarks,
} from '../../src/domain/digest.ts';
import type { LocalDate } from '../../src/domain/time.ts';
import type { DigestMessage, DigestPoster, PostResult } from '../../src/slack/digest-poster.ts';

export interface FakePost extends DigestMessage {
  ts: string;
}

/**
 * The digest port without Slack: records what was posted, and answers per channel from a script
 * (`script(channel, …results)`: the next calls there get those answers, then ok).
 */
export class FakePoster implements DigestPoster {
  readonly posts: FakePost[] = [];
  readonly attempts: DigestMessage[] = [];
  readonly dms: string[] = [];
  private readonly scripts = new Map<string, PostResult[]>();
  private next = 0;

  script(channel: string, ...results: PostResult[]): void {
    this.scripts.set(channel, [...(this.scripts.get(channel) ?? []), ...results]);
  }

  async postMessage(message: DigestMessage): Promise<PostResult> {
    this.attempts.push(message);
    // Yield like a network call would, so concurrent rounds interleave here.
    await new Promise((resolve) => setImmediate(resolve));
    const scripted = this.scripts.get(message.channel)?.shift();
    if (scripted && !scripted.ok) return scripted;
    const ts = `1700000000.${String(++this.next).padStart(6, '0')}`;
    this.posts.push({ ...message, ts });
    return { ok: true, ts };
  }

  async openDm(userId: string): Promise<{ ok: true; channel: string }> {
    this.dms.push(userId);
    return { ok: true, channel: `D${userId}` };
  }

  /** Top-level messages (not thread replies) posted to a channel. */
  mainPosts(channel?: string): FakePost[] {
    return this.posts.filter((p) => !p.threadTs && (channel === undefined || p.channel === channel));
  }
}

export interface ComposeCall {
  digestId: string;
  day: LocalDate;
  marks: DigestMarks;
}

/** A composer that says which digest and day it is for; `empty` days have no assignments. */
export function fakeCompose(options: { empty?: (day: LocalDate) => boolean } = {}): {
  compose: ComposeDigest;
  calls: ComposeCall[];
} {
  const calls: ComposeCall[] = [];
  const compose: ComposeDigest = async (digest: DigestDefinition, day, marks): Promise<ComposedDigest> => {
    calls.push({ digestId: digest.id, day, marks });
    const empty = options.empty?.(day) ?? false;
    const label = `${digest.team} ${day}${marks.test ? ' (test)' : ''}${marks.delayedBy ? ` (delayed ${marks.delayedBy})` : ''}`;
    return {
      empty,
      main: { text: empty ? `No assignments for ${label}` : `Digest ${label}`, blocks: [] },
      thread: empty ? null : { text: `Log ${label}`, blocks: [] },
    };
  };
  return { compose, calls };
}

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
}

/** A logger that keeps what it is told, so a test can assert "logged once at warn". */
export function captureLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const keep =
    (level: LogLine['level']) =>
    (...messages: unknown[]) => {
      lines.push({
        level,
        message: messages.map((m) => (m instanceof Error ? m.message : String(m))).join(' '),
      });
    };
  return {
    lines,
    debug: keep('debug'),
    info: keep('info'),
    warn: keep('warn'),
    error: keep('error'),
    setLevel() {},
    getLevel: () => LogLevel.DEBUG,
    setName() {},
  };
}
