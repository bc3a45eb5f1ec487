import { webApi } from '@slack/bolt';
import { describeRequestError } from './slack-call-limits.ts';

/** Where Slack's Web API is when SLACK_API_URL is unset. */
export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

/**
 * A start-up failure as one sentence that says what to check. `slackApiUrl` is the Web API base in use: at
 * start the only call is `auth.test` (the bot's identity), so a Slack that cannot be reached is named with it.
 */
export function explainStartupError(
  error: unknown,
  context: { slackApiUrl?: string | undefined } = {},
): string {
  const apiUrl = context.slackApiUrl ?? DEFAULT_SLACK_API_URL;
  const where = `${apiUrl} (SLACK_API_URL${context.slackApiUrl ? '' : ' is unset, so Slack itself'})`;
  if (error instanceof webApi.WebAPIRequestError)
    return `Slack's Web API could not be reached for auth.test at ${where}: ${describeRequestError(error.original)}. Check the network (a proxy or firewall) and SLACK_API_URL.`;
  if (error instanceof webApi.WebAPIHTTPError)
    return `Slack's Web API answered HTTP ${error.statusCode} to auth.test at ${where}. Check SLACK_API_URL, or status.slack.com.`;
  if (error instanceof webApi.WebAPIRateLimitedError)
    return `Slack's Web API answered auth.test with "rate limited" at ${where}: start again in ${error.retryAfter} s.`;
  const code =
    typeof error === 'object' && error !== null && 'data' in error ? slackErrorCode(error.data) : undefined;
  if (
    code === 'invalid_auth' ||
    code === 'not_authed' ||
    code === 'account_inactive' ||
    code === 'token_revoked'
  )
    return `Slack rejected the bot token (${code}): check SLACK_BOT_TOKEN.`;
  if (error instanceof Error && /EADDRINUSE/.test(error.message)) return `${error.message}: check PORT.`;
  return error instanceof Error ? error.message : String(error);
}

function slackErrorCode(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null || !('error' in data)) return undefined;
  return typeof data.error === 'string' ? data.error : undefined;
}
