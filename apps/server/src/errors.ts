// The daemon's one error class. The process exits 2 on INVALID_CONFIG and 1 on the others.

/** What went wrong, closed. */
export type ServerErrorCode =
  | 'INVALID_CONFIG'
  | 'BACKEND_UNREACHABLE'
  | 'LISTEN_FAILED'
  | 'SHUTDOWN_TIMEOUT'
  | 'NO_QUORUM'
  /** The single executable's asset folder in tmpdir is not this user's own (mode 0700). */
  | 'UNSAFE_ASSET_CACHE';

/** A located problem (config key, argument). */
export interface ServerErrorDetail {
  readonly path: string;
  readonly message: string;
}

/**
 * An error of the daemon's own making.
 *
 * @example
 * throw new ServerError('INVALID_CONFIG', 'config has 1 problem', { details: [{ path: 'InstancePollSeconds', message: 'must be a positive integer, got "5s"' }] });
 */
export class ServerError extends Error {
  override readonly name = 'ServerError';
  readonly code: ServerErrorCode;
  readonly retryable: boolean;
  readonly details: readonly ServerErrorDetail[];

  constructor(
    code: ServerErrorCode,
    message: string,
    options: { details?: readonly ServerErrorDetail[]; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details ?? [];
  }
}
