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
  /**
   * The node is stopping or stopped. A proposal pending when it stopped may still be committed
   * (it may already be in a quorum's logs): its outcome is unknown, as for LEADERSHIP_LOST.
   */
  | 'SHUTDOWN'
  /**
   * The node stopped after a fatal error (a store failed, or stored data failed its checksum);
   * `cause` is that error. It will not recover by itself: restart the process once the cause is
   * fixed, or stop serving from this node.
   */
  | 'FATAL'
  /** Stored data failed its checksum; `details` name the log index or snapshot offset. Fatal. */
  | 'CORRUPTED'
  /**
   * The log held in memory reached its bound (`maxLogEntries`) because snapshots keep failing:
   * nothing was written. Retry once a snapshot succeeded (the `snapshotFailed` event and
   * `stats().snapshotFailure` say why not).
   */
  | 'LOG_FULL'
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

const retryableCodes: ReadonlySet<RaftErrorCode> = new Set<RaftErrorCode>([
  'NOT_LEADER',
  'TIMEOUT',
  'BUSY',
  'ABORTED',
  'LOG_FULL',
]);

/** Extra facts an error can carry. */
export interface RaftErrorOptions {
  readonly cause?: unknown;
  /** For NOT_LEADER: the leader this node knows of. */
  readonly leaderId?: string | null;
  readonly leaderAddress?: string | null;
  /** For INVALID_CONFIG: every problem, each with its path. */
  readonly details?: readonly { readonly path: string; readonly message: string }[];
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
  /** Whether trying again (possibly elsewhere, for NOT_LEADER) can help. */
  readonly retryable: boolean;
  readonly leaderId: string | null;
  readonly leaderAddress: string | null;
  readonly details: readonly { readonly path: string; readonly message: string }[];

  constructor(code: RaftErrorCode, message: string, options: RaftErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = retryableCodes.has(code);
    this.leaderId = options.leaderId ?? null;
    this.leaderAddress = options.leaderAddress ?? null;
    this.details = options.details ?? [];
  }
}

/** True when `err` is a RaftError, optionally with the given code. */
export function isRaftError(err: unknown, code?: RaftErrorCode): err is RaftError {
  return err instanceof RaftError && (code === undefined || err.code === code);
}
