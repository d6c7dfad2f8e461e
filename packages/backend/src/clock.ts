// The clock port of ADR 0002, declared here so this package depends on no other @orc package.
// Every orc package declares the same shape; one object (apps/server's, or @orc/testkit's
// ManualClock in tests) satisfies them all.

/**
 * A scheduled timer's handle.
 *
 * @example
 * ```ts
 * const handle: TimerHandle = clock.setTimer(5000, retry);
 * handle.cancel();
 * ```
 */
export interface TimerHandle {
  /** Stops the timer; harmless after it ran. */
  cancel(): void;
}

/**
 * Monotonic time, wall time and one-shot timers.
 *
 * The backend stamps rows (`last_checked`, `begin_timestamp`, audit times...) with `wallNow()`;
 * the shared-backend election bounds how long a node believes in its lease with `now()`, which
 * never jumps back. When a lease has expired is decided by the database's clock, not this one.
 *
 * @example
 * ```ts
 * const backend = new Backend(config, { clock: systemClock });
 * ```
 */
export interface Clock {
  /** Monotonic milliseconds: for timeouts and durations, never for timestamps. */
  now(): number;
  /** Epoch milliseconds: for timestamps written to the backend. */
  wallNow(): number;
  /** Runs `fn` once after `ms`; the handle cancels it. Real timers are unref'd. */
  setTimer(ms: number, fn: () => void): TimerHandle;
}

/**
 * The real clock: `performance.now()`, `Date.now()` and an unref'd `setTimeout` (a pending timer
 * never keeps the process alive).
 *
 * @example
 * ```ts
 * const started = systemClock.now();
 * const handle = systemClock.setTimer(1000, () => log.info('a second passed'));
 * handle.cancel();
 * ```
 */
export const systemClock: Clock = Object.freeze({
  now: () => performance.now(),
  wallNow: () => Date.now(),
  setTimer(ms: number, fn: () => void): TimerHandle {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
});
