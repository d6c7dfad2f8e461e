// The daemon's clock: every package declares the same structural Clock and exports the real one
// (ADR 0002), so the daemon takes @orc/backend's instead of keeping a copy; `every` is its own.
import { systemClock, type Clock, type TimerHandle } from '@orc/backend';

export { systemClock, type Clock, type TimerHandle };

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
