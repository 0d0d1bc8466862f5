import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** Secrets and live access tokens, by value: whatever field or message they end up in, they are not written. */
const secretValues = new Set<string>();
/** Enough for the configured secrets and the tokens of the last days (a token lives 2 h). */
const MAX_SECRET_VALUES = 64;
/** A secret in a query string (an HTTP library's error message quoting the URL). */
const QUERY_SECRET = /\b(access_token|corpsecret|secret|encodingaeskey)=[^&\s"'\\]+/gi;

/**
 * Makes every logger of this process write `[redacted]` where `value` would appear. The configuration's secrets
 * are registered at start; the WeCom client registers each access token it uses.
 */
export function registerSecret(value: string | undefined): void {
  if (!value || value.length < 6 || secretValues.has(value)) return;
  secretValues.add(value);
  if (secretValues.size > MAX_SECRET_VALUES) secretValues.delete(secretValues.values().next().value!);
}

/** `line` with every registered secret and every secret-looking query parameter replaced by `[redacted]`. */
export function scrubSecrets(line: string): string {
  let out = line.replace(QUERY_SECRET, '$1=[redacted]');
  for (const value of secretValues) {
    if (out.includes(value)) out = out.split(value).join('[redacted]');
  }
  return out;
}

const OPTIONS: LoggerOptions = {
  base: undefined,
  redact: {
    paths: ['secret', 'corpsecret', 'access_token', 'token', 'encodingAesKey', '*.secret', '*.access_token', '*.token'],
    censor: '[redacted]',
  },
  // The last line of defence, on the finished line: redaction above goes by field name, this by value.
  hooks: { streamWrite: scrubSecrets },
};

/**
 * The process logger: JSON, one line per event. Secrets are redacted by path as a second line of defence; code
 * never passes them in the first place.
 */
export function createLogger(level: string = 'info', destination?: NodeJS.WritableStream): Logger {
  return pino({ ...OPTIONS, level }, destination ?? process.stdout);
}

/**
 * The logger for a person watching a terminal (the demo): the same events and the same redaction, written by
 * pino-pretty as one coloured line each (`12:00:01 INFO  started {"url":…}`) instead of JSON. Loaded only when
 * asked for, so a server writing JSON never pays for it.
 */
export async function createTerminalLogger(level: string = 'info', destination?: NodeJS.WritableStream): Promise<Logger> {
  const { default: pretty } = await import('pino-pretty');
  const stream = pretty({
    destination: destination ?? process.stdout,
    colorize: destination === undefined && process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss',
    messageFormat: '{event}{if message} · {message}{end}',
    ignore: 'event,message',
    singleLine: true,
    sync: true,
  });
  return pino({ ...OPTIONS, level }, stream);
}

/** A logger that writes nothing (tests, library use). */
export const silentLogger: Logger = pino({ level: 'silent' });
