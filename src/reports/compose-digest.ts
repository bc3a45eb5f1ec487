import type { ChartPublisher } from '../charts/chart-publisher.ts';
import type { ComposeDigest } from '../domain/digest.ts';
import { type DigestData, summarizeDigest } from '../domain/digest-summary.ts';
import { digestChartSpec, digestMessages } from '../render/digest-blocks.ts';
import type { createDigestData, DigestQuery } from '../store/digest-data.ts';

export interface ComposeDigestDeps {
  data: ReturnType<typeof createDigestData>;
  /** QuickChart URLs by default; PNGs drawn here and uploaded with CHARTS=local. */
  charts: ChartPublisher;
  /** How long one read of a team's day is reused by other digests of the same team, day, zone and filters. */
  reuseForMs?: number;
  now?: () => number;
}

/** Digests due in one minute share their reads: 0 turns it off. */
const REUSE_FOR_MS = 60_000;

/** What a digest run posts for a definition and a local day: read, summarize, render. */
export function createComposeDigest(deps: ComposeDigestDeps): ComposeDigest {
  const reuseFor = deps.reuseForMs ?? REUSE_FOR_MS;
  const now = deps.now ?? Date.now;
  // Several channels often get the same team's digest at the same minute; reading the day once for all of
  // them is most of the store work. A failed read is not kept.
  const recent = new Map<string, { at: number; data: Promise<DigestData> }>();

  function load(query: DigestQuery): Promise<DigestData> {
    if (reuseFor <= 0) return deps.data.load(query);
    const t = now();
    for (const [key, entry] of recent) if (t - entry.at >= reuseFor) recent.delete(key);
    const key = JSON.stringify([query.team.toLowerCase(), query.day, query.zone, query.filters]);
    const hit = recent.get(key);
    if (hit) return hit.data;
    const data = deps.data.load(query);
    recent.set(key, { at: t, data });
    data.catch(() => recent.delete(key));
    return data;
  }

  return async (digest, day, marks) => {
    const data = await load({ team: digest.team, day, zone: digest.zone, filters: digest.filters });
    const summary = summarizeDigest(data);
    const spec = digestChartSpec(summary);
    const chart = spec ? await deps.charts.publish(spec) : undefined;
    return digestMessages(summary, { chart, marks });
  };
}
