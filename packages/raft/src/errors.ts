// One closed set of error codes for the whole package. Raft's own failures (not leader, leadership
// lost, shut down, ...) are kept apart from whatever the user's state machine returns or throws.

/** Every code a `RaftError` can carry. */
export type RaftErrorCode =
  /** This node is not the leader; `leaderId`/`leaderAddress` name the known leader, if any. */
  | 'NOT_LEADER'
  /** Leadership was lost after the command was proposed: it may or may not be committed. */
  | 'LEADERSHIP_LOST'
  /** The operation did not finish within its timeout; its outcome is unknown. */
  | 'TIMEOUT'
  /** The node is stopping or stopped. */
  | 'SHUTDOWN'
  /** The operation was given up before it was proposed (e.g. a queue was full or it was cancelled). */
  | 'ABORTED'
  /** A configuration was invalid; `details` lists every problem. */
  | 'INVALID_CONFIG'
  /** An argument was invalid (named in the message). */
  | 'INVALID_ARGUMENT'
  /** A log, stable or snapshot store failed or holds inconsistent data. */
  | 'STORAGE'
  /** A frame or message could not be decoded, or a peer broke the protocol. */
  | 'PROTOCOL'
  /** Another membership change or leadership transfer is in progress. */
  | 'BUSY';

/**
 * Whether the same call may succeed later unchanged, per code (ADR 0002). A `Record` over the
 * closed union, so a new code cannot be added without deciding. Retryable here does not mean
 * "safe to repeat blindly": TIMEOUT and LEADERSHIP_LOST can leave a command committed, so only
 * an idempotent command (or one carrying a request id the state machine deduplicates) should be
 * sent again.
 *
 * @example
 * ```ts
 * if (raftErrorRetryable[err.code]) await backoffAndRetry();
 * ```
 */
export const raftErrorRetryable: Readonly<Record<RaftErrorCode, boolean>> = Object.freeze({
  // Nothing was proposed; the leader (named in the error when known) or a later election takes it.
  NOT_LEADER: true,
  // A new leader will be elected; the command may or may not have been committed.
  LEADERSHIP_LOST: true,
  // The cluster may be slow or without quorum for now; the outcome is unknown.
  TIMEOUT: true,
  // This node is stopping: the same call on it cannot succeed (another node may).
  SHUTDOWN: false,
  // Given up before it was proposed (queue full, cancelled, nothing to snapshot yet).
  ABORTED: true,
  // The input has to change.
  INVALID_CONFIG: false,
  INVALID_ARGUMENT: false,
  // Disk full, corruption or a closed store: an operator has to act first.
  STORAGE: false,
  // A peer or a message is broken; sending the same bytes again fails the same way.
  PROTOCOL: false,
  // The membership change, transfer or snapshot in progress finishes; then the call can go in.
  BUSY: true,
});

/**
 * One problem with a location: `path` is dotted (`peers.b`, `backoff.maxMs`), `message` says
 * what is wrong there.
 *
 * @example
 * ```ts
 * const detail: RaftErrorDetail = { path: 'tickMs', message: 'must be a positive integer' };
 * ```
 */
export interface RaftErrorDetail {
  readonly path: string;
  readonly message: string;
}

/**
 * Extra facts an error can carry.
 *
 * @example
 * ```ts
 * new RaftError('STORAGE', 'append failed', { cause: err, details: [{ path: 'entries.0.index', message: 'is 3' }] });
 * ```
 */
export interface RaftErrorOptions {
  readonly cause?: unknown;
  /** For NOT_LEADER: the leader this node knows of. */
  readonly leaderId?: string | null;
  readonly leaderAddress?: string | null;
  /** For INVALID_CONFIG (and other errors with a location): every problem, each with its path. */
  readonly details?: readonly RaftErrorDetail[];
}

/**
 * The error type of @orc/raft.
 *
 * @example
 * ```ts
 * try { await raft.apply(cmd) } catch (err) {
 *   if (err instanceof RaftError && err.code === 'NOT_LEADER') redirect(err.leaderAddress);
 * }
 * ```
 */
export class RaftError extends Error {
  override readonly name = 'RaftError';
  readonly code: RaftErrorCode;
  /** Whether the same call may succeed later unchanged (for NOT_LEADER: on the leader); see `raftErrorRetryable`. */
  readonly retryable: boolean;
  readonly leaderId: string | null;
  readonly leaderAddress: string | null;
  /** Problems with a location (config fields, arguments, log positions); empty otherwise. */
  readonly details: readonly RaftErrorDetail[];

  constructor(code: RaftErrorCode, message: string, options: RaftErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = raftErrorRetryable[code];
    this.leaderId = options.leaderId ?? null;
    this.leaderAddress = options.leaderAddress ?? null;
    this.details = Object.freeze([...(options.details ?? [])]);
  }
}

/**
 * True when `err` is a RaftError, optionally with the given code.
 *
 * @example
 * ```ts
 * if (isRaftError(err, 'NOT_LEADER')) return redirect(err.leaderAddress);
 * ```
 */
export function isRaftError(err: unknown, code?: RaftErrorCode): err is RaftError {
  return err instanceof RaftError && (code === undefined || err.code === code);
}
