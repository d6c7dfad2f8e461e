export interface WaitForOptions {
  /** How long to keep trying; a bound, not a speed target. Default 20 s. */
  readonly timeoutMs?: number;
  /** Pause between tries. Default 25 ms. */
  readonly intervalMs?: number;
  /** Extra facts for the failure message (state of the world when the deadline passed). */
  readonly diagnose?: () => unknown;
}

/**
 * Polls `probe` until it returns a value other than undefined, null or false, and resolves with
 * it; for integration tests that wait on real servers (no fixed sleeps). When the deadline
 * passes it rejects naming `what`, the last error `probe` threw, and `diagnose()`.
 *
 * @example
 * ```ts
 * const primary = await waitFor('a new primary', async () => (await topology()).primary);
 * ```
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  options: WaitForOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const intervalMs = options.intervalMs ?? 25;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const facts = options.diagnose?.();
      const lastError =
        last === undefined ? '' : `; last error: ${last instanceof Error ? last.message : String(last)}`;
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError}${facts === undefined ? '' : `; ${JSON.stringify(facts)}`}`,
        { cause: last },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * The error a promise rejects with, checked by `guard` (fails when the promise resolves or
 * rejects with something `guard` refuses, rethrowing that value so the test shows it).
 */
export async function rejectionOf<E>(promise: Promise<unknown>, guard: (err: unknown) => err is E): Promise<E> {
  try {
    await promise;
  } catch (err) {
    if (guard(err)) return err;
    throw err;
  }
  throw new Error('expected a rejection, but the promise resolved');
}

/**
 * The error `fn` throws synchronously, checked by `guard`: the synchronous sibling of
 * {@link rejectionOf}. Fails when `fn` returns, and rethrows a value `guard` refuses so the test
 * shows it.
 *
 * @example
 * ```ts
 * const error = thrownBy(() => validateTopologyConfig({ instancePollSeconds: -1 }), isTopologyError);
 * expect(error.details.map((d) => d.path)).toEqual(['instancePollSeconds']);
 * ```
 */
export function thrownBy<E>(fn: () => unknown, guard: (err: unknown) => err is E): E {
  try {
    fn();
  } catch (err) {
    if (guard(err)) return err;
    throw err;
  }
  throw new Error('expected an error to be thrown, but the call returned');
}
