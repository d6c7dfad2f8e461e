// One closed set of error codes for @orc/kv. Every store maps its client's failures onto these, so
// a caller (the fan-out, the reconciler, the API's error table) decides on the code alone.

/** Every code a `KvError` can carry. */
export type KvErrorCode =
  /** A key breaks the key rules (empty, `//`, leading/trailing space or slash, control character). */
  | 'INVALID_KEY'
  /** A value is not a string, or is larger than the store accepts. */
  | 'VALUE_TOO_LARGE'
  /** A batch holds the same key twice, or one cluster's pairs do not fit one transaction. */
  | 'INVALID_BATCH'
  /** An argument other than a key or value was invalid (named in the message). */
  | 'INVALID_ARGUMENT'
  /** A configuration was invalid; `details` lists every problem with its path. */
  | 'INVALID_CONFIG'
  /** The store could not be reached or dropped the connection. */
  | 'UNAVAILABLE'
  /** The call did not finish within its bound; whether it was applied is unknown. */
  | 'TIMEOUT'
  /** The store refused the credentials or the token (Consul 403, etcd auth, ZooKeeper auth). */
  | 'UNAUTHORIZED'
  /** A transaction was rejected as a whole (Consul 409, a failed ZooKeeper multi, etcd txn). */
  | 'TRANSACTION_FAILED'
  /** The store answered something this client does not understand, or failed in another way. */
  | 'STORE_ERROR'
  /** The store was closed by its owner. */
  | 'CLOSED';

const retryableCodes: ReadonlySet<KvErrorCode> = new Set<KvErrorCode>([
  'UNAVAILABLE',
  'TIMEOUT',
  'TRANSACTION_FAILED',
  'STORE_ERROR',
]);

/**
 * One problem with a location: a config field or an argument (`path` is dotted, `consul.address`).
 *
 * @example
 * ```ts
 * const detail: KvErrorDetail = { path: 'etcd.endpoints.0', message: 'must be "http://host:port"' };
 * ```
 */
export interface KvErrorDetail {
  readonly path: string;
  readonly message: string;
}

/** Extra facts an error can carry. */
export interface KvErrorOptions {
  readonly cause?: unknown;
  /** The key the error is about, when there is one. */
  readonly key?: string;
  /** The store the error comes from (its name), when known. */
  readonly store?: string;
  /** For INVALID_CONFIG: every problem, each with its path. */
  readonly details?: readonly KvErrorDetail[];
  /** Overrides the code's default (see `KvError.retryable`). */
  readonly retryable?: boolean;
}

/**
 * The error type of @orc/kv.
 *
 * @example
 * ```ts
 * try { await store.put('mysql/master/a', 'db1:3306') } catch (err) {
 *   if (err instanceof KvError && err.retryable) scheduleRetry();
 * }
 * ```
 */
export class KvError extends Error {
  override readonly name = 'KvError';
  readonly code: KvErrorCode;
  /**
   * Whether the same call may succeed later unchanged. By default true for UNAVAILABLE, TIMEOUT,
   * TRANSACTION_FAILED and STORE_ERROR; a store may say otherwise for one instance.
   */
  readonly retryable: boolean;
  /** The key the error is about, or null. */
  readonly key: string | null;
  /** The store's name, or null. */
  readonly store: string | null;
  /** Problems with a location (INVALID_CONFIG); empty otherwise. */
  readonly details: readonly KvErrorDetail[];

  constructor(code: KvErrorCode, message: string, options: KvErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? retryableCodes.has(code);
    this.key = options.key ?? null;
    this.store = options.store ?? null;
    this.details = options.details ?? [];
  }
}

/**
 * True when `err` is a KvError, optionally with the given code.
 *
 * @example
 * ```ts
 * if (isKvError(err, 'INVALID_CONFIG')) for (const d of err.details) console.error(d.path, d.message);
 * ```
 */
export function isKvError(err: unknown, code?: KvErrorCode): err is KvError {
  return err instanceof KvError && (code === undefined || err.code === code);
}

/**
 * Describes an unknown thrown value for a message or a log field (internal).
 *
 * @example
 * ```ts
 * logger.warn('kv store write failed', { error: errorMessage(err) });
 * ```
 */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
