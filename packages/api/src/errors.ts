// The one table from an error code (this package's, or any orc library's) to an HTTP status.
// Library codes are compared in UPPER_SNAKE form, so `invalid_argument`, `invalid-argument` and
// `INVALID_ARGUMENT` are one row: the packages are moving to UPPER_SNAKE (ADR 0002) and this table
// must not care which casing a library has reached.

/** Codes of @orc/api's own errors. */
export type ApiErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'NOT_ACTIVE'
  | 'NOT_SUPPORTED'
  | 'CONFLICT'
  | 'RECOVERY_FAILED'
  | 'PAYLOAD_TOO_LARGE'
  | 'REQUEST_TIMEOUT'
  | 'INTERNAL';

/** A located problem: `path` is the request field (`port`, `duration`). */
export interface ApiErrorDetail {
  readonly path: string;
  readonly message: string;
}

/**
 * An error a route throws on purpose; its `code` picks the HTTP status.
 *
 * @example
 * throw new ApiError('NOT_FOUND', 'no instance 10.0.0.1:3306', { details: [{ path: 'host', message: 'unknown' }] });
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ApiErrorCode;
  readonly retryable: boolean;
  readonly details: readonly ApiErrorDetail[];

  constructor(
    code: ApiErrorCode,
    message: string,
    options: { details?: readonly ApiErrorDetail[]; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details ?? [];
  }
}

/**
 * Every code the API knows -> HTTP status. A code not listed is a 500 (orchestrator's status for
 * any `ERROR` response).
 */
export const HTTP_STATUS_BY_CODE: Readonly<Record<string, number>> = Object.freeze({
  // @orc/api
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  REQUEST_TIMEOUT: 408,
  NOT_ACTIVE: 503,
  NOT_SUPPORTED: 501,
  // the topology's state forbids the operation: no failure to recover, a recovery already running
  CONFLICT: 409,
  // a recovery ran and promoted nothing (orchestrator's "no instance promoted" ERROR)
  RECOVERY_FAILED: 500,
  INTERNAL: 500,
  // arguments a library refused
  INVALID_ARGUMENT: 400,
  INVALID_CONFIG: 400,
  INVALID_KEY: 400,
  INVALID_VALUE: 400,
  UNKNOWN_INSTANCE: 404,
  // a refactoring operation the topology's shape or a server's state forbids (nothing changed)
  OPERATION_REFUSED: 409,
  // state that forbids the operation now
  NOT_LEADER: 503,
  CLOSED: 503,
  STOPPED: 503,
  BUSY: 503,
  // the server or store behind the call could not be reached or answered badly
  UNREACHABLE: 502,
  CONNECTION_REFUSED: 502,
  CONNECTION_LOST: 502,
  UNRESOLVABLE_HOST: 502,
  AUTH_FAILED: 502,
  TIMEOUT: 504,
  QUERY_FAILED: 502,
  UNEXPECTED_RESPONSE: 502,
});

/**
 * The HTTP status for an error: its code's row, else its own 4xx `statusCode` (fastify's), else 500.
 *
 * @example
 * httpStatusOf(new TopologyError('invalid_argument', '...')) // 400
 */
export function httpStatusOf(err: unknown): number {
  if (typeof err === 'object' && err !== null) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string') {
      const status = HTTP_STATUS_BY_CODE[code.toUpperCase().replace(/-/g, '_')];
      if (status !== undefined) return status;
    }
    const statusCode = (err as { statusCode?: unknown }).statusCode;
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 600) return statusCode;
  }
  return 500;
}
