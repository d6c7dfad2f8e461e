import { performance } from 'node:perf_hooks';

/** A cancel handle for one timer set with {@link Clock.setTimer}. */
export interface TimerHandle {
  cancel(): void;
}

/**
 * Monotonic time and one-shot timers: the `Clock` shape every orc package declares (ADR 0002),
 * so apps/server passes one object to all of them and tests pass `ManualClock` from @orc/testkit.
 *
 * @example
 * ```ts
 * const startedAt = clock.now();
 * const handle = clock.setTimer(5_000, () => log.warn('probe slow', { ms: clock.now() - startedAt }));
 * handle.cancel();
 * ```
 */
export interface Clock {
  /** Monotonic milliseconds: for timeouts and durations, never for timestamps. */
  now(): number;
  /** Epoch milliseconds: for timestamps kept on instances and written to the backend. */
  wallNow(): number;
  /** Runs `fn` once after `ms`; the handle cancels it. Real timers are unref'd. */
  setTimer(ms: number, fn: () => void): TimerHandle;
}

/**
 * The real clock: `performance.now()` (monotonic), `Date.now()` for wall time, and `setTimeout`
 * unref'd so a forgotten loop never holds the process open.
 *
 * @example
 * ```ts
 * new OrcTopology({ config, clock: systemClock });
 * ```
 */
export const systemClock: Clock = Object.freeze({
  now: () => performance.now(),
  wallNow: () => Date.now(),
  setTimer(ms: number, fn: () => void): TimerHandle {
    const t = setTimeout(fn, ms);
    t.unref();
    return { cancel: () => clearTimeout(t) };
  },
});
