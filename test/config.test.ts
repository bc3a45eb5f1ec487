import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.ts';

describe('parseConfig', () => {
  it('starts the local console with defaults when no Slack credentials are set', () => {
    const result = parseConfig({});
    expect(result).toEqual({
      ok: true,
      config: {
        mode: 'console',
        mongodbDb: 'handoff',
        port: 3000,
        defaultTimezone: 'UTC',
        quickchartUrl: 'https://quickchart.io',
        charts: 'quickchart',
        allowedUsers: [],
        digestAdmins: [],
        webhooks: {
          respondioSecrets: [],
          chatwootSecrets: new Map(),
          chatwootApiUsers: new Map(),
          chatwootUnsignedAccounts: new Set(),
        },
        logLevel: 'info',
        storeLimits: { readMs: 20_000, writeMs: 10_000 },
        createIndexes: true,
        shutdownGraceSeconds: 25,
      },
    });
  });

  it('reads the store’s time limits and whether to create indexes', () => {
    const result = parseConfig({
      STORE_READ_TIMEOUT_MS: '30000',
      STORE_WRITE_TIMEOUT_MS: '5000',
      MONGODB_CREATE_INDEXES: 'false',
    });
    expect(result.ok && [result.config.storeLimits, result.config.createIndexes]).toEqual([
      { readMs: 30_000, writeMs: 5000 },
      false,
    ]);
  });

  it('says how to fix a time limit or MONGODB_CREATE_INDEXES', () => {
    const result = parseConfig({
      STORE_READ_TIMEOUT_MS: '20s',
      STORE_WRITE_TIMEOUT_MS: '10',
      MONGODB_CREATE_INDEXES: 'no',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      'STORE_READ_TIMEOUT_MS must be a number of milliseconds, e.g. 20000',
      'STORE_WRITE_TIMEOUT_MS must be at least 1000 (milliseconds)',
      'MONGODB_CREATE_INDEXES must be true or false',
    ]);
  });

  it('selects Slack mode with a bot token and a signing secret, and reads every setting', () => {
    const result = parseConfig({
      SLACK_BOT_TOKEN: 'xoxb-1-2-3',
      SLACK_SIGNING_SECRET: 'abcdef0123456789',
      SLACK_API_URL: 'http://127.0.0.1:9999/api/',
      MONGODB_URI: 'memory://',
      INGEST_TOKEN: '0123456789abcdef0123',
      PORT: '8080',
      DEFAULT_TIMEZONE: 'Asia/Kuala_Lumpur',
      ALLOWED_USERS: 'U1, U2,,',
      DIGEST_ADMINS: 'U7 ,U8',
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.mode).toBe('slack');
    expect(result.config.slack).toEqual({
      botToken: 'xoxb-1-2-3',
      signingSecret: 'abcdef0123456789',
      apiUrl: 'http://127.0.0.1:9999/api/',
    });
    expect(result.config.port).toBe(8080);
    expect(result.config.allowedUsers).toEqual(['U1', 'U2']);
    expect(result.config.digestAdmins).toEqual(['U7', 'U8']);
    expect(result.config.defaultTimezone).toBe('Asia/Kuala_Lumpur');
  });

  it.each([
    ['asia/kuala_lumpur', 'Asia/Kuala_Lumpur'],
    ['Europe/Kiev', 'Europe/Kyiv'],
    ['etc/utc', 'UTC'],
  ])('keeps DEFAULT_TIMEZONE=%s by its canonical name, %s', (typed, canonical) => {
    const result = parseConfig({ DEFAULT_TIMEZONE: typed });
    expect(result.ok && result.config.defaultTimezone).toBe(canonical);
  });

  it('reports every problem at once, each saying how to fix it', () => {
    const result = parseConfig({
      SLACK_BOT_TOKEN: 'xoxp-user-token',
      MONGODB_URI: 'postgres://nope',
      DEFAULT_TIMEZONE: 'Mars/Olympus',
      PORT: 'eighty',
      INGEST_TOKEN: 'short',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const text = result.problems.join('\n');
    expect(text).toContain('SLACK_BOT_TOKEN must be a bot token starting with xoxb-');
    expect(text).toContain('MONGODB_URI must start with mongodb://');
    expect(text).toContain('DEFAULT_TIMEZONE is not an IANA time zone');
    expect(text).toContain('PORT must be a whole number from 0 to 65535, e.g. PORT=3000');
    expect(text).toContain('INGEST_TOKEN must be at least 16 characters');
    // The bot token is set, if wrongly: Slack mode, which needs a signing secret too.
    expect(text).toContain('SLACK_SIGNING_SECRET is required for HTTP mode');
    expect(result.problems.length).toBe(6);
  });

  it('lists a malformed PORT together with what Slack mode is missing, in one pass', () => {
    // SLACK_BOT_TOKEN=xoxb-1 PORT=abc npm start listed only PORT; the rest appeared once PORT was fixed.
    expect(parseConfig({ SLACK_BOT_TOKEN: 'xoxb-1', PORT: 'abc' })).toEqual({
      ok: false,
      problems: [
        'PORT must be a whole number from 0 to 65535, e.g. PORT=3000',
        'SLACK_SIGNING_SECRET is required for HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)',
        'MONGODB_URI is required with Slack: mongodb://… for real data, or memory:// to try it (data is lost at exit)',
      ],
    });
  });

  it.each([
    ['PORT', '70000', 'PORT must be a whole number from 0 to 65535, e.g. PORT=3000'],
    ['PORT', '-1', 'PORT must be a whole number from 0 to 65535, e.g. PORT=3000'],
    [
      'QUICKCHART_URL',
      'quickchart.local:3400',
      'QUICKCHART_URL must be an http(s) URL such as https://quickchart.io or http://quickchart.local:3400',
    ],
    [
      'QUICKCHART_URL',
      'ftp://charts.example',
      'QUICKCHART_URL must be an http(s) URL such as https://quickchart.io or http://quickchart.local:3400',
    ],
    ['SLACK_API_URL', 'slack.com/api', 'SLACK_API_URL must be an http(s) URL such as https://slack.com/api/'],
    [
      'MONGODB_URI',
      'mongodb://',
      'MONGODB_URI names no host: write it as mongodb://HOST:27017/ (or mongodb+srv://CLUSTER.example.net/)',
    ],
    [
      'MONGODB_URI',
      'mongodb://user:pw@/handoff',
      'MONGODB_URI names no host: write it as mongodb://HOST:27017/ (or mongodb+srv://CLUSTER.example.net/)',
    ],
    [
      'MONGODB_DB',
      'a.b',
      'MONGODB_DB must be a database name of at most 63 characters without / \\ . " $ or spaces',
    ],
    ['LOG_LEVEL', 'verbose', 'LOG_LEVEL must be one of debug, info, warn, error'],
    [
      'SHUTDOWN_GRACE_SECONDS',
      '25s',
      "SHUTDOWN_GRACE_SECONDS must be a whole number of seconds from 0 to 600, e.g. 25 (keep it under Kubernetes' 30 s terminationGracePeriodSeconds)",
    ],
  ])('%s=%s says in words what to write', (name, value, problem) => {
    expect(parseConfig({ [name]: value })).toEqual({ ok: false, problems: [problem] });
  });

  it('accepts http(s) URLs with ports and MongoDB URIs with hosts, users and options', () => {
    for (const env of [
      { QUICKCHART_URL: 'http://quickchart.local:3400' },
      { SLACK_API_URL: 'http://127.0.0.1:9999/api/' },
      { MONGODB_URI: 'mongodb://user:p%40ss@db1:27017,db2:27017/handoff?replicaSet=rs0' },
      { MONGODB_URI: 'mongodb+srv://cluster0.example.net/?retryWrites=true' },
      { MONGODB_URI: 'memory://' },
      { PORT: '0' },
    ])
      expect(parseConfig(env).ok, JSON.stringify(env)).toBe(true);
  });

  it('requires a store and a way to receive requests in Slack mode', () => {
    const result = parseConfig({ SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      expect.stringContaining('SLACK_SIGNING_SECRET is required for HTTP mode (or set SLACK_APP_TOKEN'),
      expect.stringContaining('MONGODB_URI is required with Slack'),
    ]);
  });

  it('accepts Socket Mode without a signing secret', () => {
    const result = parseConfig({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_APP_TOKEN: 'xapp-1',
      MONGODB_URI: 'mongodb://db:27017',
    });
    expect(result.ok && result.config.slack).toEqual({ botToken: 'xoxb-1', appToken: 'xapp-1' });
  });

  it('reads the webhook secrets into lists and per-account maps', () => {
    const result = parseConfig({
      RESPONDIO_WEBHOOK_SECRETS: 'key-one, key-two,',
      CHATWOOT_WEBHOOK_SECRETS: '7:s3cret:with:colons, 9:other,7:rotated',
      CHATWOOT_API_USERS: '7:12',
      CHATWOOT_UNSIGNED_ACCOUNTS: '12, 15',
      INTERCOM_CLIENT_SECRET: 'client-secret',
    });
    expect(result.ok && result.config.webhooks).toEqual({
      respondioSecrets: ['key-one', 'key-two'],
      chatwootSecrets: new Map([
        ['7', ['s3cret:with:colons', 'rotated']],
        ['9', ['other']],
      ]),
      chatwootApiUsers: new Map([['7', ['12']]]),
      chatwootUnsignedAccounts: new Set(['12', '15']),
      intercomClientSecret: 'client-secret',
    });
  });

  it('names an unsigned account that is not a Chatwoot account id', () => {
    const result = parseConfig({ CHATWOOT_UNSIGNED_ACCOUNTS: '7,acme' });
    expect(!result.ok && result.problems).toEqual([
      expect.stringMatching(/^CHATWOOT_UNSIGNED_ACCOUNTS entry 2 is not a numeric Chatwoot account id/),
    ]);
  });

  it('names malformed accountId:value entries by position, without echoing a secret', () => {
    const result = parseConfig({
      CHATWOOT_WEBHOOK_SECRETS: '7:ok,pasted-secret-without-account,acme:s3cret,9:',
      CHATWOOT_API_USERS: '7:john',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      expect.stringMatching(/^CHATWOOT_WEBHOOK_SECRETS entry 2 has no ":"; write accountId:secret pairs/),
      expect.stringMatching(
        /^CHATWOOT_WEBHOOK_SECRETS entry 3 does not start with a numeric Chatwoot account id/,
      ),
      expect.stringMatching(/^CHATWOOT_WEBHOOK_SECRETS entry 4 has no secret after ":"/),
      expect.stringMatching(/^CHATWOOT_API_USERS entry 1 has a userId that is not a number/),
    ]);
    expect(result.problems.join('\n')).not.toMatch(/pasted-secret|s3cret/);
  });
});
