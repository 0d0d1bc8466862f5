import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';

/** The three reply locales of the bot. */
export const LOCALES = ['zh-Hans', 'zh-Hant', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** How the bot talks to one WeCom corp (production) or to the embedded simulator (demo). */
export interface WeComConfig {
  corpId: string;
  agentId: number;
  agentSecret: string;
  /** Secret of the 客户联系 app for externalcontact APIs; defaults to agentSecret. */
  contactSecret: string;
  /** Callback Token (signature). */
  token: string;
  /** Callback EncodingAESKey (43 chars, decodes to 32 bytes). */
  encodingAesKey: string;
  apiBase: string;
}

/** The 智能机器人's transports: either, both or neither. */
export interface AibotConfig {
  /** AIBOT_ID, AIBOT_SECRET, AIBOT_WS_URL (default WeCom's wss://openws.work.weixin.qq.com). */
  ws?: { botId: string; secret: string; wsUrl?: string };
  /** AIBOT_TOKEN, AIBOT_ENCODING_AES_KEY: the webhook at /wecom/aibot. */
  webhook?: { token: string; encodingAesKey: string };
}

/** The validated process configuration. */
export interface Config {
  /** `demo` when WECOM_CORP_ID is unset: the bot runs against its embedded simulator. */
  mode: 'production' | 'demo';
  /** Present in production; in demo mode the simulator provides it at start. */
  wecom: WeComConfig | undefined;
  port: number;
  host: string;
  /** METRICS_PORT and METRICS_HOST (default 127.0.0.1): where Prometheus reads /metrics; off when METRICS_PORT is unset. */
  metrics?: { port: number; host: string };
  /** Production default `sqlite://./data/bot.sqlite`; the demo's own default is `sqlite://./data/demo.sqlite`. */
  storeUrl: string;
  /** STORE_PREFIX: the first part of every key on a shared Redis (default `wco`), so deployments can share one. */
  storePrefix: string;
  /** BOT_ADMINS: the root admins (chat cannot remove them). */
  admins: string[];
  managers: string[];
  /** BOT_MANAGERS_FROM_LEADERS=true: department leaders (is_leader_in_dept) are managers. */
  managersFromLeaders: boolean;
  /** NODE_ENV=production: demo mode is refused. */
  production: boolean;
  locale: Locale;
  /** BOT_TIMEZONE: the corp's time zone (IANA name), for periods such as 上周 and 本月. */
  timeZone: string;
  /** BOT_QUIET_HOURS (`22-8`, the default; `0-0` for none): whole hours in the corp's time zone when notices that can wait, wait. */
  quietHours: { from: number; until: number };
  /**
   * BOT_WEEKLY_DIGEST (`mon 09:00` by default) and BOT_DAILY_REMINDER (`09:30`), or `off`: when the managers' weekly
   * digest and the admins' resigned-customers reminder go, by schedule id.
   */
  schedules: Record<string, { weekday?: number; hour: number; minute: number } | 'off'>;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /**
   * BOT_LLM_URL, BOT_LLM_KEY, BOT_LLM_MODEL: an OpenAI-compatible endpoint tried for plain sentences the grammar cannot
   * read (off when BOT_LLM_URL is unset). It only ever proposes a command line the member sees before anything runs.
   */
  llm?: LlmConfig;
  /** The 智能机器人 beside the app: its long connection (AIBOT_ID, AIBOT_SECRET, AIBOT_WS_URL) and/or its webhook. */
  aibot: AibotConfig;
}

/** An OpenAI-compatible chat-completions endpoint. */
export interface LlmConfig {
  url: string;
  key: string | undefined;
  model: string;
}

/** A configuration problem; `message` is one line naming the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** The CorpID of the embedded simulator's corp (the demo's, unless a test names another). */
export const DEMO_CORP_ID = 'wwsim0000000000001';

/** Where a production bot keeps its state unless STORE_URL says otherwise. */
export const PRODUCTION_STORE_URL = 'sqlite://./data/bot.sqlite';
/** Where the demo keeps its state: never the production default, so nothing typed in the demo reaches a real corp. */
export const DEMO_STORE_URL = 'sqlite://./data/demo.sqlite';

/** The bigger corps a demo can run on (`npm run demo -- --corp big`): the simulator's presets. */
export const DEMO_CORPS = ['big', 'mid'] as const;
export type DemoCorp = (typeof DEMO_CORPS)[number];

/** The demo's store of a bigger corp: a file of its own, so one corp's directory and indexes never meet another's. */
export function demoStoreUrl(corp: DemoCorp | undefined): string {
  return corp ? DEMO_STORE_URL.replace(/demo\.sqlite$/, `demo-${corp}.sqlite`) : DEMO_STORE_URL;
}

const nonEmpty = z.string().trim().min(1, 'must not be empty');

/** True for a time zone this Node knows (an IANA name such as Asia/Shanghai). */
function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** An EncodingAESKey (the app's callback, the 智能机器人's webhook): 43 characters that decode to an AES-256 key. */
const encodingAesKey = z
  .string()
  .trim()
  .length(43, 'must be exactly 43 characters')
  .refine((v) => /^[A-Za-z0-9]+$/.test(v) && Buffer.from(`${v}=`, 'base64').length === 32, {
    message: 'must be 43 letters or digits that base64-decode to 32 bytes',
  });

/** A callback Token: 1 to 32 letters or digits. */
const callbackToken = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{1,32}$/, `must be 1 to 32 letters or digits (${what})`);

const rules = {
  WECOM_CORP_ID: nonEmpty,
  WECOM_AGENT_ID: z
    .string()
    .trim()
    .regex(/^\d{1,10}$/, 'must be an integer (the app AgentId)'),
  WECOM_AGENT_SECRET: nonEmpty,
  WECOM_CONTACT_SECRET: nonEmpty,
  WECOM_TOKEN: callbackToken('the callback Token'),
  WECOM_ENCODING_AES_KEY: encodingAesKey,
  AIBOT_ID: nonEmpty,
  AIBOT_SECRET: nonEmpty,
  AIBOT_WS_URL: z
    .string()
    .trim()
    .regex(/^wss?:\/\/[^\s]+$/, 'must be a ws:// or wss:// URL'),
  AIBOT_TOKEN: callbackToken('the 智能机器人 Token'),
  AIBOT_ENCODING_AES_KEY: encodingAesKey,
  WECOM_API_BASE: z
    .string()
    .trim()
    .url('must be an http(s) URL')
    .regex(/^https?:\/\//, 'must be an http(s) URL'),
  PORT: z
    .string()
    .trim()
    .regex(/^\d{1,5}$/, 'must be a port number')
    .refine((v) => Number(v) <= 65535, 'must be ≤ 65535'),
  HOST: nonEmpty,
  METRICS_PORT: z
    .string()
    .trim()
    .regex(/^\d{1,5}$/, 'must be a port number')
    .refine((v) => Number(v) <= 65535, 'must be ≤ 65535'),
  METRICS_HOST: nonEmpty,
  STORE_PREFIX: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be 1 to 32 letters, digits, - or _'),
  BOT_MANAGERS_FROM_LEADERS: z
    .string()
    .trim()
    .regex(/^(true|false|1|0|yes|no)$/i, 'must be true or false'),
  STORE_URL: z
    .string()
    .trim()
    .regex(/^(sqlite:\/\/.+|redis:\/\/.+|rediss:\/\/.+|memory:\/\/)$/, 'must be sqlite://<path>, redis://host:port[/db] or memory://'),
  BOT_LOCALE: z.enum(LOCALES, { message: `must be one of ${LOCALES.join(', ')}` }),
  BOT_TIMEZONE: z.string().trim().refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai'),
  BOT_WEEKLY_DIGEST: z
    .string()
    .trim()
    .regex(/^(off|(mon|tue|wed|thu|fri|sat|sun)\s+([01]?\d|2[0-3]):[0-5]\d)$/i, 'must be a weekday and a time such as mon 09:00, or off'),
  BOT_DAILY_REMINDER: z
    .string()
    .trim()
    .regex(/^(off|([01]?\d|2[0-3]):[0-5]\d)$/i, 'must be a time such as 09:30, or off'),
  BOT_QUIET_HOURS: z
    .string()
    .trim()
    .regex(/^([01]?\d|2[0-3])(:00)?-([01]?\d|2[0-3])(:00)?$/, 'must be two whole hours such as 22-8 (22:00 to 08:00), or 0-0 for none'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'must be one of fatal, error, warn, info, debug, trace, silent',
  }),
  BOT_LLM_URL: z
    .string()
    .trim()
    .url('must be an http(s) URL of an OpenAI-compatible endpoint')
    .regex(/^https?:\/\//, 'must be an http(s) URL'),
  BOT_LLM_KEY: nonEmpty,
  BOT_LLM_MODEL: nonEmpty,
  USERID_LIST: z.string().regex(/^[^\s,]+(,[^\s,]+)*$|^$/, 'must be comma-separated UserIDs without spaces'),
} as const;

function check<K extends keyof typeof rules>(env: Env, name: K, fallback?: string, rule?: z.ZodType<string>): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') {
    return fallback;
  }
  const result = (rule ?? rules[name]).safeParse(raw);
  if (!result.success) {
    throw new ConfigError(name, result.error.issues[0]?.message ?? 'is not valid');
  }
  return (result.data as string).trim();
}

function required<K extends keyof typeof rules>(env: Env, name: K): string {
  const value = check(env, name);
  if (value === undefined) {
    throw new ConfigError(name, 'is required when WECOM_CORP_ID is set');
  }
  return value;
}

function userIdList(env: Env, name: 'BOT_ADMINS' | 'BOT_MANAGERS'): string[] {
  const raw = (env[name] ?? '').replace(/\s+/g, '');
  const result = rules.USERID_LIST.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(name, result.error.issues[0]?.message ?? 'is not valid');
  }
  return raw === '' ? [] : raw.split(',');
}

/**
 * Reads a `.env` file into a plain object (no mutation of `process.env`).
 * A missing file is an empty environment; a file that cannot be read is an error naming it.
 */
export function readEnvFile(path: string): Env {
  if (!existsSync(path)) {
    return {};
  }
  try {
    return parseEnv(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(path, `cannot be read (${(err as Error).message})`);
  }
}

/**
 * Turns the environment contract (`../shared/commands.md`) into a typed {@link Config}.
 * `fileEnv` comes from `.env`; a variable set in `processEnv` wins over it.
 * @throws ConfigError naming the first missing or malformed variable.
 */
export function loadConfig(processEnv: Env, fileEnv: Env = {}): Config {
  const env: Env = { ...fileEnv };
  for (const [k, v] of Object.entries(processEnv)) {
    if (v !== undefined) env[k] = v;
  }

  const corpId = check(env, 'WECOM_CORP_ID');
  const production = (env.NODE_ENV ?? '').trim() === 'production';
  if (corpId === undefined && production) {
    throw new ConfigError('WECOM_CORP_ID', 'is required when NODE_ENV=production (demo mode is refused in production; check that the .env file was read)');
  }
  let wecom: WeComConfig | undefined;
  if (corpId !== undefined) {
    const agentSecret = required(env, 'WECOM_AGENT_SECRET');
    wecom = {
      corpId,
      agentId: Number(required(env, 'WECOM_AGENT_ID')),
      agentSecret,
      contactSecret: check(env, 'WECOM_CONTACT_SECRET') ?? agentSecret,
      token: required(env, 'WECOM_TOKEN'),
      encodingAesKey: required(env, 'WECOM_ENCODING_AES_KEY'),
      apiBase: (check(env, 'WECOM_API_BASE') ?? 'https://qyapi.weixin.qq.com').replace(/\/+$/, ''),
    };
  }
  return {
    mode: wecom ? 'production' : 'demo',
    wecom,
    port: Number(check(env, 'PORT', '3000')),
    host: check(env, 'HOST', '0.0.0.0') as string,
    ...metricsConfig(env),
    storeUrl: check(env, 'STORE_URL', wecom ? PRODUCTION_STORE_URL : DEMO_STORE_URL) as string,
    storePrefix: check(env, 'STORE_PREFIX', 'wco') as string,
    admins: userIdList(env, 'BOT_ADMINS'),
    managers: userIdList(env, 'BOT_MANAGERS'),
    managersFromLeaders: /^(true|1|yes)$/i.test(check(env, 'BOT_MANAGERS_FROM_LEADERS', 'false') as string),
    production,
    locale: check(env, 'BOT_LOCALE', 'zh-Hans') as Locale,
    timeZone: check(env, 'BOT_TIMEZONE', 'Asia/Shanghai') as string,
    quietHours: quietHours(check(env, 'BOT_QUIET_HOURS', '22-8') as string),
    schedules: {
      'subscribe.weekly': slotTime(check(env, 'BOT_WEEKLY_DIGEST', 'mon 09:00') as string),
      'subscribe.resigned': slotTime(check(env, 'BOT_DAILY_REMINDER', '09:30') as string),
    },
    logLevel: check(env, 'LOG_LEVEL', 'info') as Config['logLevel'],
    ...llmConfig(env),
    aibot: aibotConfig(env),
  };
}

function aibotConfig(env: Env): AibotConfig {
  const botId = check(env, 'AIBOT_ID');
  const token = check(env, 'AIBOT_TOKEN');
  const wsUrl = check(env, 'AIBOT_WS_URL');
  // Half a pair is a mistake to name, not a transport to leave off without a word.
  if (botId === undefined && (check(env, 'AIBOT_SECRET') !== undefined || wsUrl !== undefined)) {
    throw new ConfigError('AIBOT_ID', 'is required when AIBOT_SECRET or AIBOT_WS_URL is set (the 智能机器人’s Bot ID)');
  }
  if (token === undefined && check(env, 'AIBOT_ENCODING_AES_KEY') !== undefined) {
    throw new ConfigError('AIBOT_TOKEN', 'is required when AIBOT_ENCODING_AES_KEY is set (the 智能机器人 webhook’s Token)');
  }
  return {
    ...(botId !== undefined ? { ws: { botId, secret: required(env, 'AIBOT_SECRET'), ...(wsUrl ? { wsUrl } : {}) } } : {}),
    ...(token !== undefined ? { webhook: { token, encodingAesKey: required(env, 'AIBOT_ENCODING_AES_KEY') } } : {}),
  };
}

function metricsConfig(env: Env): Pick<Config, 'metrics'> {
  const port = check(env, 'METRICS_PORT');
  // Never on the public port's interfaces unless asked: the figures say how the corp uses the bot.
  return port === undefined ? {} : { metrics: { port: Number(port), host: check(env, 'METRICS_HOST', '127.0.0.1') as string } };
}

function llmConfig(env: Env): Pick<Config, 'llm'> {
  const url = check(env, 'BOT_LLM_URL');
  if (url === undefined) return {};
  return { llm: { url: url.replace(/\/+$/, ''), key: check(env, 'BOT_LLM_KEY'), model: check(env, 'BOT_LLM_MODEL', 'gpt-4o-mini') as string } };
}

/** A configuration and where it came from. */
export interface LoadedConfig {
  config: Config;
  /** The absolute path of the `.env` file that was read, or undefined when there was none. */
  envFile: string | undefined;
}

/**
 * What `npm start` and `npm run check` read: `.env` in the working directory (when there is one) under the process
 * environment.
 * @throws ConfigError naming the first missing or malformed variable.
 */
export function loadConfigFromEnvironment(processEnv: Env = process.env, cwd: string = process.cwd()): LoadedConfig {
  const path = resolve(cwd, '.env');
  const present = existsSync(path);
  return { config: loadConfig(processEnv, present ? readEnvFile(path) : {}), envFile: present ? path : undefined };
}

/**
 * STORE_URL as it may be shown (logs, messages): whatever stands before the host of a Redis URL (a user and a password,
 * which may hold any character) is replaced; a URL that does not read as one shows its scheme only.
 */
export function displayStoreUrl(url: string): string {
  if (!/^rediss?:\/\//.test(url)) return url;
  const scheme = url.slice(0, url.indexOf('://') + 3);
  const rest = url.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  if (at < 0) return url;
  const host = rest.slice(at + 1);
  return /^[\w.[\]:-]+(\/\d*)?$/.test(host) ? `${scheme}***@${host}` : `${scheme}…`;
}

/** `22-8` or `22:00-08:00` as whole hours. */
function quietHours(text: string): { from: number; until: number } {
  const [from, until] = text.split('-').map((part) => Number.parseInt(part, 10));
  return { from: from!, until: until! };
}

/** `mon 09:00`, `09:30` or `off` as a slot time (weekday 1 is Monday). */
function slotTime(text: string): { weekday?: number; hour: number; minute: number } | 'off' {
  if (text.toLowerCase() === 'off') return 'off';
  const [first, second] = text.toLowerCase().split(/\s+/);
  const day = second ? ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].indexOf(first!) : undefined;
  const [hour, minute] = (second ?? first!).split(':').map(Number);
  return { ...(day !== undefined ? { weekday: day } : {}), hour: hour!, minute: minute! };
}
