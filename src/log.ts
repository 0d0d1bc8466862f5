import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

const OPTIONS: LoggerOptions = {
  base: undefined,
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
