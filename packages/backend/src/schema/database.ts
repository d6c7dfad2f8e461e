import type { RowOf } from './column.js';
import type * as t from './tables.js';

/** The database as kysely sees it: table name to snake_case row. */
export interface OrcDatabase {
  database_instance: RowOf<typeof t.databaseInstance>;
  cluster_alias: RowOf<typeof t.clusterAlias>;
  cluster_alias_override: RowOf<typeof t.clusterAliasOverride>;
  database_instance_downtime: RowOf<typeof t.databaseInstanceDowntime>;
  database_instance_maintenance: RowOf<typeof t.databaseInstanceMaintenance>;
  candidate_database_instance: RowOf<typeof t.candidateDatabaseInstance>;
  topology_failure_detection: RowOf<typeof t.topologyFailureDetection>;
  topology_recovery: RowOf<typeof t.topologyRecovery>;
  topology_recovery_steps: RowOf<typeof t.topologyRecoverySteps>;
  blocked_topology_recovery: RowOf<typeof t.blockedTopologyRecovery>;
  global_recovery_disable: RowOf<typeof t.globalRecoveryDisable>;
  cluster_recovery_disable: RowOf<typeof t.clusterRecoveryDisable>;
  database_instance_tags: RowOf<typeof t.databaseInstanceTags>;
  kv_store: RowOf<typeof t.kvStore>;
  audit: RowOf<typeof t.audit>;
  node_health: RowOf<typeof t.nodeHealth>;
  active_node: RowOf<typeof t.activeNode>;
  orc_schema_migrations: { version: number; name: string; applied_at: number };
}
