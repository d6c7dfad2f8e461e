export { TestEnvError, isTestEnvError, type TestEnvErrorCode, type TestEnvErrorOptions } from './errors.js';
export { noopLogger, type Logger, type LogFields } from './logger.js';
export { allocatePort, isPortFree, canConnect, LOOPBACK } from './core/ports.js';
export { defaultBaseDir, defaultCacheDir } from './core/paths.js';
export {
  readEntries,
  reapOrphans,
  reapAll,
  isOwnerAlive,
  isServerAlive,
  type RegistryEntry,
  type ReapResult,
  type ServerKind,
} from './core/registry.js';
export {
  validateMariaDbOptions,
  type MariaDbOptions,
  type MariaDbCommonOptions,
  type ResolvedMariaDbOptions,
} from './mariadb/mariadb-config.js';
export { startMariaDb, MariaDbInstance, type MariaDbConnectionConfig } from './mariadb/mariadb-instance.js';
export {
  startMariaDbTopology,
  MariaDbTopology,
  type MariaDbTopologyOptions,
  type WaitOptions,
} from './mariadb/mariadb-topology.js';
export { parseTopologyShape, type TopologyMember, type TopologyShape } from './mariadb/topology-shape.js';
export {
  ensureMariaDbTemplate,
  type MariaDbTemplate,
  type MariaDbTemplateOptions,
} from './mariadb/mariadb-template.js';
export { TEMPLATE_USERS, ORC_USER_PRIVILEGES, type DbCredentials } from './mariadb/mariadb-users.js';
export {
  startZooKeeper,
  validateZooKeeperOptions,
  ZooKeeperServer,
  type ZooKeeperOptions,
} from './zookeeper/zookeeper-server.js';
export { startEtcd, validateEtcdOptions, EtcdServer, type EtcdOptions } from './etcd/etcd-server.js';
export {
  startHaproxy,
  validateHaproxyOptions,
  HaproxyServer,
  type HaproxyOptions,
  type HaproxyConfigContext,
  type HaproxyStat,
} from './haproxy/haproxy-server.js';
export {
  leaderCheckHaproxyConfig,
  type LeaderCheckBackend,
  type LeaderCheckConfigOptions,
} from './haproxy/haproxy-config.js';
export { createRaftNodes, type RaftNode, type RaftNodeLayout, type RaftNodes } from './orc/raft-nodes.js';
export type { ServerOptions } from './core/server-options.js';
export { TestServer } from './core/test-server.js';
export {
  serveFakeMysqlConnection,
  type FakeMysqlAnswer,
  type FakeMysqlConnection,
  type FakeMysqlSession,
} from './fake-mysql/fake-mysql-connection.js';
export {
  fakeMariaDbProbeAnswer,
  type FakeMariaDbServer,
  type FakeMariaDbSource,
} from './fake-mysql/mariadb-probe-answers.js';
export {
  createNetNamespace,
  createVethLink,
  freeLinkLocalSubnet,
  reapOrphanNamespaces,
  runIp,
  NetNamespace,
  VethLink,
  type NetNamespaceOptions,
  type VethEnd,
} from './netns/net-namespace.js';
export { startNetnsTopology, NetnsTopology, type NetnsTopologyOptions } from './netns/netns-topology.js';
