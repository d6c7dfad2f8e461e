// The bound on the log a node holds in memory (`maxLogEntries`). Compaction follows snapshots,
// so while snapshots fail the log only grows: at the bound a leader refuses proposals (LOG_FULL)
// and a follower drops appends that would add entries, staying behind (the leader resends, its
// heartbeats keep the follower quiet) until a snapshot compacts the log.
import type { Message } from '../core/messages.js';
import { RaftError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { LogMirror } from './log-mirror.js';
import type { SnapshotBackoff } from './snapshot-backoff.js';

/**
 * Decides what the log bound refuses, and says why.
 *
 * @example
 * ```ts
 * const bound = new LogBound(config.maxLogEntries, storage, backoff, logger);
 * if (bound.isFull) throw bound.error();
 * ```
 */
export class LogBound {
  readonly #max: number;
  readonly #storage: LogMirror;
  readonly #backoff: SnapshotBackoff;
  readonly #logger: Logger;
  #isDropping = false;

  /** `max` 0: no bound. */
  constructor(max: number, storage: LogMirror, backoff: SnapshotBackoff, logger: Logger) {
    this.#max = max;
    this.#storage = storage;
    this.#backoff = backoff;
    this.#logger = logger;
  }

  /** Whether the log holds `max` entries (only while snapshots fail, in practice). */
  get isFull(): boolean {
    const st = this.#storage;
    return this.#max > 0 && st.lastIndex() - st.firstIndex() + 1 >= this.#max;
  }

  /** The LOG_FULL error for a refused proposal, naming why the log is not compacted. */
  error(): RaftError {
    const failure = this.#backoff.failure;
    return new RaftError(
      'LOG_FULL',
      `the log holds maxLogEntries (${this.#max}) entries and is not compacted: ` +
        (failure === null ? 'a snapshot is in progress' : `snapshots are failing: ${failure.reason}`),
      { details: [{ path: 'maxLogEntries', message: `reached ${this.#max}` }] },
    );
  }

  /** Whether a received message must be dropped: an append that would add entries to a full log. */
  refuses(m: Message): boolean {
    if (m.type !== 'append' || m.entries.length === 0) return false;
    const last = m.entries[m.entries.length - 1]!.index;
    if (!this.isFull || last <= this.#storage.lastIndex()) {
      this.#isDropping = false;
      return false;
    }
    // One warning per run of refusals: the leader resends at heartbeat pace.
    if (!this.#isDropping)
      this.#logger.warn('raft log full: new entries refused until a snapshot succeeds', {
        maxLogEntries: this.#max,
        snapshotFailure: this.#backoff.failure?.reason ?? null,
      });
    this.#isDropping = true;
    return true;
  }
}
