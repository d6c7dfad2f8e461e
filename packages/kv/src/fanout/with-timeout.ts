import type { Clock } from '../clock.js';
import { KvError } from '../errors.js';

/**
 * Resolves or rejects as `work` does, or rejects with TIMEOUT after `ms` on `clock`. The work is
 * not cancelled (store clients cannot all cancel); its late result is ignored.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, clock: Clock, what: string, store?: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const timer = clock.setTimer(ms, () => {
      if (done) return;
      done = true;
      reject(new KvError('TIMEOUT', `${what} did not finish within ${ms} ms`, store === undefined ? {} : { store }));
    });
    work.then(
      (value) => {
        if (done) return;
        done = true;
        timer.cancel();
        resolve(value);
      },
      (err: unknown) => {
        if (done) return;
        done = true;
        timer.cancel();
        reject(err);
      },
    );
  });
}
