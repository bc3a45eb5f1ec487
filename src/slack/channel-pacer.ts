/** Spaces messages to one channel: Slack accepts about one message per second per channel. */
export interface ChannelPacer {
  /** Runs `send` once the channel's previous message has been answered at least an interval ago. */
  send<T>(channel: string, send: () => Promise<T>): Promise<T>;
}

export interface PacerOptions {
  intervalMs?: number;
  /** Monotonic milliseconds. */
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One pacer per process, shared by every digest round and `digest test`, so two rounds posting to one
 * channel still keep the interval. Sends to one channel go one at a time, and the interval is counted from
 * when Slack answered the previous one: counting from when it was sent would let a request that was slow to
 * leave arrive less than a second before the next.
 */
export function createChannelPacer(options: PacerOptions = {}): ChannelPacer {
  const interval = options.intervalMs ?? 1000;
  const clock = options.clock ?? (() => performance.now());
  const wait = options.sleep ?? sleep;
  const tails = new Map<string, Promise<void>>();
  const answeredAt = new Map<string, number>();
  return {
    async send(channel, send) {
      const previous = tails.get(channel) ?? Promise.resolve();
      let done = () => {};
      const mine = new Promise<void>((resolve) => {
        done = resolve;
      });
      tails.set(channel, mine);
      await previous;
      try {
        const last = answeredAt.get(channel);
        const due = last === undefined ? 0 : last + interval - clock();
        if (due > 0) await wait(due);
        return await send();
      } finally {
        const now = clock();
        answeredAt.set(channel, now);
        // Forget channels idle for longer than the interval, so the maps do not grow with every channel used.
        if (answeredAt.size > 1000)
          for (const [c, t] of answeredAt) if (now - t > interval && !tails.has(c)) answeredAt.delete(c);
        if (tails.get(channel) === mine) tails.delete(channel);
        done();
      }
    },
  };
}
