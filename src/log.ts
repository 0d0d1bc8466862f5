import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** Enough for the configured secrets and the tokens of the last days (a token lives 2 h). */
const MAX_SECRET_VALUES = 64;
/** A secret in a query string (an HTTP library's error message quoting the URL). */
const QUERY_SECRET = /\b(access_token|corpsecret|secret|encodingaeskey)=[^&\s"'\\]+/gi;

/** Secrets and live access tokens one logger never writes, by value: whatever field or message they end up in. */
export class SecretList {
  private readonly values = new Set<string>();

  /** Adds a value (the oldest goes past {@link MAX_SECRET_VALUES}); short or empty values are ignored. */
  add(value: string | undefined): void {
    if (!value || value.length < 6 || this.values.has(value)) return;
    this.values.add(value);
    if (this.values.size > MAX_SECRET_VALUES) this.values.delete(this.values.values().next().value!);
  }

  /** `line` with every value and every secret-looking query parameter replaced by `[redacted]`. */
  scrub(line: string): string {
    let out = line.replace(QUERY_SECRET, '$1=[redacted]');
    for (const value of this.values) {
      if (out.includes(value)) out = out.split(value).join('[redacted]');
    }
    return out;
  }
}

/** Where a logger (and its children, which inherit it) keeps its {@link SecretList}. */
const SECRETS = Symbol.for('wecom-contact-ops.log-secrets');

/**
 * Makes `log` (and its children) write `[redacted]` where `value` would appear: the configuration's secrets are
 * registered at start, the WeCom client registers each access token it uses. A logger that writes nothing keeps none.
 */
export function registerSecret(log: Logger, value: string | undefined): void {
  (log as Logger & { [SECRETS]?: SecretList })[SECRETS]?.add(value);
}

/** A pino logger over `destination` whose every finished line passes through its own {@link SecretList}. */
function scrubbing(level: string, destination: NodeJS.WritableStream): Logger {
  const secrets = new SecretList();
  // The last line of defence, on the finished line: redaction by field name goes first, this by value.
  const logger = pino({ ...OPTIONS, hooks: { streamWrite: (line) => secrets.scrub(line) }, level }, destination);
  Object.defineProperty(logger, SECRETS, { value: secrets });
  return logger;
}

const OPTIONS: LoggerOptions = {
  base: undefined,
  // Read by people and log pipelines alike: "level":"warn" and an ISO time, not 40 and epoch milliseconds.
  formatters: { level: (label) => ({ level: label }) },
  timestamp: pino.stdTimeFunctions.isoTime,
  redact: {
    paths: ['secret', 'corpsecret', 'access_token', 'token', 'encodingAesKey', '*.secret', '*.access_token', '*.token'],
    censor: '[redacted]',
  },
};

/**
 * The process logger: JSON, one line per event. Secrets are redacted by path as a second line of defence; code
 * never passes them in the first place.
 */
export function createLogger(level: string = 'info', destination?: NodeJS.WritableStream): Logger {
  return scrubbing(level, destination ?? process.stdout);
}

/**
 * The logger for a person watching a terminal (the demo): the same events and the same redaction, written by
 * pino-pretty as one coloured line each (`12:00:01 INFO  started {"url":…}`) instead of JSON. Loaded only when
 * asked for, so a server writing JSON never pays for it.
 */
export async function createTerminalLogger(level: string = 'info', destination?: NodeJS.WritableStream): Promise<Logger> {
  // A development dependency: a production install (npm ci --omit=dev) writes JSON even to a terminal.
  const loaded = await import('pino-pretty').catch(() => undefined);
  if (!loaded) return createLogger(level, destination);
  const pretty = loaded.default;
  const stream = pretty({
    destination: destination ?? process.stdout,
    colorize: destination === undefined && process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss',
    messageFormat: '{event}{if message} · {message}{end}',
    ignore: 'event,message',
    singleLine: true,
    sync: true,
  });
  return scrubbing(level, stream);
}

/** A logger that writes nothing (tests, library use). */
export const silentLogger: Logger = pino({ level: 'silent' });
