import { KvError, type KvErrorDetail } from './errors.js';
import { DEFAULT_MASTER_PREFIX, normalizeMasterPrefix } from './layout/master-pairs.js';
import { DEFAULT_FANOUT_TIMEOUT_MS } from './fanout/kv-fanout.js';
import { validateReconcilerOptions, type KvReconcilerSettings } from './reconcile/reconciler-config.js';

/** Consul settings (orchestrator's Consul* keys). */
export interface ConsulConfig {
  readonly address: string;
  readonly scheme: 'http' | 'https';
  readonly aclToken: string;
  readonly caCert: string | undefined;
  readonly crossDataCenterDistribution: boolean;
  /** `consul` or `consul-txn`; both write through /v1/txn (see docs/adr/0402). */
  readonly provider: 'consul' | 'consul-txn';
  readonly maxKvsPerTransaction: number;
  readonly requestTimeoutMs: number;
}

/** ZooKeeper settings (orchestrator's ZkAddress). */
export interface ZooKeeperConfig {
  readonly connectString: string;
  readonly sessionTimeoutMs: number;
  readonly requestTimeoutMs: number;
}

/** etcd settings (new in orc). */
export interface EtcdConfig {
  readonly endpoints: readonly string[];
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly caCert: string | undefined;
  readonly requestTimeoutMs: number;
}

/** The whole @orc/kv configuration, defaults filled. A store is configured when its section is present. */
export interface KvConfig {
  /** Normalized KVClusterMasterPrefix (`mysql/master/`). */
  readonly masterPrefix: string;
  /** Bound on each store's call in a fan-out. */
  readonly fanoutTimeoutMs: number;
  readonly consul: ConsulConfig | undefined;
  readonly zookeeper: ZooKeeperConfig | undefined;
  readonly etcd: EtcdConfig | undefined;
  readonly reconcile: KvReconcilerSettings;
}

/** What `validateKvConfig` accepts: every field optional except each section's address. */
export interface KvConfigInput {
  readonly masterPrefix?: string;
  readonly fanoutTimeoutMs?: number;
  readonly consul?: Partial<Omit<ConsulConfig, 'provider' | 'scheme'>> & {
    readonly address: string;
    readonly provider?: string;
    readonly scheme?: string;
  };
  readonly zookeeper?: Partial<ZooKeeperConfig> & { readonly connectString: string };
  readonly etcd?: Partial<EtcdConfig> & { readonly endpoints: readonly string[] };
  readonly reconcile?: Partial<KvReconcilerSettings>;
}

/**
 * Checks a KV configuration, fills every default and reports ALL problems at once (INVALID_CONFIG,
 * `details` with each path). The reconciler compares the master prefix unless told otherwise.
 *
 * @example
 * ```ts
 * const config = validateKvConfig({ zookeeper: { connectString: 'zk1,zk2:2182' }, etcd: { endpoints: ['http://127.0.0.1:2379'] } });
 * ```
 */
export function validateKvConfig(input: KvConfigInput = {}): KvConfig {
  const problems: KvErrorDetail[] = [];
  if (input === null || typeof input !== 'object')
    throw new KvError('INVALID_CONFIG', 'KV config must be an object', {
      details: [{ path: '', message: 'must be an object' }],
    });
  const bad = (path: string, message: string): void => void problems.push({ path, message });
  const positive = (path: string, v: unknown, dflt: number): number => {
    if (v === undefined) return dflt;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)
      bad(path, `must be a positive number, got ${JSON.stringify(v)}`);
    return v as number;
  };
  const text = (path: string, v: unknown, required: boolean): string | undefined => {
    if (v === undefined || v === '') {
      if (required) bad(path, 'is required');
      return undefined;
    }
    if (typeof v !== 'string') {
      bad(path, `must be a string, got ${JSON.stringify(v)}`);
      return undefined;
    }
    return v;
  };

  let masterPrefix = normalizeMasterPrefix(DEFAULT_MASTER_PREFIX);
  if (input.masterPrefix !== undefined) {
    try {
      masterPrefix = normalizeMasterPrefix(input.masterPrefix);
    } catch (err) {
      bad('masterPrefix', err instanceof Error ? err.message : String(err));
    }
  }
  const fanoutTimeoutMs = positive('fanoutTimeoutMs', input.fanoutTimeoutMs, DEFAULT_FANOUT_TIMEOUT_MS);

  let consul: ConsulConfig | undefined;
  if (input.consul !== undefined) {
    const c = input.consul;
    const address = text('consul.address', c.address, true) ?? '';
    if (address !== '' && !/^[^\s/:]+(:\d{1,5})?$/.test(address.replace(/^\[[^\]]+\]/, 'ipv6')))
      bad('consul.address', `must be "host:port", got ${JSON.stringify(address)}`);
    const scheme: string = c.scheme ?? 'http';
    if (scheme !== 'http' && scheme !== 'https')
      bad('consul.scheme', `must be "http" or "https", got ${JSON.stringify(scheme)}`);
    const provider: string = c.provider ?? 'consul';
    if (provider !== 'consul' && provider !== 'consul-txn')
      bad('consul.provider', `must be "consul" or "consul-txn", got ${JSON.stringify(provider)}`);
    const maxKvs = c.maxKvsPerTransaction ?? 5;
    if (!Number.isInteger(maxKvs))
      bad('consul.maxKvsPerTransaction', `must be an integer, got ${JSON.stringify(maxKvs)}`);
    if (c.crossDataCenterDistribution !== undefined && typeof c.crossDataCenterDistribution !== 'boolean')
      bad('consul.crossDataCenterDistribution', 'must be a boolean');
    consul = Object.freeze({
      address,
      scheme: scheme as 'http' | 'https',
      aclToken: text('consul.aclToken', c.aclToken, false) ?? '',
      caCert: text('consul.caCert', c.caCert, false),
      crossDataCenterDistribution: c.crossDataCenterDistribution === true,
      provider: provider as 'consul' | 'consul-txn',
      // orchestrator clamps to [5, 64]; so do we.
      maxKvsPerTransaction: Math.min(64, Math.max(5, Number.isInteger(maxKvs) ? maxKvs : 5)),
      requestTimeoutMs: positive('consul.requestTimeoutMs', c.requestTimeoutMs, 10_000),
    });
  }

  let zookeeper: ZooKeeperConfig | undefined;
  if (input.zookeeper !== undefined) {
    const z = input.zookeeper;
    const connectString = text('zookeeper.connectString', z.connectString, true) ?? '';
    if (
      connectString !== '' &&
      connectString
        .split('/')[0]
        ?.split(',')
        .some((h) => h.trim() === '' || !/^[^\s:]+(:\d{1,5})?$/.test(h.trim()))
    ) {
      bad(
        'zookeeper.connectString',
        `must be "host[:port][,host[:port]...][/chroot]", got ${JSON.stringify(connectString)}`,
      );
    }
    zookeeper = Object.freeze({
      connectString,
      sessionTimeoutMs: positive('zookeeper.sessionTimeoutMs', z.sessionTimeoutMs, 10_000),
      requestTimeoutMs: positive('zookeeper.requestTimeoutMs', z.requestTimeoutMs, 5_000),
    });
  }

  let etcd: EtcdConfig | undefined;
  if (input.etcd !== undefined) {
    const e = input.etcd;
    const endpoints: string[] = [];
    if (!Array.isArray(e.endpoints) || e.endpoints.length === 0)
      bad('etcd.endpoints', 'needs a list of at least one endpoint URL (http://host:port)');
    else
      (e.endpoints as readonly unknown[]).forEach((u, i) => {
        if (typeof u === 'string' && /^https?:\/\/[^\s/]+$/.test(u)) endpoints.push(u);
        else bad(`etcd.endpoints.${i}`, `must be "http://host:port" or "https://host:port", got ${JSON.stringify(u)}`);
      });
    const username = text('etcd.username', e.username, false);
    const password = text('etcd.password', e.password, false);
    if ((username === undefined) !== (password === undefined))
      bad(username === undefined ? 'etcd.username' : 'etcd.password', 'username and password go together');
    etcd = Object.freeze({
      endpoints: Object.freeze(endpoints),
      username,
      password,
      caCert: text('etcd.caCert', e.caCert, false),
      requestTimeoutMs: positive('etcd.requestTimeoutMs', e.requestTimeoutMs, 5_000),
    });
  }

  let reconcile: KvReconcilerSettings | undefined;
  try {
    reconcile = validateReconcilerOptions({ prefixes: [masterPrefix], ...input.reconcile }, 'reconcile');
  } catch (err) {
    if (err instanceof KvError) problems.push(...err.details);
    else throw err;
  }

  if (problems.length > 0 || reconcile === undefined) {
    throw new KvError(
      'INVALID_CONFIG',
      `invalid KV config: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      { details: problems },
    );
  }
  return Object.freeze({ masterPrefix, fanoutTimeoutMs, consul, zookeeper, etcd, reconcile });
}
