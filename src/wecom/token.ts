import { createHash } from 'node:crypto';
import type { Namespace } from '../store/index.js';
import { WeComConfigError } from './errors.js';
import type { WeComResponse } from './types/common.js';

/** How long before `expires_in` a cached token is replaced. */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60 * 1000;

/** How long a rejected secret is remembered: repeated gettoken with a bad secret gets the IP banned for an hour. */
const BAD_SECRET_BACKOFF_MS = 60 * 1000;

/** The key of a secret's token in the cache: never the secret itself, a hash that identifies it with the corp. */
export function tokenCacheKey(corpId: string, secret: string): string {
  return createHash('sha256').update(`${corpId}\n${secret}`).digest('hex').slice(0, 32);
}

export interface CachedToken {
  token: string;
  expiresAt: number;
}

/** gettoken's answer. */
export interface GetTokenResponse extends WeComResponse {
  access_token?: string;
  expires_in?: number;
}

/** Fetches a fresh token for one secret; the HTTP layer supplies it. */
export type TokenFetcher = (corpId: string, secret: string) => Promise<GetTokenResponse>;

/**
 * Access tokens per secret: cached in the store until shortly before expiry, fetched single-flight (many
 * concurrent callers, one gettoken), invalidated on token errors.
 */
export class TokenManager {
  private readonly inflight = new Map<string, Promise<string>>();
  private readonly rejected = new Map<string, { until: number; error: WeComConfigError }>();
  /** gettoken calls made (for tests and the benchmark). */
  fetches = 0;

  constructor(
    private readonly corpId: string,
    private readonly cache: Namespace<CachedToken>,
    private readonly fetchToken: TokenFetcher,
    private readonly now: () => number = Date.now,
  ) {}

  private cacheKey(secret: string): string {
    return tokenCacheKey(this.corpId, secret);
  }

  /** A valid token for `secret`, from the cache or from one gettoken shared by every concurrent caller. */
  async get(secret: string): Promise<string> {
    const key = this.cacheKey(secret);
    const cached = await this.cache.get(key);
    if (cached && cached.expiresAt - TOKEN_REFRESH_MARGIN_MS > this.now()) {
      return cached.token;
    }
    return this.refresh(secret, key);
  }

  private refresh(secret: string, key: string): Promise<string> {
    const running = this.inflight.get(key);
    if (running) return running;
    const bad = this.rejected.get(key);
    if (bad && bad.until > this.now()) return Promise.reject(bad.error);
    const promise = (async () => {
      this.fetches += 1;
      const res = await this.fetchToken(this.corpId, secret);
      if (res.errcode !== 0 || !res.access_token) {
        const error = new WeComConfigError(
          res.errcode,
          res.errcode === 40001 || res.errcode === 40013 || res.errcode === 41004
            ? `WeCom rejected the corp id or secret (errcode ${res.errcode}): check WECOM_CORP_ID, WECOM_AGENT_SECRET and WECOM_CONTACT_SECRET`
            : `gettoken failed (errcode ${res.errcode})`,
          res.errmsg ?? '',
        );
        if (res.errcode === 40001 || res.errcode === 40013 || res.errcode === 41004) {
          this.rejected.set(key, { until: this.now() + BAD_SECRET_BACKOFF_MS, error });
        }
        throw error;
      }
      const entry = { token: res.access_token, expiresAt: this.now() + (res.expires_in ?? 7200) * 1000 };
      await this.cache.set(key, entry, Math.max(1000, entry.expiresAt - this.now()));
      return entry.token;
    })();
    this.inflight.set(key, promise);
    const clear = () => this.inflight.delete(key);
    promise.then(clear, clear);
    return promise;
  }

  /**
   * Drops `staleToken` (after 40014/42001/41001) and returns a fresh one. Callers that saw the same stale token
   * share one refetch.
   */
  async renew(secret: string, staleToken: string): Promise<string> {
    const key = this.cacheKey(secret);
    const running = this.inflight.get(key);
    if (running) return running;
    const cached = await this.cache.get(key);
    if (cached && cached.token !== staleToken && cached.expiresAt - TOKEN_REFRESH_MARGIN_MS > this.now()) {
      return cached.token;
    }
    await this.cache.delete(key);
    return this.refresh(secret, key);
  }
}
