/**
 * The slice of the backend's KV table the internal store needs. @orc/backend fulfils it (its
 * repository has exactly these methods); @orc/kv never depends on @orc/backend.
 *
 * `put` writes all pairs in one database transaction (replace semantics). `list` returns pairs
 * whose key starts with `prefix`.
 */
export interface KvTable {
  put(pairs: readonly { key: string; value: string }[]): Promise<void>;
  get(key: string): Promise<string | undefined>;
  list(prefix: string): Promise<{ key: string; value: string }[]>;
  delete(key: string): Promise<void>;
}
