import { KvError, errorMessage } from '../errors.js';
import { validateKey, validatePairs, validatePrefix } from '../key-validation.js';
import type { KvPair, KvStore, KvStoreLimits } from '../kv-store.js';
import type { KvTable } from './kv-table.js';

/** Options of the internal store. */
export interface InternalKvStoreOptions {
  /** The backend's KV table (or a `MemoryKvTable`). */
  readonly table: KvTable;
  /** Defaults to `internal`. */
  readonly name?: string;
  /** Defaults: keys up to 255 bytes, values up to 1 MiB, 10,000 pairs per table call. */
  readonly limits?: Partial<KvStoreLimits>;
}

/** Default limits of the internal store: keys fit the backend's varchar(255) `store_key`. */
export const INTERNAL_LIMITS: KvStoreLimits = Object.freeze({
  maxKeyBytes: 255,
  maxValueBytes: 1024 * 1024,
  maxRequestBytes: 64 * 1024 * 1024,
  maxTransactionOps: 10_000,
});

/**
 * orc's own store: the backend's KV table. It is the desired state the reconciler copies to the
 * external stores. A `putMany` is one database transaction.
 *
 * @example
 * ```ts
 * const internal = new InternalKvStore({ table: new MemoryKvTable() });
 * await internal.put('mysql/master/shop', 'db1:3306');
 * ```
 */
export class InternalKvStore implements KvStore {
  readonly name: string;
  readonly kind = 'internal' as const;
  readonly limits: KvStoreLimits;
  readonly #table: KvTable;
  #closed = false;

  constructor(options: InternalKvStoreOptions) {
    if (
      options === null ||
      typeof options !== 'object' ||
      options.table === null ||
      typeof options.table !== 'object'
    ) {
      throw new KvError('INVALID_ARGUMENT', 'InternalKvStore needs options.table (a KvTable)');
    }
    this.#table = options.table;
    this.name = options.name ?? 'internal';
    this.limits = Object.freeze({ ...INTERNAL_LIMITS, ...options.limits });
  }

  async put(key: string, value: string): Promise<void> {
    this.#open();
    this.validate([{ key, value }]);
    await this.#call(() => this.#table.put([{ key, value }]));
  }

  validate(pairs: readonly KvPair[]): void {
    validatePairs(pairs, this.limits, this.name);
  }

  async putMany(pairs: readonly KvPair[]): Promise<void> {
    this.#open();
    this.validate(pairs);
    if (pairs.length === 0) return;
    for (let i = 0; i < pairs.length; i += this.limits.maxTransactionOps) {
      const chunk = pairs.slice(i, i + this.limits.maxTransactionOps).map(({ key, value }) => ({ key, value }));
      await this.#call(() => this.#table.put(chunk));
    }
  }

  async get(key: string): Promise<string | undefined> {
    this.#open();
    validateKey(key, this.name);
    return this.#call(() => this.#table.get(key));
  }

  async list(prefix: string): Promise<KvPair[]> {
    this.#open();
    validatePrefix(prefix, this.name);
    const rows = await this.#call(() => this.#table.list(prefix));
    return rows.filter((r) => r.key.startsWith(prefix)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(key: string): Promise<void> {
    this.#open();
    validateKey(key, this.name);
    await this.#call(() => this.#table.delete(key));
  }

  async ping(): Promise<void> {
    this.#open();
    await this.#call(() => this.#table.get('orc/ping'));
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #open(): void {
    if (this.#closed) throw new KvError('CLOSED', `store ${this.name} is closed`, { store: this.name });
  }

  async #call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof KvError) throw err;
      throw new KvError('UNAVAILABLE', `internal store ${this.name} failed: ${errorMessage(err)}`, {
        cause: err,
        store: this.name,
      });
    }
  }
}
