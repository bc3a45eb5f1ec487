import { createHmac } from 'node:crypto';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';

/** Slack's v0 request signature for a body at a Unix time (seconds). */
export function sign(body: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

/** Any body, signed as Slack signs: for requests Slack itself would never send. */
export function signed(
  body: string,
  contentType: string,
  options: { timestamp?: number; secret?: string },
): SignedRequest {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    body,
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': sign(body, timestamp, options.secret),
    },
  };
}

/** A slash command as Slack sends it, correctly signed unless told otherwise. */
export function signedCommand(
  fields: { text?: string; userId?: string; responseUrl: string; command?: string; channelId?: string },
  options: { timestamp?: number; secret?: string } = {},
): SignedRequest {
  const body = new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: 'T1',
    team_domain: 'acme',
    channel_id: fields.channelId ?? 'C1',
    channel_name: 'support',
    user_id: fields.userId ?? 'U1',
    user_name: 'lead',
    command: fields.command ?? '/assignments',
    text: fields.text ?? '',
    api_app_id: 'A1',
    response_url: fields.responseUrl,
    trigger_id: '1.2.3',
  }).toString();
  return signed(body, 'application/x-www-form-urlencoded', options);
}

/**
 * A `block_actions` payload for a button press, signed; `menu` sends a choice in a static select instead (the
 * value is the chosen option's), and `ephemeral: false` presses a button on a message the channel sees.
 */
export function signedButton(
  fields: {
    actionId: string;
    value: string;
    userId?: string;
    responseUrl: string;
    channelId?: string;
    menu?: boolean;
    ephemeral?: boolean;
  },
  options: { timestamp?: number; secret?: string } = {},
): SignedRequest {
  const payload = {
    type: 'block_actions',
    team: { id: 'T1', domain: 'acme' },
    user: { id: fields.userId ?? 'U1', username: 'lead', team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy-verification-token',
    container: {
      type: 'message',
      message_ts: '1.2',
      channel_id: fields.channelId ?? 'C1',
      is_ephemeral: fields.ephemeral ?? true,
    },
    trigger_id: '1.2.3',
    channel: { id: fields.channelId ?? 'C1', name: 'support' },
    response_url: fields.responseUrl,
    actions: [
      fields.menu
        ? {
            type: 'static_select',
            action_id: fields.actionId,
            block_id: 'views',
            selected_option: { text: { type: 'plain_text', text: 'By team' }, value: fields.value },
            action_ts: '1.3',
          }
        : {
            type: 'button',
            action_id: fields.actionId,
            block_id: 'share',
            value: fields.value,
            action_ts: '1.3',
            text: { type: 'plain_text', text: 'Share' },
          },
    ],
  };
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return signed(body, 'application/x-www-form-urlencoded', options);
}
