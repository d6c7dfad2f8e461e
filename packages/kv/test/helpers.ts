import { isKvError, type KvError } from '../src/index.js';

/**
 * Polls `check` until it returns true or the deadline passes; then fails naming `what`, the last
 * error `check` threw and whatever `diagnose` returns.
 */
export async function eventually(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
  diagnose: () => unknown = () => undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const facts = diagnose();
      const lastError = last === undefined ? '' : ` (last error: ${String(last)})`;
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError}${facts === undefined ? '' : `; ${JSON.stringify(facts)}`}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The KvError a promise rejects with (fails when it resolves or rejects with something else). */
export async function rejection(p: Promise<unknown>): Promise<KvError> {
  try {
    await p;
  } catch (err) {
    if (isKvError(err)) return err;
    throw err;
  }
  throw new Error('expected a KvError');
}
