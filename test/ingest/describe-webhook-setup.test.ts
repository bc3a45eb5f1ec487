import { describe, expect, it } from 'vitest';
import { describeWebhookSetup } from '../../src/ingest/webhooks/describe-webhook-setup.ts';

describe('describeWebhookSetup', () => {
  it('says every webhook is off until its secret is set, and which API-user accounts answer 503', () => {
    const notes = describeWebhookSetup({
      respondioSecrets: [],
      chatwootSecrets: new Map(),
      chatwootApiUsers: new Map([['12', ['4']]]),
    });
    expect(notes).toEqual([
      {
        level: 'warn',
        message: expect.stringMatching(/account 12 in CHATWOOT_API_USERS has no secret: .* answers 503/),
      },
      {
        level: 'info',
        message: expect.stringContaining('answers 503 until CHATWOOT_WEBHOOK_SECRETS names the account'),
      },
      { level: 'info', message: expect.stringContaining('until RESPONDIO_WEBHOOK_SECRETS is set') },
      { level: 'info', message: expect.stringContaining('until INTERCOM_CLIENT_SECRET is set') },
    ]);
  });

  it('names the checked accounts, and warns about each account accepted unsigned', () => {
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
      chatwootUnsignedAccounts: new Set(['12', '15', '7']),
      intercomClientSecret: 'c',
    });
    expect(notes).toEqual([
      {
        level: 'warn',
        message: expect.stringMatching(/accounts 12, 15 accepted UNSIGNED \(CHATWOOT_UNSIGNED_ACCOUNTS\)/),
      },
      {
        level: 'info',
        message:
          'Chatwoot webhooks: signatures checked for accounts 7, 9; other accounts not listed as unsigned answer 503.',
      },
    ]);
  });
});
