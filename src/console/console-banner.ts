import { EVENTS } from '../store/assignment-store.ts';
import type { Engine } from '../store/collection.ts';
import { MEMORY_URI } from '../store/open-engine.ts';

const count = (n: number): string => n.toLocaleString('en-US');

/** The hosts of a MongoDB URI, without its user, password, database or options: `db1:27017,db2:27017`. */
export function mongoHosts(uri: string): string {
  const afterScheme = uri.slice(uri.indexOf('://') + 3);
  const end = afterScheme.search(/[/?]|$/);
  return afterScheme.slice(afterScheme.lastIndexOf('@', end) + 1, end);
}

/**
 * How many events the store holds: a count over the `ts` index (every event has a time), never a scan of the
 * documents.
 */
export async function countEvents(engine: Engine): Promise<number> {
  const [row] = await engine
    .collection(EVENTS)
    .aggregate([{ $match: { ts: { $gte: new Date(-8.64e15) } } }, { $count: 'events' }]);
  const events = row?.events;
  return typeof events === 'number' ? events : 0;
}

const HINT =
  'Type a command such as `yesterday source:workflow`, or `help`. Set SLACK_BOT_TOKEN to run in Slack.';

/** What the console says first (on stderr): which data it reports on, how much, in which zone, and how to start. */
export function consoleBanner(
  store: { demo: number } | { uri: string; db: string; events: number },
  zone: string,
): string {
  if ('demo' in store)
    return `Local console on demo data (${count(store.demo)} assignments, zone ${zone}).\n${HINT}`;
  const where =
    store.uri === MEMORY_URI
      ? 'the in-process store (MONGODB_URI=memory://)'
      : `MongoDB database "${store.db}" at ${mongoHosts(store.uri)}`;
  return `Local console on ${where}: ${count(store.events)} assignment events, zone ${zone}.\n${HINT}`;
}
