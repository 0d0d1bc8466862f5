import { LOCALES, type Config, type Locale } from '../config.js';
import { has, t } from '../i18n/index.js';
import type { CheckResult } from './checks.js';

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

/** Parameters that name a corp (`stored`, `current`), said as people read them. */
const CORP_PARAMS = ['stored', 'current'] as const;

/**
 * A check's line in `locale`: `✓ 应用（WECOM_AGENT_ID）：「客户联系助手」，AgentId 1000002`. The text is the check's own
 * outcome, or the outcome every check shares (`ip`, `refused`, `unreachable`, `skipped`).
 */
export function checkLine(locale: Locale, result: CheckResult): string {
  const own = `ops.check.${result.id}.${result.outcome}`;
  const params: Record<string, string | number> = { ...result.params };
  for (const [name, people] of Object.entries(result.people ?? {})) {
    params[name] = people
      .map((p) => (p.name ? t(locale, 'common.memberLabel', { name: p.name, userid: p.userid }) : p.userid))
      .join(t(locale, 'common.listSeparator'));
  }
  for (const name of CORP_PARAMS) if (typeof params[name] === 'string') params[name] = corpName(locale, params[name] as string);
  const text = t(locale, has(locale, own) ? own : `ops.check.common.${result.outcome}`, params);
  const mark = result.status === 'pass' ? '✓' : result.status === 'fail' ? '✗' : '–';
  return t(locale, 'ops.check.line', { mark, title: t(locale, `ops.check.${result.id}.title`), text });
}
