import { LOCALES, type Config, type Locale } from '../config.js';
import { t } from '../i18n/index.js';

/**
 * The language of an operator tool: `--lang <locale>` if given, else BOT_LOCALE (from the configuration when it
 * loaded, else the raw variable), else zh-Hans.
 */
export function toolLocale(argv: readonly string[], config?: Config): Locale {
  const flag = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
  const word = flag < 0 ? undefined : argv[flag]!.includes('=') ? argv[flag]!.split('=')[1] : argv[flag + 1];
  const chosen = [word, config?.locale, process.env.BOT_LOCALE].find((w): w is Locale => LOCALES.includes(w as Locale));
  return chosen ?? 'zh-Hans';
}

/** How a corp is named in the tools' lines: `the demo`, or `corp ww…`. */
export function corpName(locale: Locale, corp: string | undefined): string {
  if (corp === undefined) return t(locale, 'ops.corp.unknown');
  return corp === 'demo' ? t(locale, 'ops.corp.demo') : t(locale, 'ops.corp.named', { corp });
}

/** A size for people: KB below a megabyte, else MB. */
export function sizeOf(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
