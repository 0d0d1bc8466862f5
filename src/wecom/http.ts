import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import fetch, { type Response } from 'node-fetch';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { getProxyForUrl } from 'proxy-from-env';
import type { Logger } from '../log.js';
import { registerSecret, silentLogger } from '../log.js';
import type { Namespace } from '../store/index.js';
import {
  REJECTED_BEFORE_EXECUTION,
  TOKEN_ERRCODES,
  TRANSIENT_ERRCODES,
  WeComConfigError,
  WeComError,
  WeComRequestError,
  WeComRetryLater,
  WeComTransportError,
} from './errors.js';
import type { WeComResponse } from './types/common.js';
import { TokenManager, type GetTokenResponse } from './token.js';

/** WeCom's "api freq out of limit": the API is blocked for the rest of its window. */
const FREQUENCY_LIMITED = 45009;

/** Which secret a call needs: the app's (message/send) or the 客户联系 one (externalcontact). */
export type SecretKind = 'agent' | 'contact';

/** One API call. */
export interface CallSpec {
  method: 'GET' | 'POST';
  /** Path under the API origin, e.g. `cgi-bin/externalcontact/list`. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  secret: SecretKind;
  /**
   * Reads may be retried after any transient failure. Writes are retried only when WeCom certainly did not
   * execute them (frequency / concurrency refusals, connection refused).
   */
  kind: 'read' | 'write';
  /**
   * A write that may be sent again after a crash (app messages, card updates): at least once, at most twice.
   * Other writes happen at most once per unit of work (see `journal.ts`).
   */
  resendable?: boolean;
  /**
   * What a call does while its API is blocked after the per-minute limit (45009): `wait` for the block to end, once
   * (the default: background work, library use); `retryLater`: throw {@link WeComRetryLater} at once, so that a
   * member's message is taken up again after the block instead of holding a worker; `fail`: throw the 45009.
   */
  whenBlocked?: 'wait' | 'retryLater' | 'fail';
}

/**
 * A refusal no retry will cure: the server's IP is not trusted (60020), the app may not call the API (48002), or a
 * secret is rejected (at gettoken, or a token refused again right after a refresh). The admin console or the
 * configuration must change; the bot tells its admins (see the bot's alerts).
 */
export interface WeComFault {
  errcode: number;
  /** WeCom's whole errmsg, its "from ip: …" included. */
  errmsg: string;
  path: string;
  secret: SecretKind;
}

/** errcodes that are faults of the setup whichever API answers them. */
const SETUP_FAULTS: ReadonlySet<number> = new Set([60020, 48002]);
/** gettoken's answers that mean the corp id or the secret is wrong. */
const SECRET_FAULTS: ReadonlySet<number> = new Set([40001, 40013, 41004, 60020]);
/**
 * Fresh tokens refused right after their refresh before that is a fault: one can be a race with WeCom expiring tokens
 * (a token fetched just before), several concurrent callers refused with the same one are one cause; three different
 * fresh tokens refused with no call of that secret succeeding between are not a race.
 */
const REFUSED_AFTER_REFRESH = 3;

/** What the client reports about each HTTP request it made (for counting API calls). */
export interface CallReport {
  path: string;
  errcode: number | undefined;
  ms: number;
  attempt: number;
}

/** Options of the HTTP layer. */
export interface HttpOptions {
  corpId: string;
  agentSecret: string;
  contactSecret: string;
  apiBase: string;
  tokenCache: Namespace<{ token: string; expiresAt: number }>;
  /** Per-request timeout; default 10 s. */
  timeoutMs?: number;
  /**
   * The proxy WeCom is reached through: by default the one HTTPS_PROXY (HTTP_PROXY for an http:// API base) names
   * unless NO_PROXY excludes the host — a corp whose trusted IP is a fixed egress proxy; `false` for none.
   */
  proxy?: string | false;
  /**
   * Calls that may wait at once on an API path that hangs (a call timed out within 30 s, or one has waited 1 s with
   * none answered); default 2. Beyond them a call to that path fails at once, so one hung endpoint never holds every
   * worker while other members wait.
   */
  hungShare?: number;
  /** Retries of a transient failure after the first attempt; default 3. */
  retries?: number;
  /** First backoff delay; doubled each retry, with jitter, up to `backoffMaxMs`. Default 200 ms. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /**
   * How long WeCom blocks an API after its per-minute frequency limit (45009): the call is tried again once this
   * has passed, never inside the same window (doc 90454: a per-minute block lasts 60 s). Default 60 s.
   */
  frequencyWindowMs?: number;
  log?: Logger;
  onCall?: (report: CallReport) => void;
  /** Called for each refusal no retry will cure (see {@link WeComFault}). */
  onFault?: (fault: WeComFault) => void;
}

class TransportFailure extends Error {
  constructor(
    readonly reason: unknown,
    readonly maybeApplied: boolean,
    readonly status?: number,
    /** The request got no answer within the timeout (the endpoint may hang). */
    readonly timedOut = false,
  ) {
    super('transport failure');
  }
}

/** What the client knows of one API path. */
interface PathState {
  /** When each call waiting on it now was sent (how many wait: its size). */
  sentAt: Set<{ at: number }>;
  /** When a call of it last got an answer (any answer: the endpoint is serving). */
  answeredAt: number;
  timedOutAt: number;
  blockedUntil: number;
}

/** An API path WeCom is not serving as it should, for the probes: hanging (calls time out) or blocked (45009). */
export interface PathTrouble {
  path: string;
  problem: 'hanging' | 'blocked';
  /** When it was last seen (hanging) or until when it is blocked (ms since the epoch). */
  at: number;
}

/** A path whose last call timed out this recently counts as hanging. */
const HANG_MEMORY_MS = 30_000;

/** The longest member or customer id WeCom has (UserID is at most 64 bytes; external_userid is shorter). */
export const MAX_ID_BYTES = 64;

/** Query and body fields that hold member or customer ids. */
const ID_FIELD = /(^|_)userid(s|_list)?$/;

/**
 * Refuses a request whose member or customer id is longer than WeCom allows, before it is sent: such an id is bad
 * input (a pasted paragraph), and sent as it is it gets an HTTP error for the whole URL instead of an answer.
 */
function checkIds(spec: CallSpec): void {
  const fields = [...Object.entries(spec.query ?? {}), ...Object.entries((spec.body ?? {}) as Record<string, unknown>)];
  for (const [name, value] of fields) {
    if (!ID_FIELD.test(name)) continue;
    for (const id of Array.isArray(value) ? value : [value]) {
      if (typeof id === 'string' && Buffer.byteLength(id, 'utf8') > MAX_ID_BYTES) {
        throw new WeComRequestError(
          spec.path,
          `${name} is ${Buffer.byteLength(id, 'utf8')} bytes; WeCom ids are at most ${MAX_ID_BYTES}`,
          'idTooLong',
          id.slice(0, 24),
        );
      }
    }
  }
}

/**
 * What went wrong with a request, told without its URL: an HTTP library's message quotes the whole URL, and with it
 * `access_token` or `corpsecret`. Keeps the error code (ECONNRESET …) and names the path only.
 */
function withoutUrl(err: unknown, path: string): Error {
  const { code, name, type } = (err ?? {}) as { code?: string; name?: string; type?: string };
  const what = name === 'AbortError' || type === 'aborted' ? 'timed out' : code ? `failed (${code})` : `failed (${name ?? 'error'})`;
  return Object.assign(new Error(`request to ${path} ${what}`), code ? { code } : {});
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Errors raised before a single byte of the request reached WeCom. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** What the API groups send their calls through: the HTTP layer, or a view of it that records writes. */
export interface WeComCaller {
  call<T extends WeComResponse>(spec: CallSpec, token?: string | null): Promise<T>;
}

/**
 * The WeCom HTTP layer: access tokens, JSON in and out, errcode errors, retries with exponential backoff and
 * jitter, per-request timeout.
 */
export class WeComHttp implements WeComCaller {
  readonly tokens: TokenManager;
  /** Keep-alive sockets, a pool per API path: a path that hangs holds its own sockets, never the replies' ones. */
  private readonly agents = new Map<string, HttpAgent | HttpsAgent>();
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffBaseMs: number;
  private readonly frequencyWindowMs: number;
  private readonly backoffMaxMs: number;
  private readonly log: Logger;
  /** Per secret: the fresh tokens refused right after their refresh since a call with it last succeeded. */
  private readonly refusedAfterRefresh = new Map<SecretKind, Set<string>>();
  /** Per API path: calls waiting on it now, when one last timed out, and until when WeCom blocks it (45009). */
  private readonly paths = new Map<string, PathState>();
  /** Calls that may wait at once on a path that has been hanging; the rest are refused at once (a bulkhead). */
  private readonly hungShare: number;
  /** The egress proxy, if any. */
  readonly proxy: string | undefined;
  /** A call unanswered this long, with no other call of its path answered meanwhile, says the path hangs. */
  private readonly hangAfterMs: number;

  constructor(private readonly options: HttpOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retries = options.retries ?? 3;
    this.backoffBaseMs = options.backoffBaseMs ?? 200;
    this.frequencyWindowMs = options.frequencyWindowMs ?? 60_000;
    this.backoffMaxMs = options.backoffMaxMs ?? 2_000;
    this.hungShare = options.hungShare ?? 2;
    // A loopback API base (the demo's simulator, a test double) is never reached through the environment's proxy.
    const loopback = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:|\/|$)/.test(options.apiBase);
    this.proxy = options.proxy === false ? undefined : options.proxy || (loopback ? undefined : getProxyForUrl(options.apiBase) || undefined);
    this.hangAfterMs = Math.min(1000, this.timeoutMs / 2);
    this.log = options.log ?? silentLogger;
    registerSecret(this.log, options.agentSecret);
    registerSecret(this.log, options.contactSecret);
    this.tokens = new TokenManager(options.corpId, options.tokenCache, async (corpId, secret) => {
      try {
        return await this.call<GetTokenResponse>(
          { method: 'GET', path: 'cgi-bin/gettoken', query: { corpid: corpId, corpsecret: secret }, secret: 'agent', kind: 'read' },
          null,
        );
      } catch (err) {
        if (err instanceof WeComError) return { errcode: err.errcode, errmsg: err.errmsg };
        throw err;
      }
    });
  }

  private agentFor(path: string): HttpAgent | HttpsAgent {
    let agent = this.agents.get(path);
    if (!agent) {
      const pool = { keepAlive: true, maxSockets: 16 };
      agent = this.proxy ? new HttpsProxyAgent(this.proxy, pool) : this.options.apiBase.startsWith('https:') ? new HttpsAgent(pool) : new HttpAgent(pool);
      this.agents.set(path, agent);
    }
    return agent;
  }

  private secretOf(kind: SecretKind): string {
    return kind === 'agent' ? this.options.agentSecret : this.options.contactSecret;
  }

  private backoff(attempt: number): Promise<void> {
    const ceiling = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** attempt);
    return sleep(ceiling / 2 + Math.random() * (ceiling / 2));
  }

  /**
   * Sends `spec` with a valid token and returns the parsed answer when `errcode` is 0.
   * @param token `null` for gettoken itself (no access_token parameter); otherwise fetched from the token cache.
   * @throws WeComError (errcode ≠ 0), WeComTransportError (no usable answer), WeComConfigError (bad secret).
   */
  async call<T extends WeComResponse>(spec: CallSpec, token?: string | null): Promise<T> {
    checkIds(spec);
    return this.callDirect<T>(spec, token);
  }

  private fault(errcode: number, errmsg: string, path: string, secret: SecretKind): void {
    try {
      this.options.onFault?.({ errcode, errmsg, path, secret });
    } catch {
      // a reporter's failure is not the call's
    }
  }

  /** A token for `secret`; a secret gettoken refuses is reported as a fault. */
  private async token(spec: CallSpec, renewFrom?: string): Promise<string> {
    const secret = this.secretOf(spec.secret);
    try {
      return renewFrom === undefined ? await this.tokens.get(secret) : await this.tokens.renew(secret, renewFrom);
    } catch (err) {
      if (WeComConfigError.is(err) && SECRET_FAULTS.has(err.errcode)) this.fault(err.errcode, err.errmsg, 'cgi-bin/gettoken', spec.secret);
      throw err;
    }
  }

  private async callDirect<T extends WeComResponse>(spec: CallSpec, token?: string | null): Promise<T> {
    const needsToken = token !== null;
    let current = needsToken ? (token ?? (await this.token(spec))) : undefined;
    let renewed = false;
    let waitedForWindow = false;
    const path = this.paths.get(spec.path) ?? { sentAt: new Set(), answeredAt: 0, timedOutAt: 0, blockedUntil: 0 };
    this.paths.set(spec.path, path);
    for (let attempt = 0; ; attempt++) {
      let res: T;
      const blockedFor = path.blockedUntil - Date.now();
      if (blockedFor > 0) {
        // Nothing is sent inside a block: every call there only extends it.
        const when = spec.whenBlocked ?? 'wait';
        if (when === 'retryLater') throw new WeComRetryLater(spec.path, path.blockedUntil, 'blocked');
        if (when === 'fail' || waitedForWindow) throw new WeComError(FREQUENCY_LIMITED, 'api freq out of limit (blocked)', spec.path);
        waitedForWindow = true;
        this.log.warn({ event: 'wecom.frequency_limited', path: spec.path, waitMs: blockedFor });
        await sleep(blockedFor + Math.random() * Math.min(1000, this.frequencyWindowMs / 10));
      }
      if (path.sentAt.size >= this.hungShare && this.hanging(path, Date.now())) {
        // The endpoint hangs and enough calls already wait on it: this one is refused at once, nothing sent.
        this.log.warn({ event: 'wecom.endpoint_hanging', path: spec.path, waiting: path.sentAt.size });
        throw new WeComTransportError(spec.path, new Error('the endpoint is not answering'), false);
      }
      const sent = { at: Date.now() };
      path.sentAt.add(sent);
      try {
        res = await this.send<T>(spec, current, attempt);
        path.answeredAt = Date.now();
      } catch (err) {
        if (!(err instanceof TransportFailure)) throw err;
        if (err.timedOut) path.timedOutAt = Date.now();
        // A timeout is tried once more at most: a hanging endpoint would hold the caller for every retry.
        const retryable = (spec.kind === 'read' || !err.maybeApplied) && !(err.timedOut && attempt >= 1);
        if (retryable && attempt < this.retries) {
          await this.backoff(attempt);
          continue;
        }
        throw new WeComTransportError(spec.path, err.reason, spec.kind === 'write' && err.maybeApplied, err.status);
      } finally {
        path.sentAt.delete(sent);
      }
      if (res.errcode === 0 || res.errcode === undefined) {
        if (needsToken) this.refusedAfterRefresh.delete(spec.secret);
        return res;
      }
      if (needsToken && TOKEN_ERRCODES.has(res.errcode) && !renewed && current !== undefined) {
        renewed = true;
        current = await this.token(spec, current);
        attempt -= 1; // a token renewal is not a retry
        continue;
      }
      if (SETUP_FAULTS.has(res.errcode)) this.fault(res.errcode, res.errmsg ?? '', spec.path, spec.secret);
      if (renewed && TOKEN_ERRCODES.has(res.errcode) && current !== undefined) {
        const refused = this.refusedAfterRefresh.get(spec.secret) ?? new Set<string>();
        refused.add(current);
        this.refusedAfterRefresh.set(spec.secret, refused);
        if (refused.size >= REFUSED_AFTER_REFRESH) this.fault(res.errcode, res.errmsg ?? '', spec.path, spec.secret);
      }
      const retryable = TRANSIENT_ERRCODES.has(res.errcode) && (spec.kind === 'read' || REJECTED_BEFORE_EXECUTION.has(res.errcode));
      if (res.errcode === FREQUENCY_LIMITED) {
        // A per-minute limit: trying again inside the block only extends it. The next window is waited for (once) at the
        // top of the loop, by this call and by every other call of the path meanwhile.
        path.blockedUntil = Math.max(path.blockedUntil, Date.now() + this.frequencyWindowMs);
        if (!retryable || waitedForWindow) throw new WeComError(res.errcode, res.errmsg ?? '', spec.path);
        attempt -= 1; // waiting out a block is not a retry
        continue;
      }
      if (retryable && attempt < this.retries) {
        await this.backoff(attempt);
        continue;
      }
      throw new WeComError(res.errcode, res.errmsg ?? '', spec.path);
    }
  }

  private async send<T>(spec: CallSpec, token: string | undefined, attempt: number): Promise<T> {
    const url = new URL(`${this.options.apiBase}/${spec.path}`);
    if (token !== undefined) {
      registerSecret(this.log, token); // whatever put this token in a URL, no log line may show it
      url.searchParams.set('access_token', token);
    }
    for (const [k, v] of Object.entries(spec.query ?? {})) {
      if (v !== undefined) url.searchParams.set(k, String(v));
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    const started = performance.now();
    let response: Response;
    let errcode: number | undefined;
    let errmsg: string | undefined;
    try {
      try {
        response = await fetch(url.toString(), {
          method: spec.method,
          agent: this.agentFor(spec.path),
          signal: controller.signal,
          headers: spec.method === 'POST' ? { 'content-type': 'application/json' } : undefined,
          body: spec.method === 'POST' ? JSON.stringify(spec.body ?? {}) : undefined,
        });
      } catch (err) {
        const code = (err as { code?: string }).code;
        throw new TransportFailure(withoutUrl(err, spec.path), !(code !== undefined && NOT_SENT_CODES.has(code)), undefined, controller.signal.aborted);
      }
      if (response.status >= 500) {
        await response.arrayBuffer().catch(() => undefined);
        throw new TransportFailure(new Error(`HTTP ${response.status}`), true, response.status);
      }
      let parsed: unknown;
      try {
        parsed = await response.json();
      } catch (err) {
        throw new TransportFailure(err, true, response.status);
      }
      if (!parsed || typeof parsed !== 'object') {
        throw new TransportFailure(new Error('answer is not a JSON object'), true, response.status);
      }
      ({ errcode, errmsg } = parsed as { errcode?: number; errmsg?: string });
      return parsed as T;
    } finally {
      clearTimeout(timer);
      const ms = Math.round(performance.now() - started);
      this.options.onCall?.({ path: spec.path, errcode, ms, attempt });
      // A refusal is worth an operator's eyes, with WeCom's whole errmsg (its "from ip: …", its hint).
      if (errcode) this.log.info({ event: 'wecom.errcode', path: spec.path, errcode, errmsg, ms, attempt });
      else this.log.debug({ event: 'wecom.call', path: spec.path, errcode, ms, attempt });
    }
  }

  /** The API paths that are hanging (a call timed out within 30 s) or blocked (45009) now. */
  troubles(now = Date.now()): PathTrouble[] {
    const out: PathTrouble[] = [];
    for (const [path, state] of this.paths) {
      if (this.hanging(state, now)) out.push({ path, problem: 'hanging', at: Math.max(state.timedOutAt, state.answeredAt) });
      if (state.blockedUntil > now) out.push({ path, problem: 'blocked', at: state.blockedUntil });
    }
    return out;
  }

  /**
   * A path hangs when a call of it timed out within 30 s, or when a call has waited on it longer than `hangAfterMs`
   * with none answered meanwhile: the bulkhead needs no timeout to have passed, and a path that is slow but answering
   * is not hanging.
   */
  private hanging(state: PathState, now: number): boolean {
    if (now - state.timedOutAt < HANG_MEMORY_MS) return true;
    if (now - state.answeredAt < this.hangAfterMs) return false;
    for (const sent of state.sentAt) if (now - sent.at > this.hangAfterMs) return true;
    return false;
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}
