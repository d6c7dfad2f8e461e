import { BackendError } from '../errors.js';
import { checkString, inTransaction, run, type RepositoryContext } from './repository-context.js';

/** One key-value pair. */
export interface KvPair {
  readonly key: string;
  readonly value: string;
}

const MAX_KEY_LENGTH = 255;

/**
 * `kv_store`: orc's own key-value table. Its methods match @orc/kv's internal-store port, so
 * `backend.kv` can be handed to it as is. Keys compare byte for byte (case and trailing spaces
 * matter) on both dialects.
 *
 * @example
 * ```ts
 * await backend.kv.put([{ key: 'mysql/master/c1', value: 'db1:3306' }]);
 * await backend.kv.list('mysql/master/'); // [{ key: 'mysql/master/c1', value: 'db1:3306' }]
 * ```
 */
export class KvRepository {
  readonly #ctx: RepositoryContext;

  /** @internal */
  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx;
  }

  /** Writes every pair, all in one transaction (all or none). A key repeated in `pairs`: the last value wins. */
  async put(pairs: readonly { key: string; value: string }[]): Promise<void> {
    if (!Array.isArray(pairs)) throw new BackendError('INVALID_ARGUMENT', 'pairs: expected an array');
    const latest = new Map<string, string>();
    pairs.forEach((p, i) => {
      if (typeof p !== 'object' || p === null)
        throw new BackendError('INVALID_ARGUMENT', `pairs[${i}]: expected { key, value }`);
      checkString(p.key, `pairs[${i}].key`, MAX_KEY_LENGTH, false);
      if (typeof p.value !== 'string')
        throw new BackendError('INVALID_ARGUMENT', `pairs[${i}].value: expected a string`);
      latest.set(p.key, p.value);
    });
    if (latest.size === 0) return;
    const now = this.#ctx.clock.wallNow();
    const rows = [...latest].map(([key, value]) => ({ store_key: key, store_value: value, last_updated: now }));
    await inTransaction(this.#ctx, 'put KV pairs', (trx, dialect) =>
      dialect.upsert(trx, 'kv_store', rows, ['store_key'], ['store_value', 'last_updated']),
    );
  }

  /** The value of `key`, or undefined. */
  async get(key: string): Promise<string | undefined> {
    checkString(key, 'key', MAX_KEY_LENGTH, false);
    return run(this.#ctx, 'get KV pair', async (db) => {
      const row = await db.selectFrom('kv_store').select('store_value').where('store_key', '=', key).executeTakeFirst();
      return row?.store_value;
    });
  }

  /** Every pair whose key starts with `prefix` ('' for all), sorted by key. */
  async list(prefix: string): Promise<{ key: string; value: string }[]> {
    checkString(prefix, 'prefix', MAX_KEY_LENGTH);
    const upper = prefixUpperBound(prefix);
    return run(this.#ctx, 'list KV pairs', async (db) => {
      let q = db.selectFrom('kv_store').select(['store_key', 'store_value']).where('store_key', '>=', prefix);
      if (upper !== undefined) q = q.where('store_key', '<', upper);
      const rows = await q.orderBy('store_key').execute();
      return rows.map((r) => ({ key: r.store_key, value: r.store_value }));
    });
  }

  /** Deletes `key`; deleting a missing key is not an error. */
  async delete(key: string): Promise<void> {
    checkString(key, 'key', MAX_KEY_LENGTH, false);
    await run(this.#ctx, 'delete KV pair', (db) => db.deleteFrom('kv_store').where('store_key', '=', key).execute());
  }
}

/**
 * The smallest string greater than every string starting with `prefix`, in code point order (which
 * is byte order for UTF-8 on both dialects), or undefined when there is none. A range scan instead
 * of LIKE: LIKE is case-insensitive in SQLite and needs escaping.
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const points = [...prefix].map((c) => c.codePointAt(0) ?? 0);
  while (points.length > 0) {
    const last = points.pop() ?? 0;
    let next = last + 1;
    if (next >= 0xd800 && next <= 0xdfff) next = 0xe000;
    if (next <= 0x10ffff) return String.fromCodePoint(...points, next);
  }
  return undefined;
}
