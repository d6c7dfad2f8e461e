import { KvError } from './errors.js';
import type { KvPair, KvStoreLimits } from './kv-store.js';

/** How many bytes one pair costs in a store's transaction request. */
export type PairCost = (pair: KvPair) => number;

/**
 * Groups a batch so that each cluster's pairs stay together: a pair joins the group of its parent
 * key when the parent is in the same batch (`mysql/master/a/port` joins `mysql/master/a`), else it
 * starts its own group. Groups keep the order in which they first appear.
 */
export function groupByParent(pairs: readonly KvPair[]): KvPair[][] {
  const keys = new Set(pairs.map((p) => p.key));
  const groups = new Map<string, KvPair[]>();
  for (const pair of pairs) {
    const slash = pair.key.lastIndexOf('/');
    const parent = slash > 0 ? pair.key.slice(0, slash) : undefined;
    const root = parent !== undefined && keys.has(parent) ? parent : pair.key;
    let group = groups.get(root);
    if (group === undefined) {
      group = [];
      groups.set(root, group);
    }
    group.push(pair);
  }
  return [...groups.values()];
}

/**
 * Packs groups into transactions no larger than the store's limits, never splitting a group.
 * A group with several pairs that alone exceeds a limit throws INVALID_BATCH naming its first
 * key, before anything is written. A single pair over the request limit gets a batch of its own
 * (the store may write it without a transaction).
 *
 * @example
 * ```ts
 * transactionBatches(pairs, { maxTransactionOps: 64, maxRequestBytes: 512 * 1024, maxValueBytes: 512 * 1024 }, (p) => p.key.length + p.value.length);
 * ```
 */
export function transactionBatches(
  pairs: readonly KvPair[],
  limits: KvStoreLimits,
  cost: PairCost,
  store?: string,
): KvPair[][] {
  const batches: KvPair[][] = [];
  let current: KvPair[] = [];
  let currentBytes = 0;
  for (const group of groupByParent(pairs)) {
    const bytes = group.reduce((sum, p) => sum + cost(p), 0);
    if (group.length > 1 && (group.length > limits.maxTransactionOps || bytes > limits.maxRequestBytes)) {
      const first = group[0]?.key ?? '';
      throw new KvError(
        'INVALID_BATCH',
        `the ${group.length} pairs under key ${JSON.stringify(first)} (${bytes} bytes) do not fit one transaction (at most ${limits.maxTransactionOps} operations, ${limits.maxRequestBytes} bytes)`,
        { key: first, ...(store === undefined ? {} : { store }) },
      );
    }
    if (
      current.length > 0 &&
      (current.length + group.length > limits.maxTransactionOps || currentBytes + bytes > limits.maxRequestBytes)
    ) {
      batches.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(...group);
    currentBytes += bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * Runs `task` over `items` with at most `concurrency` running at once; rejects with the first
 * error after every started task has settled (so nothing keeps running behind the caller's back).
 */
export async function forEachConcurrently<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let firstError: { err: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (firstError === undefined && next < items.length) {
      const index = next++;
      try {
        await task(items[index] as T, index);
      } catch (err) {
        firstError ??= { err };
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, () => worker());
  await Promise.all(workers);
  if (firstError !== undefined) throw firstError.err;
}
