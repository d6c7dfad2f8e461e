import { groupByParent } from '../batching.js';
import type { KvPair } from '../kv-store.js';

/** What a store lacks compared with the desired state. */
export interface KvDiff {
  /** Desired pairs the store does not have at all. */
  readonly missing: readonly KvPair[];
  /** Desired pairs the store holds with another value. */
  readonly different: readonly KvPair[];
}

/**
 * Compares the desired pairs with what a store holds. Keys the store has beyond the desired
 * state are left alone: orc never deletes what it did not decide to delete.
 */
export function diffPairs(desired: readonly KvPair[], actual: readonly KvPair[]): KvDiff {
  const have = new Map(actual.map((p) => [p.key, p.value]));
  const missing: KvPair[] = [];
  const different: KvPair[] = [];
  for (const pair of desired) {
    const value = have.get(pair.key);
    if (value === undefined) missing.push(pair);
    else if (value !== pair.value) different.push(pair);
  }
  return { missing, different };
}

/**
 * Splits the pairs to write into chunks of about `size` pairs, keeping each cluster's pairs in
 * one chunk so a store's transaction covers them together.
 */
export function repairChunks(pairs: readonly KvPair[], size: number): KvPair[][] {
  const chunks: KvPair[][] = [];
  let current: KvPair[] = [];
  for (const group of groupByParent(pairs)) {
    if (current.length > 0 && current.length + group.length > size) {
      chunks.push(current);
      current = [];
    }
    current.push(...group);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
