import type { Locale } from '../config.js';
import { t } from '../i18n/index.js';
import type { Logger } from '../log.js';
import type { Reply } from '../render/reply.js';
import type { Store } from '../store/index.js';
import type { WeComFault } from '../wecom/index.js';
import type { Preferences } from './preferences.js';
import type { Roles } from './roles.js';
import type { Channel } from '../channel/channel.js';

/** At most one message per kind of fault in this long, across every instance. */
export const ALERT_WINDOW_MS = 3600_000;
/**
 * When no admin could be told (the fault may block the messages too: an untrusted IP, a refused app secret), the next
 * report of the kind tries again after this long instead of an hour.
 */
const RETRY_UNDELIVERED_MS = 5 * 60_000;

/** What an alert says in one locale: a title that carries the meaning, and lines that say what to do. */
export interface AlertText {
  title: string;
  lines: string[];
}

/** What became of a report. */
export type AlertOutcome = 'sent' | 'suppressed' | 'nobody' | 'undeliverable';

/**
 * Tells the admins (the root ones and those given in chat) about a fault that needs one of them: one WeCom message per
 * kind of fault per hour at most (a claim in the store, so several instances send one), each admin in their own
 * language, saying what happened and what to do. Every report is logged, sent or not.
 */
export class Alerts {
  /** The kinds of fault reported in this process, with when they were last reported (for /healthz). */
  private readonly recent = new Map<string, number>();

  constructor(
    private readonly deps: {
      store: Store;
      /** The channel alerts go out through: never a delivery's (an alert is not repeated or withheld with one). */
      channel: Channel;
      roles: Roles;
      prefs: Preferences;
      log: Logger;
      defaultLocale: Locale;
      windowMs?: number;
    },
  ) {}

  /**
   * Reports a fault of `kind` (`wecom.60020`, `inbox.poison` …); `text` says it in a locale; `detail` goes to the log
   * (WeCom's whole errmsg, for one).
   */
  async report(kind: string, text: (locale: Locale) => AlertText, detail: Record<string, unknown> = {}): Promise<AlertOutcome> {
    const { store, channel, roles, prefs, log } = this.deps;
    this.recent.set(kind, Date.now());
    const fresh = await store.claim(`alert:${kind}`, this.deps.windowMs ?? ALERT_WINDOW_MS).catch(() => false);
    if (!fresh) {
      log.warn({ event: 'alert.suppressed', kind, ...detail });
      return 'suppressed';
    }
    await roles.refresh().catch(() => undefined);
    const admins = roles.admins();
    if (admins.length === 0) {
      log.error({ event: 'alert.nobody', kind, ...detail, message: 'no admin to tell: set BOT_ADMINS' });
      await this.retrySooner(kind);
      return 'nobody';
    }
    let delivered = 0;
    for (const admin of admins) {
      // BOT_ADMINS may spell a UserID in another case than WeCom does (its preferences are under WeCom's spelling).
      const chosen = await prefs
        .of(admin)
        .then(async (found) => (found.locale || found.lastTyped ? found : prefs.of(admin.toLowerCase())))
        .catch(() => ({}) as { locale?: Locale; lastTyped?: Locale });
      const locale = chosen.locale ?? chosen.lastTyped ?? this.deps.defaultLocale;
      const said = text(locale);
      const reply: Reply = {
        title: said.title,
        tone: 'warning',
        sections: [{ lines: said.lines }],
        footer: t(locale, 'alerts.footer', { minutes: Math.round((this.deps.windowMs ?? ALERT_WINDOW_MS) / 60_000) }),
      };
      try {
        await channel.sendReply(admin, reply);
        delivered += 1;
      } catch (err) {
        log.error({ event: 'alert.undeliverable', kind, admin, err: (err as Error).message });
      }
    }
    if (delivered === 0) {
      log.error({ event: 'alert.undeliverable', kind, admins: 0, ...detail, message: 'no admin could be told: the fault itself may block messages' });
      await this.retrySooner(kind);
      return 'undeliverable';
    }
    log.warn({ event: 'alert.sent', kind, admins: delivered, ...detail });
    return 'sent';
  }

  /** The next report of a kind nobody heard of tries again after a few minutes, not an hour. */
  private async retrySooner(kind: string): Promise<void> {
    await this.deps.store.release(`alert:${kind}`).catch(() => undefined);
    await this.deps.store.claim(`alert:${kind}`, Math.min(RETRY_UNDELIVERED_MS, this.deps.windowMs ?? ALERT_WINDOW_MS)).catch(() => undefined);
  }

  /** The kinds of fault reported here within the alert window, with when (ISO), for /healthz. */
  faults(): Record<string, string> {
    const since = Date.now() - (this.deps.windowMs ?? ALERT_WINDOW_MS);
    return Object.fromEntries([...this.recent].filter(([, at]) => at >= since).map(([kind, at]) => [kind, new Date(at).toISOString()]));
  }
}

/** A fault of WeCom's setup as an alert: its kind (one an hour), its words, and what the log keeps. */
export function wecomFaultAlert(
  fault: WeComFault,
  /** The variable of the secret the call used (WECOM_AGENT_SECRET, WECOM_CONTACT_SECRET). */
  variable: string,
): { kind: string; text: (locale: Locale) => AlertText; detail: Record<string, unknown> } {
  const errmsg = (locale: Locale) => t(locale, 'alerts.errmsg', { errmsg: fault.errmsg });
  const detail = { errcode: fault.errcode, errmsg: fault.errmsg, path: fault.path, variable };
  if (fault.errcode === 60020) {
    const ip = /from ip: ?([0-9a-fA-F.:]+)/.exec(fault.errmsg)?.[1] ?? '?';
    return {
      kind: `wecom.ip.${fault.secret}`,
      text: (locale) => ({ title: t(locale, 'alerts.ip.title'), lines: [t(locale, 'alerts.ip.text', { ip, variable }), errmsg(locale)] }),
      detail,
    };
  }
  if (fault.errcode === 48002) {
    return {
      kind: `wecom.forbidden.${fault.secret}`,
      text: (locale) => ({ title: t(locale, 'alerts.forbidden.title'), lines: [t(locale, 'alerts.forbidden.text', { variable }), errmsg(locale)] }),
      detail,
    };
  }
  return {
    kind: `wecom.secret.${fault.secret}`,
    text: (locale) => ({
      title: t(locale, 'alerts.secret.title'),
      lines: [t(locale, 'alerts.secret.text', { variable, errcode: fault.errcode }), errmsg(locale)],
    }),
    detail,
  };
}
