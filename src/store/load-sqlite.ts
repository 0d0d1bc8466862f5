import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Loads the built-in `node:sqlite`. Node 22 prints a one-line ExperimentalWarning the first time it is loaded; an
 * operator can do nothing about it and it reads like a fault in the demo, so exactly that warning is swallowed
 * (by type and text, only while this module loads). Every other warning still shows.
 */
export function loadSqlite(): typeof import('node:sqlite') {
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    const name = typeof warning === 'string' ? type : warning.name;
    if ((name === 'ExperimentalWarning' || type === 'ExperimentalWarning') && /SQLite/i.test(text)) return;
    (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return require('node:sqlite') as typeof import('node:sqlite');
  } finally {
    process.emitWarning = emitWarning;
  }
}
