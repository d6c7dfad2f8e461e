/** A cancellable timer handle returned by {@link TopologyClock.setTimer}. */
export interface TimerHandle {
  cancel(): void;
}

/**
 * Time as the discovery loop sees it. Tests inject a manual clock; {@link systemClock} is the default.
 * `now()` is milliseconds since the epoch.
 */
export interface TopologyClock {
  now(): number;
  setTimer(ms: number, fn: () => void): TimerHandle;
}

/** The real clock: `Date.now()` and `setTimeout` (unref'd so a forgotten loop never holds the process). */
export const systemClock: TopologyClock = Object.freeze({
  now: () => Date.now(),
  setTimer(ms: number, fn: () => void): TimerHandle {
    const t = setTimeout(fn, ms);
    t.unref();
    return { cancel: () => clearTimeout(t) };
  },
});
