/**
 * Errors are recognised by a registered symbol as well as by class, so code loaded as another module instance of
 * this file (a CJS/ESM mix in a test runner, a bundler duplicate) still tells them apart: use `WeComError.is(err)`.
 */
function branded(name: string) {
  const brand = Symbol.for(`wecom-contact-ops.${name}`);
  return {
    brand,
    is: (err: unknown): boolean => typeof err === 'object' && err !== null && brand in err,
  };
}

const WECOM_ERROR = branded('WeComError');
const CONFIG_ERROR = branded('WeComConfigError');
const TRANSPORT_ERROR = branded('WeComTransportError');
const REQUEST_ERROR = branded('WeComRequestError');
const RETRY_LATER = branded('WeComRetryLater');

/**
 * WeCom answered with `errcode != 0`. Carries the endpoint path, never the access token, and WeCom's whole errmsg:
 * its "from ip: …" is what an operator needs to fix a 60020.
 */
export class WeComError extends Error {
  readonly [WECOM_ERROR.brand] = true;

  /** True for a WeComError from any module instance. */
  static is(err: unknown): err is WeComError {
    return WECOM_ERROR.is(err);
  }

  constructor(
    readonly errcode: number,
    readonly errmsg: string,
    readonly endpoint: string,
  ) {
    super(`WeCom ${endpoint} failed: errcode ${errcode} (${errmsg})`);
    this.name = 'WeComError';
  }
}

/** The corp id or a secret is wrong (gettoken answered 40001 / 40013 …): fix the configuration, do not retry. */
export class WeComConfigError extends Error {
  readonly [CONFIG_ERROR.brand] = true;

  /** True for a WeComConfigError from any module instance. */
  static is(err: unknown): err is WeComConfigError {
    return CONFIG_ERROR.is(err);
  }

  constructor(
    readonly errcode: number,
    message: string,
    /** WeCom's whole errmsg (its "from ip: …" included). */
    readonly errmsg: string = '',
  ) {
    super(message);
    this.name = 'WeComConfigError';
  }
}

/**
 * The request failed without an answer from WeCom (timeout, connection error, HTTP 5xx). `maybeApplied` is true
 * when WeCom may have executed it anyway: a write in that state is reported, never re-sent blindly.
 */
export class WeComTransportError extends Error {
  readonly [TRANSPORT_ERROR.brand] = true;

  /** True for a WeComTransportError from any module instance. */
  static is(err: unknown): err is WeComTransportError {
    return TRANSPORT_ERROR.is(err);
  }

  constructor(
    readonly endpoint: string,
    reason: unknown,
    readonly maybeApplied: boolean,
    readonly status?: number,
  ) {
    super(`WeCom ${endpoint} did not answer${status ? ` (HTTP ${status})` : ''}: ${(reason as Error)?.message ?? String(reason)}`, {
      cause: reason,
    });
    this.name = 'WeComTransportError';
  }
}

/** A request the client refuses to send (e.g. content over WeCom's byte limit). */
export class WeComRequestError extends Error {
  readonly [REQUEST_ERROR.brand] = true;

  /** True for a WeComRequestError from any module instance. */
  static is(err: unknown): err is WeComRequestError {
    return REQUEST_ERROR.is(err);
  }

  constructor(
    readonly endpoint: string,
    message: string,
    /** What is wrong, for the words the user reads: content over a limit, or an id longer than WeCom allows. */
    readonly problem: 'tooLong' | 'idTooLong' = 'tooLong',
    /** The id at fault (cut), for `idTooLong`. */
    readonly id?: string,
  ) {
    super(message);
    this.name = 'WeComRequestError';
  }
}

/**
 * A call of a unit of work (a member's message) that was not made, and that its unit should make again once `retryAt`
 * has passed instead of holding a worker until then: the API is blocked after its per-minute limit (45009; nothing was
 * sent during the block), or the store could not record a write before it was sent (so it was not sent). Nothing of
 * it was applied.
 */
export class WeComRetryLater extends Error {
  readonly [RETRY_LATER.brand] = true;

  /** True for a WeComRetryLater from any module instance. */
  static is(err: unknown): err is WeComRetryLater {
    return RETRY_LATER.is(err);
  }

  constructor(
    readonly endpoint: string,
    /** When to try again (ms since the epoch). */
    readonly retryAt: number,
    readonly why: 'blocked' | 'unrecorded',
    override readonly cause?: unknown,
  ) {
    super(
      why === 'blocked' ? `WeCom ${endpoint} is blocked after its per-minute limit (45009)` : `the store could not record a write to ${endpoint}; not sent`,
    );
    this.name = 'WeComRetryLater';
  }
}

/** errcodes that mean "the access token is not good": invalidate, refetch once, retry once. */
export const TOKEN_ERRCODES: ReadonlySet<number> = new Set([40014, 42001, 41001]);

/** errcodes after which WeCom did not execute the request: busy, frequency and concurrency limits. */
export const TRANSIENT_ERRCODES: ReadonlySet<number> = new Set([-1, 45009, 45033]);

/** errcodes that are rejections before execution: safe to retry for writes too. */
export const REJECTED_BEFORE_EXECUTION: ReadonlySet<number> = new Set([45009, 45033]);
