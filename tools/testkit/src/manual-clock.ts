/** A cancel handle for one timer, as every orc package's `Clock.setTimer` returns it. */
export interface TimerHandle {
  cancel(): void;
}

interface PendingTimer {
  readonly id: number;
  readonly at: number;
  readonly fn: () => void;
}

/**
 * Virtual time for unit tests. It satisfies the `Clock` port that every orc package declares
 * (structurally: `now()`, `wallNow()`, `setTimer(ms, fn)`), so one instance can drive raft,
 * backend, kv and topology code in the same test. Time moves only in `advance`.
 *
 * @example
 * ```ts
 * const clock = new ManualClock();
 * let fired = false;
 * clock.setTimer(10, () => { fired = true; });
 * clock.advance(9);  // fired === false
 * clock.advance(1);  // fired === true
 * ```
 */
export class ManualClock {
  #now: number;
  readonly #wallStart: number;
  #seq = 0;
  #timers: PendingTimer[] = [];

  /** `startMs` is the monotonic start; `wallStartMs` the epoch the wall clock shows at start. */
  constructor(startMs = 0, wallStartMs = Date.UTC(2026, 0, 1)) {
    this.#now = startMs;
    this.#wallStart = wallStartMs - startMs;
  }

  /** Monotonic milliseconds. */
  now(): number {
    return this.#now;
  }

  /** Epoch milliseconds: the wall start plus the virtual time that passed. */
  wallNow(): number {
    return this.#wallStart + this.#now;
  }

  /** Runs `fn` once `ms` of virtual time have passed (0 or less: at the next `advance`). */
  setTimer(ms: number, fn: () => void): TimerHandle {
    const timer: PendingTimer = { id: ++this.#seq, at: this.#now + Math.max(0, ms), fn };
    this.#timers.push(timer);
    return {
      cancel: () => {
        this.#timers = this.#timers.filter((t) => t !== timer);
      },
    };
  }

  /** How many timers are waiting. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /**
   * Moves time forward by `ms`, running each timer that falls due in time order (ties in the
   * order they were set), with `now()` equal to its due time while it runs. A timer set by a
   * running timer runs in the same call when it falls due before the end.
   */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`advance(ms): ms must be >= 0, got ${ms}`);
    const end = this.#now + ms;
    for (;;) {
      let next: PendingTimer | undefined;
      for (const t of this.#timers) {
        if (t.at <= end && (next === undefined || t.at < next.at || (t.at === next.at && t.id < next.id))) next = t;
      }
      if (next === undefined) break;
      const due = next;
      this.#timers = this.#timers.filter((t) => t !== due);
      this.#now = Math.max(this.#now, due.at);
      due.fn();
    }
    this.#now = end;
  }

  /** Advances to the next due timer and runs it (and any due at the same time); false when none. */
  runNext(): boolean {
    if (this.#timers.length === 0) return false;
    const at = Math.min(...this.#timers.map((t) => t.at));
    this.advance(Math.max(0, at - this.#now));
    return true;
  }
}
