// The Clock port of ADR 0002, declared here so that @orc/kv depends on no other @orc package:
// every orc package declares the same shape, so apps/server passes one clock to all of them.

/**
 * Cancels one timer set with `Clock.setTimer`; cancelling twice or after it ran does nothing.
 *
 * @example
 * ```ts
 * const handle: TimerHandle = systemClock.setTimer(5000, onTimeout);
 * handle.cancel();
 * ```
 */
export interface TimerHandle {
  cancel(): void;
}

/**
 * Monotonic time and one-shot timers: the fan-out's timeouts and the reconciler's schedule and
 * backoff all go through it, so tests drive them with a manual clock instead of sleeping.
 *
 * @example
 * ```ts
 * const clock: Clock = systemClock;
 * const handle = clock.setTimer(1000, () => console.log('one second later'));
 * handle.cancel();
 * ```
 */
export interface Clock {
  /** Monotonic milliseconds: for timeouts and durations, never for timestamps. */
  now(): number;
  /** Epoch milliseconds: for timestamps. */
  wallNow(): number;
  /** Runs `fn` once after `ms`; the handle cancels it. Real timers are unref'd. */
  setTimer(ms: number, fn: () => void): TimerHandle;
}

/**
 * The real clock: `performance.now()`, `Date.now()` and Node's timers, unref'd so that a pending
 * timeout or reconcile never keeps a process alive.
 *
 * @example
 * ```ts
 * const fanout = new KvFanout({ stores, clock: systemClock });
 * ```
 */
export const systemClock: Clock = Object.freeze({
  now: () => performance.now(),
  wallNow: () => Date.now(),
  setTimer: (ms: number, fn: () => void): TimerHandle => {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
});
