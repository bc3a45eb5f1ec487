// The times an event may carry. Every entrance (POST /api/events, each webhook, the CSV import) refuses anything
// else before it reaches the store: a year-300,000 timestamp would sort after every real event of its contact
// and make each later one look late forever.

/** The earliest event time accepted: nothing in these platforms' logs is older. */
export const EARLIEST_EVENT_TIME = new Date('2000-01-01T00:00:00Z');
/** Where "all time" ends for reads: past any event an entrance accepts, and before what older versions let in. */
export const END_OF_EVENT_TIMES = new Date('2100-01-01T00:00:00Z');
/** How far ahead of our clock an event may be: senders' clocks drift, a day covers any zone mix-up. */
export const MAX_EVENT_LEAD_MS = 86_400_000;

/** The latest event time accepted at `now`. */
export function latestEventTime(now: Date): Date {
  return new Date(now.getTime() + MAX_EVENT_LEAD_MS);
}

/** Why an event time is refused, or undefined when it is fine. */
export function eventTimeProblem(at: Date, now: Date): string | undefined {
  if (!Number.isFinite(at.getTime())) return 'is not a real date and time';
  if (at < EARLIEST_EVENT_TIME) return 'is before 2000-01-01; send the time the assignment happened';
  if (at > latestEventTime(now))
    return `is more than a day ahead of this server's clock (${now.toISOString()}); check the sender's clock and time unit (seconds or milliseconds)`;
  return undefined;
}
