/** An opaque handle returned by `KvClock.setTimeout`. */
export type KvTimer = object;

/**
 * Time as @orc/kv sees it: the fan-out's timeouts, the reconciler's schedule and backoff all go
 * through this port, so tests drive them with a manual clock instead of sleeping.
 */
export interface KvClock {
  /** Milliseconds on a monotonic-enough scale; only differences are used. */
  now(): number;
  setTimeout(fn: () => void, ms: number): KvTimer;
  clearTimeout(timer: KvTimer): void;
}

/** The real clock: `performance.now()` and Node's timers (unref'd so they never keep a process alive). */
export const systemKvClock: KvClock = Object.freeze({
  now: () => performance.now(),
  setTimeout: (fn: () => void, ms: number): KvTimer => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (timer: KvTimer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
});
