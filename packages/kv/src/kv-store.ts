/** One key and its value. Keys are `/`-separated paths without a leading slash (`mysql/master/a`). */
export interface KvPair {
  readonly key: string;
  readonly value: string;
}

/** What a store accepts; checked for every pair before anything is sent. */
export interface KvStoreLimits {
  /** Largest value in bytes (UTF-8). */
  readonly maxValueBytes: number;
  /** Largest single request or transaction in bytes, as this store's client encodes it. */
  readonly maxRequestBytes: number;
  /** Most operations in one transaction. */
  readonly maxTransactionOps: number;
  /** Longest key in bytes (UTF-8), when the store has a limit (the internal table's key is varchar(255)). */
  readonly maxKeyBytes?: number;
}

/** The kinds of store this package ships; other implementations name themselves. */
export type KvStoreKind = 'internal' | 'consul' | 'zookeeper' | 'etcd' | (string & {});

/**
 * The port every key-value store implements. Writes are validated before anything is sent; a
 * `putMany` writes each cluster's pairs (a key and the keys under it) in one transaction where
 * the store has transactions, so readers never see half of a cluster's change.
 *
 * @example
 * ```ts
 * await store.putMany(clusterMasterPairs({ alias: 'shop', host: 'db1', port: 3306 }));
 * const primary = await store.get('mysql/master/shop'); // 'db1:3306'
 * ```
 */
export interface KvStore {
  /** A name unique among the configured stores, used in outcomes and logs (`consul`, `zookeeper`, ...). */
  readonly name: string;
  readonly kind: KvStoreKind;
  readonly limits: KvStoreLimits;
  /**
   * Throws what `putMany(pairs)` would throw for these pairs before sending anything (bad key,
   * value over the limit, a cluster's pairs too big for one transaction). Sends nothing.
   */
  validate(pairs: readonly KvPair[]): void;
  /** Writes one pair (creating parents where the store has a hierarchy). */
  put(key: string, value: string): Promise<void>;
  /** Writes many pairs; each cluster's pairs atomically where the store can. */
  putMany(pairs: readonly KvPair[]): Promise<void>;
  /** The value of `key`, or undefined when it does not exist. */
  get(key: string): Promise<string | undefined>;
  /** Every pair whose key starts with `prefix` (a plain string prefix), sorted by key. */
  list(prefix: string): Promise<KvPair[]>;
  /** Removes `key` (not the keys under it). Removing a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Resolves when the store answers; the reconciler uses it to notice a store coming back. */
  ping(): Promise<void>;
  /** Releases connections. Calls after `close` fail with CLOSED. */
  close(): Promise<void>;
}
