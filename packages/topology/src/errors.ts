/**
 * Every failure @orc/topology reports, as a closed union of codes in UPPER_SNAKE_CASE (ADR 0002).
 * Probe failures are recorded on the instance (never thrown out of the discovery loop);
 * configuration, argument and GTID-set problems are thrown to the caller.
 *
 * @example
 * ```ts
 * const code: TopologyErrorCode | undefined = instance.lastProbeError?.code; // 'CONNECTION_REFUSED', ...
 * ```
 */
export type TopologyErrorCode =
  /** The host name does not resolve (DNS: ENOTFOUND / EAI_AGAIN). */
  | 'UNRESOLVABLE_HOST'
  /** Nothing listens on the port (ECONNREFUSED), or the host is unreachable (EHOSTUNREACH, ENETUNREACH). */
  | 'CONNECTION_REFUSED'
  /** The server refused the credentials (ER_ACCESS_DENIED_ERROR and friends). */
  | 'AUTH_FAILED'
  /** Connecting, or a query, took longer than its timeout. */
  | 'TIMEOUT'
  /** An established connection was closed or reset by the server or the network. */
  | 'CONNECTION_LOST'
  /** The server answered a query with an error that is not one of the above. */
  | 'QUERY_FAILED'
  /** The server answered with something the probe cannot interpret. */
  | 'UNEXPECTED_RESPONSE'
  /** A configuration object failed validation; `details` lists every problem with its path. */
  | 'INVALID_CONFIG'
  /** A function was called with an argument it cannot use (e.g. a malformed instance key). */
  | 'INVALID_ARGUMENT'
  /** A MySQL GTID set or MariaDB GTID list is malformed; `details` names each offending part. */
  | 'INVALID_GTID_SET'
  /** The topology service was used after `stop()`. */
  | 'STOPPED'
  /** A refactoring operation named a server orc has not discovered. */
  | 'UNKNOWN_INSTANCE'
  /** A refactoring operation was refused before anything changed; `details` names the argument and why. */
  | 'OPERATION_REFUSED'
  /** A refactoring operation ran, but its outcome could not be verified (e.g. the replica's threads did not run against the new source). */
  | 'VERIFICATION_FAILED';

/** Whether the same call may succeed later unchanged, per code. */
const RETRYABLE: Readonly<Record<TopologyErrorCode, boolean>> = {
  UNRESOLVABLE_HOST: true,
  CONNECTION_REFUSED: true,
  AUTH_FAILED: false,
  TIMEOUT: true,
  CONNECTION_LOST: true,
  QUERY_FAILED: true,
  UNEXPECTED_RESPONSE: false,
  INVALID_CONFIG: false,
  INVALID_ARGUMENT: false,
  INVALID_GTID_SET: false,
  STOPPED: false,
  UNKNOWN_INSTANCE: false,
  OPERATION_REFUSED: false,
  VERIFICATION_FAILED: false,
};

/**
 * One problem with a location: where (`path`, dotted) and what is wrong.
 *
 * @example
 * ```ts
 * const detail: TopologyErrorDetail = { path: 'discoverySeeds.1', message: 'must be a host:port string' };
 * ```
 */
export interface TopologyErrorDetail {
  readonly path: string;
  readonly message: string;
}

/**
 * The one error class of @orc/topology. `retryable` says whether the same call may succeed
 * later unchanged; `details` lists located problems (config fields, GTID parts), empty otherwise.
 *
 * @example
 * ```ts
 * try {
 *   parseMysqlGtidSet(text);
 * } catch (err) {
 *   if (isTopologyError(err, 'INVALID_GTID_SET')) log.warn('bad gtid set', { details: err.details });
 *   else throw err;
 * }
 * ```
 */
export class TopologyError extends Error {
  override readonly name = 'TopologyError';
  readonly code: TopologyErrorCode;
  readonly retryable: boolean;
  readonly details: readonly TopologyErrorDetail[];

  constructor(
    code: TopologyErrorCode,
    message: string,
    options: { cause?: unknown; details?: readonly TopologyErrorDetail[] } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = RETRYABLE[code];
    this.details = Object.freeze([...(options.details ?? [])]);
  }
}

/**
 * Whether `value` is a {@link TopologyError}, optionally with the given code.
 *
 * @example
 * ```ts
 * if (isTopologyError(err, 'STOPPED')) return;
 * ```
 */
export function isTopologyError(value: unknown, code?: TopologyErrorCode): value is TopologyError {
  return value instanceof TopologyError && (code === undefined || value.code === code);
}
