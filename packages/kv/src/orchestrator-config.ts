import type { KvConfigInput } from './kv-config.js';

/** orchestrator's KV configuration keys, plus the ones orc adds (see docs/kv.md). */
export interface OrchestratorKvKeys {
  readonly ConsulAddress?: string;
  readonly ConsulScheme?: string;
  readonly ConsulAclToken?: string;
  readonly ConsulCrossDataCenterDistribution?: boolean;
  readonly ConsulKVStoreProvider?: string;
  readonly ConsulMaxKVsPerTransaction?: number;
  readonly ZkAddress?: string;
  readonly KVClusterMasterPrefix?: string;
  /** New in orc: a path to a PEM CA bundle for https Consul. */
  readonly ConsulCACertFile?: string;
  /** New in orc: etcd client URLs, comma separated or a list. */
  readonly EtcdEndpoints?: string | readonly string[];
  readonly EtcdUsername?: string;
  readonly EtcdPassword?: string;
  /** New in orc: a path to a PEM CA bundle for https etcd endpoints. */
  readonly EtcdCACertFile?: string;
}

/**
 * Maps orchestrator-style keys onto `validateKvConfig`'s input. A store is configured when its
 * address key is non-empty, as in orchestrator. Files (CA bundles) are read through `readFile`,
 * which the application supplies: this library never touches the file system.
 *
 * @example
 * ```ts
 * const config = validateKvConfig(kvConfigFromOrchestrator(JSON.parse(text), (p) => readFileSync(p, 'utf8')));
 * ```
 */
export function kvConfigFromOrchestrator(keys: OrchestratorKvKeys, readFile?: (path: string) => string): KvConfigInput {
  const read = (path: string | undefined): string | undefined => {
    if (path === undefined || path === '') return undefined;
    if (readFile === undefined) throw new Error(`a CA file is configured (${path}) but no readFile was given`);
    return readFile(path);
  };
  const consulCa = read(keys.ConsulCACertFile);
  const etcdCa = read(keys.EtcdCACertFile);
  const etcdEndpoints = keys.EtcdEndpoints;
  const hasEtcd =
    etcdEndpoints !== undefined &&
    (typeof etcdEndpoints === 'string' ? etcdEndpoints.trim() !== '' : etcdEndpoints.length > 0);
  return {
    ...(keys.KVClusterMasterPrefix === undefined ? {} : { masterPrefix: keys.KVClusterMasterPrefix }),
    ...(keys.ConsulAddress === undefined || keys.ConsulAddress === ''
      ? {}
      : {
          consul: {
            address: keys.ConsulAddress,
            ...(keys.ConsulScheme === undefined || keys.ConsulScheme === '' ? {} : { scheme: keys.ConsulScheme }),
            ...(keys.ConsulAclToken === undefined ? {} : { aclToken: keys.ConsulAclToken }),
            ...(consulCa === undefined ? {} : { caCert: consulCa }),
            ...(keys.ConsulCrossDataCenterDistribution === undefined
              ? {}
              : { crossDataCenterDistribution: keys.ConsulCrossDataCenterDistribution }),
            ...(keys.ConsulKVStoreProvider === undefined || keys.ConsulKVStoreProvider === ''
              ? {}
              : { provider: keys.ConsulKVStoreProvider }),
            ...(keys.ConsulMaxKVsPerTransaction === undefined
              ? {}
              : { maxKvsPerTransaction: keys.ConsulMaxKVsPerTransaction }),
          },
        }),
    ...(keys.ZkAddress === undefined || keys.ZkAddress === '' ? {} : { zookeeper: { connectString: keys.ZkAddress } }),
    ...(!hasEtcd
      ? {}
      : {
          etcd: {
            endpoints: etcdEndpoints,
            ...(keys.EtcdUsername === undefined || keys.EtcdUsername === '' ? {} : { username: keys.EtcdUsername }),
            ...(keys.EtcdPassword === undefined || keys.EtcdPassword === '' ? {} : { password: keys.EtcdPassword }),
            ...(etcdCa === undefined ? {} : { caCert: etcdCa }),
          },
        }),
  };
}
