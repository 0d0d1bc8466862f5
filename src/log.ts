import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * The process logger: JSON, one line per event. Secrets are redacted by path as a second line of defence; code
 * never passes them in the first place.
 */
export function createLogger(level: string = 'info', destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: ['secret', 'corpsecret', 'access_token', 'token', 'encodingAesKey', '*.secret', '*.access_token', '*.token'],
        censor: '[redacted]',
      },
    },
    destination ?? process.stdout,
  );
}

/** A logger that writes nothing (tests, library use). */
export const silentLogger: Logger = pino({ level: 'silent' });
