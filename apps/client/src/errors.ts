// The client's one error class. Every failure a person can meet is one of these codes, and each
// code maps to an exit status: 2 for a command line that cannot be understood, 1 for everything
// the original script also exits 1 on (missing argument, unknown command, API errors).

/** Why orc-client stopped. */
export type ClientErrorCode =
  | 'BAD_FLAG'
  | 'NO_COMMAND'
  | 'UNKNOWN_COMMAND'
  | 'MISSING_ARGUMENT'
  | 'UNREACHABLE'
  | 'NO_LEADER'
  | 'AUTH_REQUIRED'
  | 'API_ERROR'
  | 'BAD_RESPONSE'
  | 'RAFT_STATE';

/** A located problem: `path` names the flag or URL it is about. */
export interface ClientErrorDetail {
  readonly path: string;
  readonly message: string;
}

/**
 * A failure of orc-client with the exit status it leads to.
 *
 * @example
 * throw new ClientError('MISSING_ARGUMENT', 'instance must be provided', { details: [{ path: '-i', message: 'required' }] });
 */
export class ClientError extends Error {
  override readonly name = 'ClientError';
  readonly code: ClientErrorCode;
  readonly retryable: boolean;
  readonly details: readonly ClientErrorDetail[];
  /** For API_ERROR: the daemon's whole answer, printed as the original does. */
  readonly response: unknown;

  constructor(
    code: ClientErrorCode,
    message: string,
    options: { details?: readonly ClientErrorDetail[]; retryable?: boolean; cause?: unknown; response?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details ?? [];
    this.response = options.response;
  }

  /** 2 for a command line that cannot be parsed, 1 otherwise (as orchestrator-client's `fail`). */
  get exitCode(): 1 | 2 {
    return this.code === 'BAD_FLAG' ? 2 : 1;
  }
}
