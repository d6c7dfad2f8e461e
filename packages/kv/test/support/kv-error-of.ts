import { isKvError, type KvError } from '../../src/index.js';
import { thrownBy } from '@orc/testkit';

/**
 * The KvError `fn` throws synchronously; fails the test (rethrowing what was thrown, so the
 * failure shows it) when `fn` returns or throws something else. For promises use
 * `rejectionOf(promise, isKvError)` from @orc/testkit.
 */
export function kvErrorOf(fn: () => unknown): KvError {
  return thrownBy(fn, isKvError);
}
