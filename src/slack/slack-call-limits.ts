import { webApi } from '@slack/bolt';

// Every call to Slack ends. Bolt's WebClient by default retries a failing call for about 30 minutes and waits
// for an answer forever, so a users.info that answered 500 left a report unanswered, and one chat.postMessage
// that never answered held a digest channel until restart. Here a Web API call is one attempt of at most 10 s,
// a 429 comes back at once (whoever called decides whether to wait), and a post to a response_url is given 5 s
// before the answer goes another way. An interactive path makes at most three such calls in a row (the user's
// zone, the response_url, chat.postEphemeral), so it gives up within 25 s, inside 30 s with the store's work.

export interface SlackCallLimits {
  /** One Web API call, in milliseconds. */
  webApiMs: number;
  /** One post to a response_url, in milliseconds. */
  responseUrlMs: number;
}

export const SLACK_CALL_LIMITS: SlackCallLimits = { webApiMs: 10_000, responseUrlMs: 5_000 };

/** The base URL with its trailing slash, as the WebClient wants it. */
const withSlash = (url: string): string => (url.endsWith('/') ? url : `${url}/`);

/** fetch with a deadline for requests that bring none of their own (Bolt's respond() brings none). */
export function fetchWithin(ms: number): typeof fetch {
  return (input, init = {}) => fetch(input, { ...init, signal: init.signal ?? AbortSignal.timeout(ms) });
}

/** WebClient options: one bounded attempt per call, 429s rejected at once, no silent retries. */
export function webClientOptions(
  apiUrl: string | undefined,
  limits: SlackCallLimits = SLACK_CALL_LIMITS,
): webApi.WebClientOptions {
  return {
    ...(apiUrl ? { slackApiUrl: withSlash(apiUrl) } : {}),
    timeout: limits.webApiMs,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    // Bolt builds respond() on this fetch too: response_url posts get their own, shorter deadline.
    fetch: fetchWithin(limits.responseUrlMs),
  };
}

/**
 * What went wrong with a Web API call, in the words of Slack's own error codes where it gave one:
 * `ratelimited` (with how long to wait), `http_500`, `no_answer` (timed out, or the network failed), or the
 * `ok: false` error. Anything else is not a Slack failure and is rethrown by callers that only expect these.
 */
export function slackFailureOf(
  error: unknown,
): { error: string; detail?: string; retryAfterMs?: number; transient: boolean } | undefined {
  if (error instanceof webApi.WebAPIRateLimitedError)
    return { error: 'ratelimited', retryAfterMs: error.retryAfter * 1000, transient: true };
  if (error instanceof webApi.WebAPIPlatformError) return { error: error.data.error, transient: false };
  if (error instanceof webApi.WebAPIHTTPError) return { error: `http_${error.statusCode}`, transient: true };
  if (error instanceof webApi.WebAPIRequestError)
    return { error: 'no_answer', detail: describeRequestError(error.original), transient: true };
  return undefined;
}

/** A timeout or a network error, in words: "no answer within 10 s", "connect ECONNREFUSED 127.0.0.1:1". */
export function describeRequestError(error: Error): string {
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'no answer in time';
  const cause: unknown = error.cause;
  return cause instanceof Error && cause.message ? cause.message : error.message;
}
