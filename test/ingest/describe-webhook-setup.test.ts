import { describe, expect, it } from 'vitest';
import { describeWebhookSetup } from '../../src/ingest/webhooks/describe-webhook-setup.ts';

describe('describeWebhookSetup', () => {
  it('warns that Chatwoot is unverified for every account, and says which settings leave endpoints off', () => {
    const notes = describeWebhookSetup({
      respondioSecrets: [],
      chatwootSecrets: new Map(),
      chatwootApiUsers: new Map([['12', ['4']]]),
    });
    expect(notes).toEqual([
      {
        level: 'warn',
        message: expect.stringMatching(
          /verification is OFF for every account.*Off for account 12 \(in CHATWOOT_API_USERS\)/,
        ),
      },
      { level: 'info', message: expect.stringContaining('until RESPONDIO_WEBHOOK_SECRETS is set') },
      { level: 'info', message: expect.stringContaining('until INTERCOM_CLIENT_SECRET is set') },
    ]);
  });

  it('names the accounts that are checked and the configured ones that are not', () => {
    const notes = describeWebhookSetup({
      respondioSecrets: ['k'],
      chatwootSecrets: new Map([
        ['9', ['s']],
        ['7', ['s']],
      ]),
      chatwootApiUsers: new Map([
        ['7', ['1']],
        ['12', ['4']],
      ]),
      intercomClientSecret: 'c',
    });
    expect(notes).toEqual([
      {
        level: 'warn',
        message: expect.stringMatching(
          /checked for accounts 7, 9 only; POST \/webhooks\/chatwoot\/<any other account> is accepted unsigned\. Off for account 12 /,
        ),
      },
    ]);
  });
});
