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

/** An http(s) URL with a host: `quickchart.local:3400` would parse as the scheme `quickchart.local:`. */
const httpUrl = (example: string) =>
  z.url({
    protocol: /^https?$/,
    hostname: z.regexes.hostname,
    error: `must be an http(s) URL such as ${example}`,
  });

/** Whether a mongodb:// or mongodb+srv:// URI names at least one host (memory:// needs none). */
function namesMongoHosts(uri: string): boolean {
  if (uri.startsWith('memory:')) return true;
  const afterScheme = uri.slice(uri.indexOf('://') + 3);
  const hosts =
    afterScheme.slice(afterScheme.lastIndexOf('@', afterScheme.search(/[/?]|$/)) + 1).split(/[/?]/)[0] ?? '';
  return hosts.split(',').every((host) => host.trim() !== '');
}

const GRACE_PROBLEM =
  "must be a whole number of seconds from 0 to 600, e.g. 25 (keep it under Kubernetes' 30 s terminationGracePeriodSeconds)";

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
/** MONGODB_DB: a database name MongoDB accepts, `handoff` when unset (the import commands read it too). */
export const mongodbDbSchema = z.preprocess(
  blankToUndefined,
  z
    .string()
    .regex(
      /^[^/\\. "$]{1,63}$/,
      'must be a database name of at most 63 characters without / \\ . " $ or spaces',
    )
    .default('handoff'),
);
const optional = (schema: z.ZodType<string, string>) => z.preprocess(blankToUndefined, schema.optional());

const schema = z.object({
  SLACK_BOT_TOKEN: optional(z.string().startsWith('xoxb-', 'must be a bot token starting with xoxb-')),
  SLACK_SIGNING_SECRET: optional(z.string().min(8, 'looks too short: copy it from Basic Information')),
  SLACK_APP_TOKEN: optional(z.string().startsWith('xapp-', 'must be an app-level token starting with xapp-')),
  SLACK_API_URL: optional(httpUrl('https://slack.com/api/')),
  MONGODB_URI: optional(
    z
      .string()
      .regex(
        /^(mongodb(\+srv)?:\/\/|memory:\/\/$)/,
        'must start with mongodb://, mongodb+srv:// or be memory://',
      )
      .refine(
        namesMongoHosts,
        'names no host: write it as mongodb://HOST:27017/ (or mongodb+srv://CLUSTER.example.net/)',
      ),
  ),
  MONGODB_DB: mongodbDbSchema,
  INGEST_TOKEN: optional(z.string().min(16, 'must be at least 16 characters (e.g. openssl rand -hex 24)')),
  PORT: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^\d{1,5}$/, 'must be a whole number from 0 to 65535, e.g. PORT=3000')
      .transform(Number)
      .refine((port) => port <= 65535, 'must be a whole number from 0 to 65535, e.g. PORT=3000')
      .default(3000),
  ),
  DEFAULT_TIMEZONE: z.preprocess(
    blankToUndefined,
    z
      .string()
      .refine(isValidZone, 'is not an IANA time zone such as Asia/Kuala_Lumpur or UTC')
      // Shown and stored by its canonical name: `asia/kuala_lumpur` is Asia/Kuala_Lumpur, Europe/Kiev Europe/Kyiv.
      .transform((zone) => canonicalZone(zone) ?? zone)
      .default('UTC'),
  ),
  QUICKCHART_URL: z.preprocess(
    blankToUndefined,
    httpUrl('https://quickchart.io or http://quickchart.local:3400').default('https://quickchart.io'),
  ),
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
  // How long exports, imports and digest rounds may run on after SIGTERM.
  SHUTDOWN_GRACE_SECONDS: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^\d{1,3}$/, GRACE_PROBLEM)
      .transform(Number)
      .refine((seconds) => seconds <= 600, GRACE_PROBLEM)
      .default(25),
  ),
  LOG_LEVEL: z.preprocess(
    blankToUndefined,
    z.enum(['debug', 'info', 'warn', 'error'], 'must be one of debug, info, warn, error').default('info'),
  ),
  STORE_READ_TIMEOUT_MS: timeLimit(DEFAULT_TIME_LIMITS.readMs),
  STORE_WRITE_TIMEOUT_MS: timeLimit(DEFAULT_TIME_LIMITS.writeMs),
  MONGODB_CREATE_INDEXES: z.preprocess(
    blankToUndefined,
    z
      .enum(['true', 'false', '1', '0'], 'must be true or false')
      .default('true')
      .transform((v) => v === 'true' || v === '1'),
  ),
});

/**
 * What Slack mode needs besides each variable being well formed. Read from the raw environment, so these are
 * listed together with every malformed variable, never only once those are fixed.
 */
function slackModeProblems(env: NodeJS.ProcessEnv): string[] {
  const set = (name: string) => (env[name] ?? '').trim() !== '';
  if (!set('SLACK_BOT_TOKEN') && !set('SLACK_SIGNING_SECRET') && !set('SLACK_APP_TOKEN')) return [];
  return [
    ...(set('SLACK_BOT_TOKEN') ? [] : ['SLACK_BOT_TOKEN is required to talk to Slack (OAuth & Permissions)']),
    ...(set('SLACK_SIGNING_SECRET') || set('SLACK_APP_TOKEN')
      ? []
      : ['SLACK_SIGNING_SECRET is required for HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)']),
    ...(set('MONGODB_URI')
      ? []
      : [
          'MONGODB_URI is required with Slack: mongodb://… for real data, or memory:// to try it (data is lost at exit)',
        ]),
  ];
}

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
  /** After SIGTERM, how long running exports, imports and digest rounds may finish before they are cancelled. */
  shutdownGraceSeconds: number;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

/** Reads the environment once; every problem is reported together, each with how to fix it. */
export function parseConfig(env: NodeJS.ProcessEnv = process.env): ConfigResult {
  const parsed = schema.safeParse(env);
  const problems = [
    ...(parsed.success
      ? []
      : parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'} ${i.message}`)),
    ...slackModeProblems(env),
  ];
  if (!parsed.success || problems.length > 0) return { ok: false, problems };
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
      shutdownGraceSeconds: e.SHUTDOWN_GRACE_SECONDS,
    },
  };
}
