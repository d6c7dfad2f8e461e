/**
 * Wall-clock time in epoch milliseconds, used to stamp rows (last_checked, begin_timestamp, ...).
 * Injected so tests can control it; the default is `Date.now`.
 *
 * The shared-backend election does NOT use it: there the database's clock decides expiry.
 */
export type WallClock = () => number;

/**
 * A monotonic clock in milliseconds (never jumps back), used by the election to bound how long a
 * node believes in its lease. The default is `performance.now`.
 */
export type MonotonicClock = () => number;

/** The default wall clock. */
export const systemWallClock: WallClock = () => Date.now();

/** The default monotonic clock. */
export const systemMonotonicClock: MonotonicClock = () => performance.now();
