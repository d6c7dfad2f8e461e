import type { Clock } from './ports.js';

/**
 * The real clock: monotonic `now` from `performance.now()`, epoch `wallNow` from `Date.now()`,
 * and `setTimer` over `setTimeout`. Its timers are unref'd: they do not keep the process alive
 * on their own (a listening transport or the caller's work does).
 *
 * @example
 * ```ts
 * const raft = await Raft.create({ ..., clock: systemClock });
 * const handle = systemClock.setTimer(100, () => console.log('100 ms later'));
 * handle.cancel();
 * ```
 */
export const systemClock: Clock = Object.freeze({
  now: () => performance.now(),
  wallNow: () => Date.now(),
  setTimer(ms: number, fn: () => void) {
    const t = setTimeout(fn, ms);
    t.unref();
    return { cancel: () => clearTimeout(t) };
  },
});
