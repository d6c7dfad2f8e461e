import type { Clock } from './clock.js';
import { ConsulKvStore } from './consul/consul-store.js';
import { EtcdKvStore } from './etcd/etcd-store.js';
import { KvFanout, type KvFanoutResult } from './fanout/kv-fanout.js';
import { InternalKvStore } from './internal/internal-store.js';
import type { KvTable } from './internal/kv-table.js';
import type { KvConfig } from './kv-config.js';
import type { KvStore } from './kv-store.js';
import { clusterMasterPairs, type ClusterMaster } from './layout/master-pairs.js';
import { noopLogger, type Logger } from './logger.js';
import { KvReconciler } from './reconcile/kv-reconciler.js';
import { ZooKeeperKvStore } from './zookeeper/zookeeper-store.js';

/** What `createKvPublisher` needs besides the config. */
export interface KvPublisherDeps {
  /** The backend's KV table (or a MemoryKvTable). */
  readonly table: KvTable;
  readonly logger?: Logger;
  readonly clock?: Clock;
}

/**
 * Every configured store wired together: the internal store (desired state), the external
 * stores, a fan-out over all of them and a reconciler over the external ones.
 *
 * @example
 * ```ts
 * const kv = createKvPublisher(validateKvConfig({ zookeeper: { connectString: 'zk1:2181' } }), { table: new MemoryKvTable() });
 * kv.start();
 * const result = await kv.publishMaster({ alias: 'shop', host: 'db2', port: 3306 });
 * await kv.close();
 * ```
 */
export interface KvPublisher {
  readonly internal: InternalKvStore;
  readonly external: readonly KvStore[];
  readonly fanout: KvFanout;
  readonly reconciler: KvReconciler;
  /** Writes a cluster's primary (orchestrator's pairs) to every store. */
  publishMaster(master: ClusterMaster): Promise<KvFanoutResult>;
  /** Starts the reconciler's schedule. */
  start(): void;
  /** Stops the reconciler and closes every store. */
  close(): Promise<void>;
}

/** Builds the stores a validated config names, the fan-out and the reconciler. */
export function createKvPublisher(config: KvConfig, deps: KvPublisherDeps): KvPublisher {
  const logger = deps.logger ?? noopLogger;
  const internal = new InternalKvStore({ table: deps.table });
  const external: KvStore[] = [];
  if (config.consul !== undefined) {
    const c = config.consul;
    external.push(
      new ConsulKvStore({
        address: c.address,
        scheme: c.scheme,
        aclToken: c.aclToken,
        ...(c.caCert === undefined ? {} : { caCert: c.caCert }),
        crossDataCenterDistribution: c.crossDataCenterDistribution,
        maxKvsPerTransaction: c.maxKvsPerTransaction,
        requestTimeoutMs: c.requestTimeoutMs,
        logger,
      }),
    );
  }
  if (config.zookeeper !== undefined) {
    const z = config.zookeeper;
    external.push(
      new ZooKeeperKvStore({
        connectString: z.connectString,
        sessionTimeoutMs: z.sessionTimeoutMs,
        requestTimeoutMs: z.requestTimeoutMs,
        logger,
        ...(deps.clock === undefined ? {} : { clock: deps.clock }),
      }),
    );
  }
  if (config.etcd !== undefined) {
    const e = config.etcd;
    external.push(
      new EtcdKvStore({
        endpoints: e.endpoints,
        requestTimeoutMs: e.requestTimeoutMs,
        ...(e.username === undefined || e.password === undefined ? {} : { username: e.username, password: e.password }),
        ...(e.caCert === undefined ? {} : { caCert: e.caCert }),
      }),
    );
  }
  const clockOption = deps.clock === undefined ? {} : { clock: deps.clock };
  const reconciler = new KvReconciler({
    desired: internal,
    stores: external,
    ...config.reconcile,
    logger,
    ...clockOption,
  });
  const fanout = new KvFanout({
    stores: [internal, ...external],
    timeoutMs: config.fanoutTimeoutMs,
    logger,
    ...clockOption,
    observers: [reconciler],
  });
  return {
    internal,
    external,
    fanout,
    reconciler,
    publishMaster: (master) => fanout.putMany(clusterMasterPairs(master, config.masterPrefix)),
    start: () => reconciler.start(),
    close: async () => {
      await reconciler.stop();
      await Promise.all([internal, ...external].map((s) => s.close()));
    },
  };
}
