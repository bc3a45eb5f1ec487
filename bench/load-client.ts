import { signedCommand } from '../test/fakes/signed-request.ts';

// Runs in its own process (see load-client-process.ts), like Slack's servers would: the latency it measures is
// the app's, not time spent waiting for the load generator on the app's own event loop.

export interface LoadJob {
  /** Base URL of the app; requests go to `${url}/slack/events`. */
  url: string;
  /** Where response_url points; each request gets its own path under it. */
  responseBase: string;
  requests: number;
  concurrency: number;
  text: string;
  userId: string;
}

export interface LoadResult {
  /** Milliseconds from sending each signed POST to its HTTP response having arrived, in completion order. */
  latencies: number[];
  failures: number;
  elapsedMs: number;
}

let sequence = 0;

/** Sends `requests` signed slash commands, `concurrency` at a time, and times each until its response. */
export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  let sent = 0;
  const started = performance.now();
  const lane = async () => {
    while (sent < job.requests) {
      sent++;
      const req = signedCommand({
        text: job.text,
        userId: job.userId,
        responseUrl: `${job.responseBase}/load/${++sequence}`,
      });
      const t0 = performance.now();
      try {
        const res = await fetch(`${job.url}/slack/events`, {
          method: 'POST',
          body: req.body,
          headers: req.headers,
        });
        await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (res.status !== 200) failures++;
      } catch {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, lane));
  return { latencies, failures, elapsedMs: performance.now() - started };
}

process.on('message', (message: { id: number; job: LoadJob }) => {
  runLoad(message.job).then(
    (result) => process.send?.({ id: message.id, result }),
    (error: unknown) => process.send?.({ id: message.id, error: String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
