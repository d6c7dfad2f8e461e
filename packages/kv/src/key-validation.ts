import { KvError } from './errors.js';
import type { KvPair, KvStoreLimits } from './kv-store.js';

// Control characters (C0 and DEL) never belong in a key: they break Consul URLs and ZooKeeper paths.
// eslint-disable-next-line no-control-regex
const controlChar = /[\u0000-\u001f\u007f]/;

/**
 * Throws INVALID_KEY, naming the key, when `key` is not a usable key: empty, not a string,
 * containing `//`, a leading or trailing space or slash, a `.` or `..` segment, or a control
 * character.
 *
 * @example
 * ```ts
 * validateKey('mysql/master/shop'); // fine
 * validateKey('mysql//master');     // throws KvError INVALID_KEY
 * ```
 */
export function validateKey(key: unknown, store?: string): asserts key is string {
  const fail = (why: string): never => {
    throw new KvError('INVALID_KEY', `invalid key ${JSON.stringify(key)}: ${why}`, keyOptions(key, store));
  };
  if (typeof key !== 'string') return fail('a key must be a string');
  if (key.length === 0) return fail('a key must not be empty');
  if (key.trim() !== key) return fail('a key must not begin or end with whitespace');
  if (key.includes('//')) return fail('a key must not contain "//"');
  if (key.startsWith('/')) return fail('a key must not begin with "/" (keys are relative: "mysql/master/x")');
  if (key.endsWith('/')) return fail('a key must not end with "/"');
  if (controlChar.test(key)) return fail('a key must not contain control characters');
  if (key.split('/').some((s) => s === '.' || s === '..')) return fail('a key must not contain "." or ".." segments');
}

/** Throws INVALID_KEY when `prefix` cannot start a key ('' is allowed: everything). */
export function validatePrefix(prefix: unknown, store?: string): asserts prefix is string {
  if (typeof prefix !== 'string')
    throw new KvError('INVALID_KEY', 'a prefix must be a string', keyOptions(prefix, store));
  if (prefix === '') return;
  validateKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix, store);
}

/** UTF-8 length of a string. */
export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/**
 * Checks every pair of a batch against the key rules and `limits` before anything is written:
 * a bad key or a value over the limit throws a KvError naming the key; the same key twice
 * throws INVALID_BATCH.
 */
export function validatePairs(pairs: readonly KvPair[], limits: KvStoreLimits, store?: string): void {
  if (!Array.isArray(pairs))
    throw new KvError('INVALID_BATCH', 'pairs must be an array of { key, value }', storeOption(store));
  const seen = new Set<string>();
  for (const pair of pairs) {
    if (pair === null || typeof pair !== 'object')
      throw new KvError('INVALID_BATCH', 'each pair must be an object { key, value }', storeOption(store));
    validateKey(pair.key, store);
    validateKeyLength(pair.key, limits, store);
    validateValue(pair.key, pair.value, limits, store);
    if (seen.has(pair.key))
      throw new KvError(
        'INVALID_BATCH',
        `key ${JSON.stringify(pair.key)} appears twice in one batch`,
        keyOptions(pair.key, store),
      );
    seen.add(pair.key);
  }
}

/** Throws INVALID_KEY when `key` is longer than the store's `maxKeyBytes`. */
export function validateKeyLength(key: string, limits: KvStoreLimits, store?: string): void {
  if (limits.maxKeyBytes === undefined) return;
  const bytes = byteLength(key);
  if (bytes > limits.maxKeyBytes) {
    const where = store === undefined ? '' : ` of store ${store}`;
    throw new KvError(
      'INVALID_KEY',
      `invalid key ${JSON.stringify(key)}: ${bytes} bytes, over the limit${where} of ${limits.maxKeyBytes} bytes`,
      keyOptions(key, store),
    );
  }
}

/** Throws VALUE_TOO_LARGE, naming the key, when `value` is not a string or exceeds the limit. */
export function validateValue(
  key: string,
  value: unknown,
  limits: KvStoreLimits,
  store?: string,
): asserts value is string {
  if (typeof value !== 'string')
    throw new KvError(
      'VALUE_TOO_LARGE',
      `value of key ${JSON.stringify(key)} must be a string`,
      keyOptions(key, store),
    );
  const bytes = byteLength(value);
  if (bytes > limits.maxValueBytes) {
    const where = store === undefined ? '' : ` of store ${store}`;
    throw new KvError(
      'VALUE_TOO_LARGE',
      `value of key ${JSON.stringify(key)} is ${bytes} bytes, over the limit${where} of ${limits.maxValueBytes} bytes`,
      keyOptions(key, store),
    );
  }
}

function keyOptions(key: unknown, store: string | undefined): { key?: string; store?: string } {
  return { ...(typeof key === 'string' ? { key } : {}), ...storeOption(store) };
}

function storeOption(store: string | undefined): { store?: string } {
  return store === undefined ? {} : { store };
}
