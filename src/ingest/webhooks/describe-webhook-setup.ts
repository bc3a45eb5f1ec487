import type { WebhookSettings } from '../../config.ts';

export interface StartupNote {
  level: 'info' | 'warn';
  message: string;
}

const list = (ids: Iterable<string>) => [...ids].sort((a, b) => Number(a) - Number(b)).join(', ');

/** What the webhook settings leave open or off, for the start-up log; Chatwoot's unverified accounts warn. */
export function describeWebhookSetup(settings: WebhookSettings): StartupNote[] {
  const notes: StartupNote[] = [];
  const signed = new Set(settings.chatwootSecrets.keys());
  const unsignedApiAccounts = [...settings.chatwootApiUsers.keys()].filter((id) => !signed.has(id));
  const named = unsignedApiAccounts.length
    ? ` Off for account${unsignedApiAccounts.length === 1 ? '' : 's'} ${list(unsignedApiAccounts)} (in CHATWOOT_API_USERS).`
    : '';
  const fix =
    'Add accountId:secret to CHATWOOT_WEBHOOK_SECRETS for each account whose Chatwoot build signs webhooks (sends X-Chatwoot-Signature).';
  notes.push({
    level: 'warn',
    message: signed.size
      ? `Chatwoot webhooks: signatures are checked for account${signed.size === 1 ? '' : 's'} ${list(signed)} only; POST /webhooks/chatwoot/<any other account> is accepted unsigned.${named} ${fix}`
      : `Chatwoot webhooks: signature verification is OFF for every account; anyone who can reach POST /webhooks/chatwoot/<account> can record assignments.${named} ${fix}`,
  });
  if (!settings.respondioSecrets.length)
    notes.push({
      level: 'info',
      message:
        'respond.io webhooks: POST /webhooks/respondio answers 503 until RESPONDIO_WEBHOOK_SECRETS is set.',
    });
  if (!settings.intercomClientSecret)
    notes.push({
      level: 'info',
      message: 'Intercom webhooks: POST /webhooks/intercom answers 503 until INTERCOM_CLIENT_SECRET is set.',
    });
  return notes;
}
