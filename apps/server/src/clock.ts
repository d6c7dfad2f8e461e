// The one clock of the daemon, in the shape every package declares (ADR 0002).
import { performance } from 'node:perf_hooks';

/** Cancels a timer. */
export interface TimerHandle {
  cancel(): void;
}

/** Monotonic time, wall time and one-shot timers. */
export interface Clock {
  now(): number;
  wallNow(): number;
  setTimer(ms: number, fn: () => void): TimerHandle;
}

/**
 * The real clock: `performance.now`, `Date.now`, unref'd timers (a forgotten timer never holds
 * the process open; the HTTP server does).
 *
 * @example
 * const t = systemClock.setTimer(1000, tick); t.cancel();
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

/**
 * Runs `fn` every `ms` on a clock, never two at once (a slow run delays the next).
 *
 * @example
 * const stop = every(systemClock, 1000, () => election.attempt());
 */
export function every(clock: Clock, ms: number, fn: () => Promise<void>, onError: (err: unknown) => void): () => void {
  let stopped = false;
  let timer: TimerHandle | undefined;
  const run = (): void => {
    if (stopped) return;
    fn().then(
      () => schedule(),
      (err: unknown) => {
        onError(err);
        schedule();
      },
    );
  };
  const schedule = (): void => {
    if (!stopped) timer = clock.setTimer(ms, run);
  };
  schedule();
  return () => {
    stopped = true;
    timer?.cancel();
  };
}
