// When automatic snapshots fail (a full or read-only disk, a state machine that throws), the
// next attempt waits: 1 s after the first failure, doubling up to 60 s. Without this a node
// retried at every Ready, thousands of full state-machine captures a second, while its log grew.

/** What `stats().snapshotFailure` shows while automatic snapshots are failing. */
export interface SnapshotFailure {
  /** The last attempt's error message. */
  readonly reason: string;
  /** Failed attempts in a row. */
  readonly attempts: number;
  /** Clock time (ms, the node's clock) of the first failure of this run. */
  readonly since: number;
  /** Clock time (ms) before which no automatic attempt is made. */
  readonly retryAt: number;
}

const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 60_000;

/**
 * Tracks consecutive snapshot failures and when the next automatic attempt may run.
 *
 * @example
 * ```ts
 * const backoff = new SnapshotBackoff();
 * if (backoff.mayTry(clock.now())) take().then(() => backoff.succeeded(), (e) => backoff.failed(String(e), clock.now()));
 * ```
 */
export class SnapshotBackoff {
  #failure: SnapshotFailure | null = null;

  /** The current failure streak, or null when the last attempt succeeded. */
  get failure(): SnapshotFailure | null {
    return this.#failure;
  }

  /** Whether an automatic attempt may run at `now`. */
  mayTry(now: number): boolean {
    return this.#failure === null || now >= this.#failure.retryAt;
  }

  /** Records a failure at `now`; returns the delay before the next attempt. */
  failed(reason: string, now: number): number {
    const attempts = (this.#failure?.attempts ?? 0) + 1;
    const delay = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(attempts - 1, 16));
    this.#failure = { reason, attempts, since: this.#failure?.since ?? now, retryAt: now + delay };
    return delay;
  }

  succeeded(): void {
    this.#failure = null;
  }
}
