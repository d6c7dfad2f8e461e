import type { KvTable } from './kv-table.js';

/**
 * A `KvTable` held in a Map: for tests, examples and tools that have no database. Writes replace,
 * and a `put` of several pairs lands all at once.
 *
 * @example
 * ```ts
 * const store = new InternalKvStore({ table: new MemoryKvTable() });
 * ```
 */
export class MemoryKvTable implements KvTable {
  readonly #rows = new Map<string, string>();

  async put(pairs: readonly { key: string; value: string }[]): Promise<void> {
    for (const { key, value } of pairs) this.#rows.set(key, value);
  }

  async get(key: string): Promise<string | undefined> {
    return this.#rows.get(key);
  }

  async list(prefix: string): Promise<{ key: string; value: string }[]> {
    return [...this.#rows]
      .filter(([key]) => key.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => ({ key, value }));
  }

  async delete(key: string): Promise<void> {
    this.#rows.delete(key);
  }

  /** Number of rows (for tests). */
  get size(): number {
    return this.#rows.size;
  }
}
