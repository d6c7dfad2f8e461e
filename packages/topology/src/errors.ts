/**
 * Every failure @orc/topology reports, as a closed union of codes. Probe failures are recorded on
 * the instance (never thrown out of the discovery loop); configuration and argument problems are
 * thrown to the caller.
 */
export type TopologyErrorCode =
  /** The host name does not resolve (DNS: ENOTFOUND / EAI_AGAIN). */
  | 'unresolvable_host'
  /** Nothing listens on the port (ECONNREFUSED), or the host is unreachable (EHOSTUNREACH, ENETUNREACH). */
  | 'connection_refused'
  /** The server refused the credentials (ER_ACCESS_DENIED_ERROR and friends). */
  | 'auth_failed'
  /** Connecting, or a query, took longer than its timeout. */
  | 'timeout'
  /** An established connection was closed or reset by the server or the network. */
  | 'connection_lost'
  /** The server answered a query with an error that is not one of the above. */
  | 'query_failed'
  /** The server answered with something the probe cannot interpret. */
  | 'unexpected_response'
  /** A configuration object failed validation; `details` lists every problem with its path. */
  | 'invalid_config'
  /** A function was called with an argument it cannot use (e.g. a malformed instance key). */
  | 'invalid_argument'
  /** The topology service was used after `stop()`. */
  | 'stopped';

const RETRYABLE: Readonly<Record<TopologyErrorCode, boolean>> = {
  unresolvable_host: true,
  connection_refused: true,
  auth_failed: false,
  timeout: true,
  connection_lost: true,
  query_failed: true,
  unexpected_response: false,
  invalid_config: false,
  invalid_argument: false,
  stopped: false,
};

/** One problem found while validating input: where (`path`) and what is wrong. */
export interface TopologyErrorDetail {
  readonly path: string;
  readonly message: string;
}

/** The error type of @orc/topology. `retryable` says whether trying again later can help. */
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
    this.details = options.details ?? [];
  }
}

/** Whether `value` is a {@link TopologyError}, optionally with the given code. */
export function isTopologyError(value: unknown, code?: TopologyErrorCode): value is TopologyError {
  return value instanceof TopologyError && (code === undefined || value.code === code);
}
