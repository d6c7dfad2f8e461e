// The public API of @orc/kv: explicit named exports only. See README.md.
export { KvError, isKvError, type KvErrorCode, type KvErrorOptions, type KvErrorDetail } from './errors.js';
export { noopLogger, type Logger, type LogFields } from './logger.js';
export { systemClock, type Clock, type TimerHandle } from './clock.js';
export type { KvPair, KvStore, KvStoreKind, KvStoreLimits } from './kv-store.js';
export { validateKey, validateKeyLength, validatePairs, validatePrefix, validateValue } from './key-validation.js';
export {
  DEFAULT_MASTER_PREFIX,
  clusterMasterPairs,
  clusterAliasOfKey,
  normalizeMasterPrefix,
  type ClusterMaster,
} from './layout/master-pairs.js';
export { groupByParent, transactionBatches } from './batching.js';
export type { KvTable } from './internal/kv-table.js';
export { MemoryKvTable } from './internal/memory-kv-table.js';
export { InternalKvStore, INTERNAL_LIMITS, type InternalKvStoreOptions } from './internal/internal-store.js';
export {
  ConsulKvStore,
  CONSUL_MAX_VALUE_BYTES,
  type ConsulKvStoreOptions,
  type ConsulKvEntry,
} from './consul/consul-store.js';
export { ZooKeeperKvStore, ZOOKEEPER_LIMITS, type ZooKeeperKvStoreOptions } from './zookeeper/zookeeper-store.js';
export { EtcdKvStore, ETCD_LIMITS, type EtcdKvStoreOptions } from './etcd/etcd-store.js';
export {
  KvFanout,
  DEFAULT_FANOUT_TIMEOUT_MS,
  type KvFanoutOptions,
  type KvFanoutObserver,
  type KvFanoutResult,
  type KvStoreOutcome,
} from './fanout/kv-fanout.js';
export {
  KvReconciler,
  type KvReconcilerOptions,
  type KvReconcileReport,
  type KvStoreHealth,
} from './reconcile/kv-reconciler.js';
export {
  validateReconcilerOptions,
  DEFAULT_RECONCILER_SETTINGS,
  type KvReconcilerSettings,
} from './reconcile/reconciler-config.js';
export {
  validateKvConfig,
  type KvConfig,
  type KvConfigInput,
  type ConsulConfig,
  type ZooKeeperConfig,
  type EtcdConfig,
} from './kv-config.js';
export { createKvPublisher, type KvPublisher, type KvPublisherDeps } from './kv-publisher.js';
