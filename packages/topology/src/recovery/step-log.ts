import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { RecoveryStep, RecoveryStore } from './recovery-ports.js';

/**
 * A recovery's step log: every step is kept in order, timed from the recovery's start on the
 * monotonic clock, and written to the store in the background (in order) so that the audit never
 * sits on the critical path; `flush()` waits for the writes and reports the first that failed.
 *
 * @example
 * const log = new StepLog(store, uid, clock, logger);
 * log.step('promote', 'read_only=0 on db2:3306');
 * await log.flush();
 */
export class StepLog {
  readonly steps: RecoveryStep[] = [];
  readonly #store: RecoveryStore;
  readonly #uid: string;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #started: number;
  #writes: Promise<void> = Promise.resolve();
  #writeError: unknown = undefined;

  constructor(store: RecoveryStore, uid: string, clock: Clock, logger: Logger, started = clock.now()) {
    this.#store = store;
    this.#uid = uid;
    this.#clock = clock;
    this.#logger = logger;
    this.#started = started;
  }

  /** Milliseconds since the recovery started. */
  elapsed(): number {
    return this.#clock.now() - this.#started;
  }

  step(name: string, message: string): RecoveryStep {
    const s: RecoveryStep = { at: this.#clock.wallNow(), elapsedMs: this.elapsed(), name, message };
    this.steps.push(s);
    this.#logger.info('recovery step', { uid: this.#uid, step: name, elapsedMs: s.elapsedMs, message });
    this.#writes = this.#writes.then(() =>
      this.#store.appendStep(this.#uid, s).catch((error: unknown) => {
        this.#writeError ??= error;
        this.#logger.error('recovery step not recorded', { uid: this.#uid, step: name, error: String(error) });
      }),
    );
    return s;
  }

  /** Waits for every step to be written; rethrows the first write that failed. */
  async flush(): Promise<void> {
    await this.#writes;
    if (this.#writeError !== undefined) throw this.#writeError;
  }
}
