import type { Corp } from './corp.js';
import { simError } from './errors.js';
import { randomId } from './random.js';

/** Which secret an access token was issued for: the app's or the 客户联系 one. */
export type TokenKind = 'agent' | 'contact';

/** The corp's credentials as gettoken checks them. */
export interface TokenSecrets {
  corpId: string;
  agentSecret: string;
  contactSecret: string;
  /** Lifetime of an issued token (WeCom: 7200 s). */
  ttlSeconds: number;
}

/**
 * Access tokens as WeCom issues and checks them: gettoken by corpid and secret (40013, 41004, 40001), then on every
 * call a missing (41001), unknown (40014) or expired (42001) token is refused, and an app-only API called with the
 * 客户联系 secret's token answers 48002.
 */
export class TokenIssuer {
  private readonly issued = new Map<string, { kind: TokenKind; expiresAt: number }>();

  constructor(
    private readonly secrets: TokenSecrets,
    private readonly corp: Corp,
  ) {}

  /** Answers gettoken. */
  issue(query: Record<string, string>): { access_token: string; expires_in: number } {
    const { corpId, agentSecret, contactSecret, ttlSeconds } = this.secrets;
    if (!query.corpid) throw simError(40013, 'missing corpid');
    if (query.corpid !== corpId) throw simError(40013);
    if (!query.corpsecret) throw simError(41004);
    const kind = query.corpsecret === agentSecret ? 'agent' : query.corpsecret === contactSecret ? 'contact' : undefined;
    if (!kind) throw simError(40001);
    const token = randomId(this.corp.random, '', 64);
    this.issued.set(token, { kind, expiresAt: Date.now() + ttlSeconds * 1000 });
    return { access_token: token, expires_in: ttlSeconds };
  }

  /**
   * The kind of a token presented with a call to an endpoint that takes `needs`.
   * @throws SimError 41001, 40014, 42001 or 48002.
   */
  check(accessToken: string | null, needs: 'agent' | 'any'): TokenKind {
    if (!accessToken) throw simError(41001);
    const issued = this.issued.get(accessToken);
    if (!issued) throw simError(40014);
    if (issued.expiresAt <= Date.now()) throw simError(42001);
    const sameSecret = this.secrets.agentSecret === this.secrets.contactSecret;
    if (needs === 'agent' && issued.kind !== 'agent' && !sameSecret) throw simError(48002);
    return issued.kind;
  }

  /**
   * An admin resets a secret in the console: the old one is refused at gettoken from now on (40001), tokens it got
   * stop working (42001 at their next use). Returns the new secret.
   */
  rotate(kind: TokenKind): string {
    const fresh = randomId(this.corp.random, 'rotated', 43);
    const sameSecret = this.secrets.agentSecret === this.secrets.contactSecret;
    if (kind === 'agent' || sameSecret) this.secrets.agentSecret = fresh;
    if (kind === 'contact' || sameSecret) this.secrets.contactSecret = fresh;
    for (const entry of this.issued.values()) if (entry.kind === kind || sameSecret) entry.expiresAt = 0;
    return fresh;
  }

  /** Makes every issued token expire now (the next call with one answers 42001). */
  expireAll(): void {
    for (const entry of this.issued.values()) entry.expiresAt = 0;
  }
}
