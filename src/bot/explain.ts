import type { Locale } from '../config.js';
import { projectCatalog, type Catalog } from '../i18n/index.js';
import { code } from '../render/markdown.js';
import { simpleReply, type Reply } from '../render/reply.js';
import { WeComConfigError, WeComError, WeComRequestError, WeComTransportError } from '../wecom/index.js';
import { ParseError, PermissionDenied, UserError, type AuditReason } from './command.js';

/** The errcode of an error, when WeCom gave one. */
export function errcodeOf(err: unknown): number | undefined {
  return WeComError.is(err) ? err.errcode : undefined;
}

/** Why an error ended an action, as the audit log keeps it: data, said in words when read. */
export function reasonOf(err: unknown): AuditReason {
  if (PermissionDenied.is(err)) return { kind: 'role', needed: err.needed };
  if (UserError.is(err) || ParseError.is(err)) {
    const fields = ParseError.is(err) ? { ...err.fields, ...(err.field ? { field: err.field } : {}) } : {};
    const members = UserError.is(err) ? err.members : {};
    return {
      kind: 'input',
      key: err.key,
      // Every text cut short: the audit keeps what was said, not whole lists.
      ...(Object.keys(err.params).length > 0
        ? { params: Object.fromEntries(Object.entries(err.params).map(([k, v]) => [k, typeof v === 'string' ? cutEcho(v) : v])) }
        : {}),
      ...(Object.keys(fields).length > 0 ? { fields } : {}),
      ...(Object.keys(members).length > 0 ? { members: { ...members } } : {}),
    };
  }
  if (WeComError.is(err)) return { kind: 'wecom', errcode: err.errcode };
  if (WeComTransportError.is(err)) return { kind: 'noAnswer', maybeApplied: err.maybeApplied };
  return { kind: 'error', name: (err as Error)?.name ?? 'Error' };
}

/** Longest piece of the member's own input echoed back in a message. */
const ECHO_MAX_CHARS = 60;

/** Cuts echoed input so a reply about bad input cannot itself become too long. */
export function cutEcho(text: string): string {
  const chars = [...text];
  return chars.length <= ECHO_MAX_CHARS ? text : `${chars.slice(0, ECHO_MAX_CHARS - 1).join('')}…`;
}

/**
 * Parameters a command composes itself from WeCom data (lists of candidates, the members who follow a customer, a
 * command to try): bounded by the command, and useless when cut. Everything else may echo the member's input.
 */
const COMPOSED_PARAMS = new Set(['candidates', 'followers', 'example', 'ids']);

function cutParams(params: Record<string, string | number>): Record<string, string | number> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' && !COMPOSED_PARAMS.has(k) ? cutEcho(v) : v]));
}

/** The role names in a locale. */
export function roleName(locale: Locale, role: string): string {
  return projectCatalog.t(locale, `common.roles.${role}`);
}

/**
 * Explains an error to the member in their locale: refusals, bad input, WeCom errcodes (with the code), WeCom not
 * answering, configuration problems. Unknown errors get a generic line (the details go to the log). `texts`: the bot's
 * catalog, whose commands' messages a refusal may name.
 */
export function explainError(err: unknown, locale: Locale, texts: Catalog = projectCatalog): Reply {
  const t = (l: Locale, key: string, params?: Record<string, string | number>) => texts.t(l, key, params);
  if (PermissionDenied.is(err)) {
    return simpleReply(t(locale, 'errors.denied', { role: roleName(locale, err.needed) }), 'warning');
  }
  if (UserError.is(err) || ParseError.is(err)) {
    return simpleReply(t(locale, err.key, cutParams(err.params)), 'warning');
  }
  if (WeComError.is(err)) {
    const key = `errors.wecom.${err.errcode}`;
    const meaning = texts.has(locale, key) ? t(locale, key) : t(locale, 'errors.wecomUnknown', { errmsg: err.errmsg.split(',')[0] ?? '' });
    return simpleReply(t(locale, 'errors.wecomTitle', { errcode: err.errcode }), 'warning', [[meaning, ' ', code(`errcode ${err.errcode}`)]]);
  }
  if (WeComTransportError.is(err)) {
    return simpleReply(t(locale, err.maybeApplied ? 'errors.transportMaybeApplied' : 'errors.transport'), 'warning');
  }
  if (WeComConfigError.is(err)) {
    return simpleReply(t(locale, 'errors.config', { errcode: err.errcode }), 'warning');
  }
  if (WeComRequestError.is(err)) {
    if (err.problem === 'idTooLong') return simpleReply(t(locale, 'errors.idTooLong', { id: cutEcho(err.id ?? '') }), 'warning');
    return simpleReply(t(locale, 'errors.request'), 'warning');
  }
  return simpleReply(t(locale, 'errors.internal'), 'warning');
}
