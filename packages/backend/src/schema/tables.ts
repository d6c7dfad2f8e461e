// orc's tables, one definition for both dialects. Names are orchestrator's (go/db), so operators who
// know its schema find their way; deviations are listed in docs/adr/0300-backend-schema.md.
import { bigint, bool, int, longtext, nullable, serial, table, text, time } from './column.js';

const host = () => text(255);
const port = () => int();
const cluster = () => text(300);

/** Every field discovery reads about one MySQL/MariaDB server. */
export const databaseInstance = table(
  'database_instance',
  {
    hostname: host(),
    port: port(),
    last_checked: time(),
    last_attempted_check: time(),
    last_check_partial_success: bool(),
    last_seen: time(),
    uptime: bigint(),
    server_id: bigint(),
    server_uuid: text(64),
    version: text(128),
    major_version: text(16),
    version_comment: text(255),
    binlog_server: bool(),
    read_only: bool(),
    binlog_format: text(16),
    binlog_row_image: text(16),
    log_bin: bool(),
    log_slave_updates: bool(),
    binary_log_file: text(255),
    binary_log_pos: bigint(),
    master_host: host(),
    master_port: port(),
    slave_sql_running: bool(),
    slave_io_running: bool(),
    replication_sql_thread_state: int(),
    replication_io_thread_state: int(),
    has_replication_filters: bool(),
    supports_oracle_gtid: bool(),
    oracle_gtid: bool(),
    master_uuid: text(64),
    ancestry_uuid: longtext(),
    executed_gtid_set: longtext(),
    gtid_mode: text(32),
    gtid_purged: longtext(),
    gtid_errant: longtext(),
    mariadb_gtid: bool(),
    gtid_current_pos: longtext(),
    gtid_slave_pos: longtext(),
    gtid_binlog_pos: longtext(),
    pseudo_gtid: bool(),
    master_log_file: text(255),
    read_master_log_pos: bigint(),
    relay_master_log_file: text(255),
    exec_master_log_pos: bigint(),
    relay_log_file: text(255),
    relay_log_pos: bigint(),
    last_sql_error: longtext(),
    last_io_error: longtext(),
    seconds_behind_master: nullable(bigint()),
    slave_lag_seconds: nullable(bigint()),
    sql_delay: int(),
    num_slave_hosts: int(),
    slave_hosts: longtext(),
    cluster_name: cluster(),
    suggested_cluster_alias: text(255),
    data_center: text(64),
    region: text(64),
    physical_environment: text(64),
    instance_alias: text(255),
    replication_depth: int(),
    is_co_master: bool(),
    replication_credentials_available: bool(),
    has_replication_credentials: bool(),
    allow_tls: bool(),
    semi_sync_enforced: bool(),
    semi_sync_available: bool(),
    semi_sync_master_enabled: bool(),
    semi_sync_replica_enabled: bool(),
    semi_sync_master_timeout: bigint(),
    semi_sync_master_wait_for_slave_count: int(),
    semi_sync_master_status: bool(),
    semi_sync_replica_status: bool(),
    semi_sync_master_clients: int(),
    last_discovery_latency: bigint(),
    replication_group_name: text(64),
    replication_group_is_single_primary_mode: bool(),
    replication_group_member_state: text(16),
    replication_group_member_role: text(16),
    replication_group_members: longtext(),
    replication_group_primary_host: host(),
    replication_group_primary_port: port(),
  },
  {
    primaryKey: ['hostname', 'port'],
    indexes: [
      { name: 'di_cluster_name_idx', columns: ['cluster_name'] },
      { name: 'di_last_checked_idx', columns: ['last_checked'] },
      { name: 'di_master_host_port_idx', columns: ['master_host', 'master_port'] },
    ],
  },
);

/** Alias per cluster, as suggested by discovery (`DetectClusterAliasQuery`, `ClusterNameToAlias`). */
export const clusterAlias = table(
  'cluster_alias',
  { cluster_name: cluster(), alias: text(255), last_registered: time() },
  { primaryKey: ['cluster_name'], indexes: [{ name: 'ca_alias_idx', columns: ['alias'] }] },
);

/** Alias set by an operator (`set-cluster-alias`); wins over `cluster_alias`. */
export const clusterAliasOverride = table(
  'cluster_alias_override',
  { cluster_name: cluster(), alias: text(255) },
  { primaryKey: ['cluster_name'] },
);

/** Downtime: an instance whose failures are not acted on until `end_timestamp`. */
export const databaseInstanceDowntime = table(
  'database_instance_downtime',
  {
    hostname: host(),
    port: port(),
    downtime_active: bool(),
    begin_timestamp: time(),
    end_timestamp: time(),
    owner: text(255),
    reason: longtext(),
  },
  { primaryKey: ['hostname', 'port'], indexes: [{ name: 'did_end_timestamp_idx', columns: ['end_timestamp'] }] },
);

/** Maintenance: an instance excluded from analysis and refactoring. At most one active row per instance. */
export const databaseInstanceMaintenance = table(
  'database_instance_maintenance',
  {
    database_instance_maintenance_id: serial(),
    hostname: host(),
    port: port(),
    // NULL when inactive, so the unique key allows any number of past rows and one active one.
    maintenance_active: nullable(bool()),
    begin_timestamp: time(),
    end_timestamp: time(),
    owner: text(255),
    reason: longtext(),
    processing_node_hostname: host(),
    processing_node_token: text(128),
    explicitly_bounded: bool(),
  },
  {
    primaryKey: ['database_instance_maintenance_id'],
    uniques: [{ name: 'dim_instance_active_uidx', columns: ['hostname', 'port', 'maintenance_active'] }],
    indexes: [{ name: 'dim_end_timestamp_idx', columns: ['end_timestamp'] }],
  },
);

/** Promotion rules registered for candidates (`register-candidate`), expiring after `last_suggested`. */
export const candidateDatabaseInstance = table(
  'candidate_database_instance',
  { hostname: host(), port: port(), last_suggested: time(), priority: int(), promotion_rule: text(16) },
  { primaryKey: ['hostname', 'port'], indexes: [{ name: 'cdi_last_suggested_idx', columns: ['last_suggested'] }] },
);

/**
 * Failure detections. A unique key over `active_lock` (1 while active, NULL after) allows one active
 * detection per instance and actionability.
 */
export const topologyFailureDetection = table(
  'topology_failure_detection',
  {
    detection_id: serial(),
    hostname: host(),
    port: port(),
    in_active_period: bool(),
    start_active_period: time(),
    end_active_period_unixtime: time(),
    processing_node_hostname: host(),
    processing_node_token: text(128),
    analysis: text(128),
    cluster_name: cluster(),
    cluster_alias: text(255),
    count_affected_slaves: int(),
    slave_hosts: longtext(),
    is_actionable: bool(),
    // orc: 1 while in_active_period, NULL after; carries the uniqueness (see ADR 0300).
    active_lock: nullable(int()),
  },
  {
    primaryKey: ['detection_id'],
    uniques: [{ name: 'tfd_instance_active_uidx', columns: ['hostname', 'port', 'is_actionable', 'active_lock'] }],
    indexes: [{ name: 'tfd_active_start_idx', columns: ['in_active_period', 'start_active_period'] }],
  },
);

/**
 * Recoveries. Two unique keys over `active_lock` (1 while in the active period, NULL after) carry
 * orchestrator's anti-flapping rule: one active recovery per instance and one per cluster.
 */
export const topologyRecovery = table(
  'topology_recovery',
  {
    recovery_id: serial(),
    uid: text(128),
    hostname: host(),
    port: port(),
    in_active_period: bool(),
    start_active_period: time(),
    end_active_period_unixtime: time(),
    end_recovery: nullable(time()),
    processing_node_hostname: host(),
    processing_node_token: text(128),
    successor_hostname: nullable(text(255)),
    successor_port: nullable(int()),
    successor_alias: nullable(text(255)),
    analysis: text(128),
    cluster_name: cluster(),
    cluster_alias: text(255),
    count_affected_slaves: int(),
    slave_hosts: longtext(),
    participating_instances: longtext(),
    lost_slaves: longtext(),
    all_errors: longtext(),
    is_successful: bool(),
    acknowledged: bool(),
    acknowledged_at: nullable(time()),
    acknowledged_by: text(255),
    acknowledge_comment: longtext(),
    last_detection_id: bigint(),
    // orc: 1 while in_active_period, NULL after; carries the uniqueness (see ADR 0300).
    active_lock: nullable(int()),
  },
  {
    primaryKey: ['recovery_id'],
    uniques: [
      { name: 'tr_uid_uidx', columns: ['uid'] },
      { name: 'tr_instance_active_uidx', columns: ['hostname', 'port', 'active_lock'] },
      { name: 'tr_cluster_active_uidx', columns: ['cluster_name', 'active_lock'] },
    ],
    indexes: [
      { name: 'tr_start_active_period_idx', columns: ['start_active_period'] },
      { name: 'tr_successor_idx', columns: ['successor_hostname', 'successor_port'] },
    ],
  },
);

/** Every step a recovery reports (`AuditTopologyRecovery`). */
export const topologyRecoverySteps = table(
  'topology_recovery_steps',
  { recovery_step_id: serial(), recovery_uid: text(128), audit_at: time(), message: longtext() },
  { primaryKey: ['recovery_step_id'], indexes: [{ name: 'trs_recovery_uid_idx', columns: ['recovery_uid'] }] },
);

/** The last recovery refused by anti-flapping, per instance. */
export const blockedTopologyRecovery = table(
  'blocked_topology_recovery',
  {
    hostname: host(),
    port: port(),
    cluster_name: cluster(),
    analysis: text(128),
    last_blocked_timestamp: time(),
    blocking_recovery_id: nullable(bigint()),
  },
  {
    primaryKey: ['hostname', 'port'],
    indexes: [{ name: 'btr_cluster_blocked_idx', columns: ['cluster_name', 'last_blocked_timestamp'] }],
  },
);

/** A row here (disable_recovery = 1) disables automated recovery everywhere. */
export const globalRecoveryDisable = table(
  'global_recovery_disable',
  { disable_recovery: int() },
  { primaryKey: ['disable_recovery'] },
);

/**
 * Clusters whose automated recovery is disabled (orc's own; orchestrator has only the global
 * switch). A row per cluster, with who disabled it and when. Added by schema version 2.
 */
export const clusterRecoveryDisable = table(
  'cluster_recovery_disable',
  { cluster_name: cluster(), disabled_at: time(), disabled_by: text(255) },
  { primaryKey: ['cluster_name'] },
);

/** Operator tags on instances (orchestrator's `database_instance_tags`). Added by schema version 3. */
export const databaseInstanceTags = table(
  'database_instance_tags',
  { hostname: host(), port: port(), tag_name: text(128), tag_value: text(128), last_updated: time() },
  { primaryKey: ['hostname', 'port', 'tag_name'] },
);

/** orc's own key-value store (the internal KV store of @orc/kv). */
export const kvStore = table(
  'kv_store',
  { store_key: text(255), store_value: longtext(), last_updated: time() },
  { primaryKey: ['store_key'] },
);

/** Audit log of operations. */
export const audit = table(
  'audit',
  {
    audit_id: serial(),
    audit_timestamp: time(),
    audit_type: text(128),
    hostname: host(),
    port: port(),
    cluster_name: cluster(),
    message: longtext(),
  },
  {
    primaryKey: ['audit_id'],
    indexes: [
      { name: 'audit_timestamp_idx', columns: ['audit_timestamp'] },
      { name: 'audit_instance_idx', columns: ['hostname', 'port'] },
    ],
  },
);

/** Keep-alive of every orc node. */
export const nodeHealth = table(
  'node_health',
  {
    hostname: host(),
    token: text(128),
    last_seen_active: time(),
    first_seen_active: time(),
    extra_info: text(255),
    command: text(255),
    app_version: text(64),
    db_backend: text(255),
    incrementing_indicator: bigint(),
  },
  { primaryKey: ['hostname', 'token'], indexes: [{ name: 'nh_last_seen_active_idx', columns: ['last_seen_active'] }] },
);

/** The shared-backend election's lease row (anchor = 1). Times are the database's clock. */
export const activeNode = table(
  'active_node',
  { anchor: int(), hostname: host(), token: text(128), first_seen_active: time(), last_seen_active: time() },
  { primaryKey: ['anchor'] },
);

/** Every table of schema version 1, in creation order. */
export const schemaV1Tables = [
  databaseInstance,
  clusterAlias,
  clusterAliasOverride,
  databaseInstanceDowntime,
  databaseInstanceMaintenance,
  candidateDatabaseInstance,
  topologyFailureDetection,
  topologyRecovery,
  topologyRecoverySteps,
  blockedTopologyRecovery,
  globalRecoveryDisable,
  kvStore,
  audit,
  nodeHealth,
  activeNode,
] as const;
