import { KvError } from '../errors.js';
import { validateKey } from '../key-validation.js';
import type { KvPair } from '../kv-store.js';

/** orchestrator's default `KVClusterMasterPrefix`. */
export const DEFAULT_MASTER_PREFIX = 'mysql/master';

/** A cluster's primary as the key layout needs it. */
export interface ClusterMaster {
  /** The cluster's alias (orchestrator falls back to the cluster name). Empty: nothing is written. */
  readonly alias: string;
  readonly host: string;
  readonly port: number;
  /** Written only when known (non-empty). */
  readonly ipv4?: string | undefined;
  /** Written only when known (non-empty). */
  readonly ipv6?: string | undefined;
}

/**
 * Normalizes a `KVClusterMasterPrefix` the way orchestrator does (it ends with `/`), and also
 * drops leading slashes, since keys here are relative (ZooKeeper paths get their `/` added by
 * the ZooKeeper store). `''` and `'/'` mean the root: keys are the aliases themselves.
 *
 * @example
 * ```ts
 * normalizeMasterPrefix('mysql/master'); // 'mysql/master/'
 * normalizeMasterPrefix('/');            // ''
 * ```
 */
export function normalizeMasterPrefix(prefix: string = DEFAULT_MASTER_PREFIX): string {
  if (typeof prefix !== 'string') throw new KvError('INVALID_ARGUMENT', 'KV master prefix must be a string');
  const trimmed = prefix.replace(/^\/+/, '').replace(/\/+$/, '');
  if (trimmed === '') return '';
  validateKey(trimmed);
  return `${trimmed}/`;
}

/**
 * The pairs orchestrator writes for a cluster's primary, in its order:
 * `<prefix>/<alias>` = `host:port`, then `/hostname`, `/port`, and `/ipv4`, `/ipv6` when known.
 *
 * @example
 * ```ts
 * clusterMasterPairs({ alias: 'shop', host: 'db1.example', port: 3306, ipv4: '10.0.0.5' });
 * // [ { key: 'mysql/master/shop', value: 'db1.example:3306' },
 * //   { key: 'mysql/master/shop/hostname', value: 'db1.example' },
 * //   { key: 'mysql/master/shop/port', value: '3306' },
 * //   { key: 'mysql/master/shop/ipv4', value: '10.0.0.5' } ]
 * ```
 */
export function clusterMasterPairs(master: ClusterMaster, prefix: string = DEFAULT_MASTER_PREFIX): KvPair[] {
  if (master === null || typeof master !== 'object')
    throw new KvError('INVALID_ARGUMENT', 'master must be an object { alias, host, port }');
  const { alias, host, port, ipv4, ipv6 } = master;
  if (typeof alias !== 'string') throw new KvError('INVALID_ARGUMENT', 'master.alias must be a string');
  if (alias === '') return [];
  if (typeof host !== 'string' || host.trim() === '' || host.trim() !== host) {
    throw new KvError(
      'INVALID_ARGUMENT',
      `master.host of cluster ${JSON.stringify(alias)} must be a non-empty hostname without surrounding spaces`,
    );
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new KvError(
      'INVALID_ARGUMENT',
      `master.port of cluster ${JSON.stringify(alias)} must be an integer 1..65535, got ${String(port)}`,
    );
  }
  const base = `${normalizeMasterPrefix(prefix)}${alias}`;
  validateKey(base);
  const pairs: KvPair[] = [
    { key: base, value: `${host}:${port}` },
    { key: `${base}/hostname`, value: host },
    { key: `${base}/port`, value: String(port) },
  ];
  if (ipv4 !== undefined && ipv4 !== '') pairs.push({ key: `${base}/ipv4`, value: ipv4 });
  if (ipv6 !== undefined && ipv6 !== '') pairs.push({ key: `${base}/ipv6`, value: ipv6 });
  return pairs;
}

/**
 * The alias a key belongs to under `prefix` (the first segment after it), or undefined when the
 * key is not under the prefix. `mysql/master/shop/port` → `shop`.
 */
export function clusterAliasOfKey(key: string, prefix: string = DEFAULT_MASTER_PREFIX): string | undefined {
  const p = normalizeMasterPrefix(prefix);
  if (!key.startsWith(p)) return undefined;
  const rest = key.slice(p.length);
  const alias = rest.split('/')[0];
  return alias === undefined || alias === '' ? undefined : alias;
}
