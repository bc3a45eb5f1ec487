import { z } from 'zod';
import { canonicalZone } from './domain/canonical-zone.ts';
import { isValidZone } from './domain/time.ts';
import { DEFAULT_TIME_LIMITS, type TimeLimits } from './store/collection.ts';

const csv = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

const ACCOUNT_ID = /^\d{1,20}$/;

/**
 * `accountId:value,…` into values by account (an account may list several). Problems name the entry by position
 * only: an entry of a secrets list may be a secret pasted without its account id.
 */
const accountList = (valueName: string, example: string, valuePattern?: RegExp) =>
  z
    .string()
    .optional()
    .transform((text, ctx) => {
      const byAccount = new Map<string, string[]>();
      csv(text).forEach((entry, index) => {
        const colon = entry.indexOf(':');
        const account = entry.slice(0, Math.max(colon, 0)).trim();
        const value = entry.slice(colon + 1).trim();
        const problem =
          colon < 0
            ? 'has no ":"'
            : !ACCOUNT_ID.test(account)
              ? 'does not start with a numeric Chatwoot account id (the number in /app/accounts/<id>/)'
              : !value
                ? `has no ${valueName} after ":"`
                : valuePattern && !valuePattern.test(value)
                  ? `has a ${valueName} that is not a number`
                  : undefined;
        if (problem) {
          ctx.addIssue({
            code: 'custom',
            message: `entry ${index + 1} ${problem}; write accountId:${valueName} pairs separated by commas, e.g. ${example}`,
          });
          return;
        }
        byAccount.set(account, [...(byAccount.get(account) ?? []), value]);
      });
      return byAccount;
    });

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** A store time limit in milliseconds: at least a second, at most ten minutes. */
const timeLimit = (fallback: number) =>
  z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: `must be a number of milliseconds, e.g. ${fallback}` })
      .int('must be a whole number of milliseconds')
      .min(1000, 'must be at least 1000 (milliseconds)')
      .max(600_000, 'must be at most 600000 (ten minutes)')
      .default(fallback),
  );
const optional = (schema: z.ZodString) => z.preprocess(blankToUndefined, schema.optional());

const schema = z
  .object({
    SLACK_BOT_TOKEN: optional(z.string().startsWith('xoxb-', 'must be a bot token starting with xoxb-')),
    SLACK_SIGNING_SECRET: optional(z.string().min(8, 'looks too short: copy it from Basic Information')),
    SLACK_APP_TOKEN: optional(
      z.string().startsWith('xapp-', 'must be an app-level token starting with xapp-'),
    ),
    SLACK_API_URL: optional(z.string().url('must be a URL such as https://slack.com/api/')),
    MONGODB_URI: optional(
      z
        .string()
        .regex(
          /^(mongodb(\+srv)?:\/\/|memory:\/\/$)/,
          'must start with mongodb://, mongodb+srv:// or be memory://',
        ),
    ),
    MONGODB_DB: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^[^/\\. "$]{1,63}$/)
        .default('handoff'),
    ),
    INGEST_TOKEN: optional(z.string().min(16, 'must be at least 16 characters (e.g. openssl rand -hex 24)')),
    PORT: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
    DEFAULT_TIMEZONE: z.preprocess(
      blankToUndefined,
      z
        .string()
        .refine(isValidZone, 'is not an IANA time zone such as Asia/Kuala_Lumpur or UTC')
        // Shown and stored by its canonical name: `asia/kuala_lumpur` is Asia/Kuala_Lumpur, Europe/Kiev Europe/Kyiv.
        .transform((zone) => canonicalZone(zone) ?? zone)
        .default('UTC'),
    ),
    QUICKCHART_URL: z.preprocess(blankToUndefined, z.string().url().default('https://quickchart.io')),
    CHARTS: z.preprocess(
      (v) => (typeof v === 'string' ? (blankToUndefined(v.trim().toLowerCase()) ?? undefined) : v),
      z
        .enum(['quickchart', 'local'], {
          message:
            'must be quickchart (charts drawn by QuickChart from a URL) or local (drawn here, uploaded to Slack)',
        })
        .default('quickchart'),
    ),
    ALLOWED_USERS: z.string().optional().transform(csv),
    DIGEST_ADMINS: z.string().optional().transform(csv),
    RESPONDIO_WEBHOOK_SECRETS: z.string().optional().transform(csv),
    CHATWOOT_WEBHOOK_SECRETS: accountList('secret', '7:<secret>,9:<secret>'),
    CHATWOOT_API_USERS: accountList('userId', '7:12,9:4', ACCOUNT_ID),
    CHATWOOT_UNSIGNED_ACCOUNTS: z
      .string()
      .optional()
      .transform((text, ctx) => {
        const ids = csv(text);
        ids.forEach((id, index) => {
          if (!ACCOUNT_ID.test(id))
            ctx.addIssue({
              code: 'custom',
              message: `entry ${index + 1} is not a numeric Chatwoot account id (the number in /app/accounts/<id>/); list ids separated by commas, e.g. 7,9`,
            });
        });
        return new Set(ids);
      }),
    INTERCOM_CLIENT_SECRET: optional(z.string()),
    LOG_LEVEL: z.preprocess(blankToUndefined, z.enum(['debug', 'info', 'warn', 'error']).default('info')),
    STORE_READ_TIMEOUT_MS: timeLimit(DEFAULT_TIME_LIMITS.readMs),
    STORE_WRITE_TIMEOUT_MS: timeLimit(DEFAULT_TIME_LIMITS.writeMs),
    MONGODB_CREATE_INDEXES: z.preprocess(
      blankToUndefined,
      z
        .enum(['true', 'false', '1', '0'], 'must be true or false')
        .default('true')
        .transform((v) => v === 'true' || v === '1'),
    ),
  })
  .superRefine((env, ctx) => {
    const slack = env.SLACK_BOT_TOKEN || env.SLACK_SIGNING_SECRET || env.SLACK_APP_TOKEN;
    if (!slack) return;
    if (!env.SLACK_BOT_TOKEN)
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_BOT_TOKEN'],
        message: 'is required to talk to Slack (OAuth & Permissions)',
      });
    if (!env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN)
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message: 'is required for HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)',
      });
    if (!env.MONGODB_URI)
      ctx.addIssue({
        code: 'custom',
        path: ['MONGODB_URI'],
        message:
          'is required with Slack: mongodb://… for real data, or memory:// to try it (data is lost at exit)',
      });
  });

export type Env = z.infer<typeof schema>;

/** Secrets and settings of the platform webhooks (`/webhooks/…`). */
export interface WebhookSettings {
  /** respond.io signing keys; none means POST /webhooks/respondio answers 503. */
  respondioSecrets: string[];
  /** Chatwoot secrets by account id: an account listed here must sign. */
  chatwootSecrets: ReadonlyMap<string, string[]>;
  /**
   * Chatwoot accounts whose builds cannot sign, accepted unsigned (CHATWOOT_UNSIGNED_ACCOUNTS). Any other account
   * without a secret is refused with 503.
   */
  chatwootUnsignedAccounts?: ReadonlySet<string>;
  /** Chatwoot user ids by account id whose tokens integrations use: their changes count as Developer API. */
  chatwootApiUsers: ReadonlyMap<string, string[]>;
  /** Intercom app client secret; none means POST /webhooks/intercom answers 503. */
  intercomClientSecret?: string;
}

export interface Config {
  mode: 'slack' | 'console';
  slack?: { botToken: string; signingSecret?: string; appToken?: string; apiUrl?: string };
  mongodbUri?: string;
  mongodbDb: string;
  ingestToken?: string;
  port: number;
  defaultTimezone: string;
  quickchartUrl: string;
  /** `quickchart`: charts are QuickChart URLs; `local`: drawn in process and uploaded to Slack (or written to disk). */
  charts: 'quickchart' | 'local';
  allowedUsers: string[];
  /** Slack user ids who manage digests; empty means workspace admins and owners (users.info). */
  digestAdmins: string[];
  webhooks: WebhookSettings;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** How long a store read (reports, views, digest reads, each export batch) and write may take. */
  storeLimits: TimeLimits;
  /** Create missing indexes at start (MONGODB_CREATE_INDEXES); false for managed deployments. */
  createIndexes: boolean;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

/** Reads the environment once; every problem is reported together, each with how to fix it. */
export function parseConfig(env: NodeJS.ProcessEnv = process.env): ConfigResult {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'} ${i.message}`),
    };
  }
  const e = parsed.data;
  const slack = e.SLACK_BOT_TOKEN
    ? {
        botToken: e.SLACK_BOT_TOKEN,
        ...(e.SLACK_SIGNING_SECRET ? { signingSecret: e.SLACK_SIGNING_SECRET } : {}),
        ...(e.SLACK_APP_TOKEN ? { appToken: e.SLACK_APP_TOKEN } : {}),
        ...(e.SLACK_API_URL ? { apiUrl: e.SLACK_API_URL } : {}),
      }
    : undefined;
  return {
    ok: true,
    config: {
      mode: slack ? 'slack' : 'console',
      ...(slack ? { slack } : {}),
      ...(e.MONGODB_URI ? { mongodbUri: e.MONGODB_URI } : {}),
      mongodbDb: e.MONGODB_DB,
      ...(e.INGEST_TOKEN ? { ingestToken: e.INGEST_TOKEN } : {}),
      port: e.PORT,
      defaultTimezone: e.DEFAULT_TIMEZONE,
      quickchartUrl: e.QUICKCHART_URL,
      charts: e.CHARTS,
      allowedUsers: e.ALLOWED_USERS,
      digestAdmins: e.DIGEST_ADMINS,
      webhooks: {
        respondioSecrets: e.RESPONDIO_WEBHOOK_SECRETS,
        chatwootSecrets: e.CHATWOOT_WEBHOOK_SECRETS,
        chatwootApiUsers: e.CHATWOOT_API_USERS,
        chatwootUnsignedAccounts: e.CHATWOOT_UNSIGNED_ACCOUNTS,
        ...(e.INTERCOM_CLIENT_SECRET ? { intercomClientSecret: e.INTERCOM_CLIENT_SECRET } : {}),
      },
      logLevel: e.LOG_LEVEL,
      storeLimits: { readMs: e.STORE_READ_TIMEOUT_MS, writeMs: e.STORE_WRITE_TIMEOUT_MS },
      createIndexes: e.MONGODB_CREATE_INDEXES,
    },
  };
}
