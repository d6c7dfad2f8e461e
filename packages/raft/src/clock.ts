import type { Clock } from './ports.js';

/**
 * The real clock: wall time in milliseconds and `setTimeout`. Its timers do not keep the
 * process alive on their own (a listening transport or the caller's work does).
 *
 * @example
 * ```ts
 * const raft = await Raft.create({ ..., clock: systemClock });
 * ```
 */
export const systemClock: Clock = Object.freeze({
  now: () => performance.now(),
  setTimeout(fn: () => void, ms: number) {
    const t = setTimeout(fn, ms);
    t.unref();
    return { cancel: () => clearTimeout(t) };
  },
});
