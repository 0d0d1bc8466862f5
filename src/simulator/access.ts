import type { SimAppSetup } from './corp.js';
import { simError } from './errors.js';
import type { TokenKind } from './tokens.js';

/**
 * What the admin console's setup refuses once a token is known to be valid: a token used from an IP outside its
 * secret's 企业可信IP gets 60020 naming that IP (doc 90313), on every API but gettoken; externalcontact/* with the app's
 * token answers 48002 unless the app is in 「客户联系 → 可调用接口的应用」, and with the 客户联系 system secret's token
 * in a corp created after 2023-12-01 (doc 92571).
 * @throws SimError 60020 or 48002.
 */
export function checkAccess(path: string, tokenKind: TokenKind, ip: string, app: SimAppSetup): void {
  if (!app.trustedIp[tokenKind]) throw simError(60020, undefined, ip);
  if (!path.startsWith('externalcontact/')) return;
  if (tokenKind === 'agent' && !app.inContactApi) throw simError(48002, 'api forbidden: the app is not allowed to call customer contact APIs', ip);
  if (tokenKind === 'contact' && app.systemSecretRefused) throw simError(48002, 'api forbidden: system app secret is no longer supported', ip);
}

/** The caller's IPv4 address as WeCom writes it (`::ffff:127.0.0.1` → `127.0.0.1`). */
export function callerIp(remote: string | undefined): string {
  return (remote ?? '').replace(/^::ffff:/, '') || '0.0.0.0';
}
