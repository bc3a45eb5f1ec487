import type { WebhookSettings } from '../../config.ts';

export interface StartupNote {
  level: 'info' | 'warn';
  message: string;
}

const list = (ids: Iterable<string>) => [...ids].sort((a, b) => Number(a) - Number(b)).join(', ');

const accounts = (ids: string[]) => `account${ids.length === 1 ? '' : 's'} ${list(ids)}`;

/**
 * What the webhook settings leave open or off, for the start-up log. Chatwoot: accounts with a secret must sign;
 * accounts in CHATWOOT_UNSIGNED_ACCOUNTS are accepted unsigned (a warning names them); any other answers 503.
 */
export function describeWebhookSetup(settings: WebhookSettings): StartupNote[] {
  const notes: StartupNote[] = [];
  const signed = new Set(settings.chatwootSecrets.keys());
  const unsigned = [...(settings.chatwootUnsignedAccounts ?? [])].filter((id) => !signed.has(id));
  const open = new Set([...signed, ...unsigned]);
  const closedApiAccounts = [...settings.chatwootApiUsers.keys()].filter((id) => !open.has(id));
  if (unsigned.length)
    notes.push({
      level: 'warn',
      message: `Chatwoot webhooks: ${accounts(unsigned)} accepted UNSIGNED (CHATWOOT_UNSIGNED_ACCOUNTS): anyone who can reach POST /webhooks/chatwoot/<account> for ${unsigned.length === 1 ? 'it' : 'them'} can record assignments. Give each a secret in CHATWOOT_WEBHOOK_SECRETS once its Chatwoot build signs.`,
    });
  if (closedApiAccounts.length)
    notes.push({
      level: 'warn',
      message: `Chatwoot webhooks: ${accounts(closedApiAccounts)} in CHATWOOT_API_USERS ${closedApiAccounts.length === 1 ? 'has' : 'have'} no secret: POST /webhooks/chatwoot/<account> answers 503 until CHATWOOT_WEBHOOK_SECRETS (or CHATWOOT_UNSIGNED_ACCOUNTS) names ${closedApiAccounts.length === 1 ? 'it' : 'them'}.`,
    });
  notes.push({
    level: 'info',
    message: signed.size
      ? `Chatwoot webhooks: signatures checked for ${accounts([...signed])}; other accounts${unsigned.length ? ' not listed as unsigned' : ''} answer 503.`
      : `Chatwoot webhooks: POST /webhooks/chatwoot/<account> answers 503 until CHATWOOT_WEBHOOK_SECRETS names the account.`,
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
