/** A start-up failure as one sentence that says what to check. */
export function explainStartupError(error: unknown): string {
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
