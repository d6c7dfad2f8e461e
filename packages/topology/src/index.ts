// The public API of @orc/topology: explicit named exports only. See README.md.
export type { TopologyErrorCode, TopologyErrorDetail } from './errors.js';
export { TopologyError, isTopologyError } from './errors.js';
export type { LogFields, Logger } from './logger.js';
export { noopLogger } from './logger.js';
export type { TimerHandle, Clock } from './clock.js';
export { systemClock } from './clock.js';
export type { HostPort, InstanceKey, OrchestratorInstanceKey } from './instance/instance-key.js';
export { instanceKey, parseInstanceKey, splitInstanceKey, toOrchestratorKey } from './instance/instance-key.js';
export type {
  BinlogCoordinates,
  Instance,
  IoThreadState,
  ProbeErrorRecord,
  PromotionRule,
  ReplicationStatus,
  SemiSyncState,
  ServerFlavor,
} from './instance/instance.js';
export {
  NO_SEMI_SYNC,
  isFailingToConnectToMaster,
  isIoThreadRunning,
  isMasterInstance,
  isReplicating,
  unseenInstance,
} from './instance/instance.js';
export type { AnalysisCode, StructureAnalysisCode } from './analysis/analysis-codes.js';
export { ACTIONABLE_ANALYSIS_CODES, ANALYSIS_CODES, STRUCTURE_ANALYSIS_CODES } from './analysis/analysis-codes.js';
export type {
  AnalysisOptions,
  AnalysisSnapshot,
  CandidateRule,
  Downtime,
  Maintenance,
} from './analysis/analysis-input.js';
export { DEFAULT_ANALYSIS_OPTIONS } from './analysis/analysis-input.js';
export type {
  AnalysisBinlogCoordinates,
  AnalysisClusterDetails,
  ReplicationAnalysis,
} from './analysis/replication-analysis.js';
export { ANALYSIS_DESCRIPTIONS } from './analysis/replication-analysis.js';
export { analyzeReplication, isLastCheckValid } from './analysis/analyze-replication.js';
export { matchesClusterFilters } from './analysis/cluster-filters.js';
export { mariaDbErrantGtid, mysqlErrantGtid } from './analysis/errant-gtid.js';
export type { GtidInterval } from './gtid/gtid-intervals.js';
export type { MysqlGtidRange } from './gtid/mysql-gtid-set.js';
export { MYSQL_MAX_GNO, MysqlGtidSet, parseMysqlGtidSet } from './gtid/mysql-gtid-set.js';
export type {
  MariaDbDomainComparison,
  MariaDbDomainStanding,
  MariaDbGtid,
  MariaDbGtidVariable,
} from './gtid/mariadb-gtid-list.js';
export {
  MARIADB_MAX_ID,
  MARIADB_MAX_SEQ,
  MariaDbGtidList,
  mariaDbCurrentPos,
  parseMariaDbGtidList,
} from './gtid/mariadb-gtid-list.js';
export type {
  ClusterAliasRules,
  ClusterInfo,
  ClusterResolution,
  InstancePlacement,
  PlacementPatterns,
} from './cluster/cluster-resolver.js';
export { mappedClusterNameToAlias, placementFromHostname, resolveClusters } from './cluster/cluster-resolver.js';
export type { AnalysisStateSource } from './analysis/analysis-state.js';
export { InMemoryAnalysisState } from './analysis/analysis-state.js';
export type { ProbeFindings, ProbeOutcome, Prober } from './probe/instance-prober.js';
export { InstanceProber } from './probe/instance-prober.js';
export type { ProbeSettings } from './probe/probe-settings.js';
export type { ServerVersion, ReportedReplica } from './probe/probe-dialect.js';
export {
  binlogStatusStatements,
  parseReplicationStatus,
  parseServerVersion,
  replicaHostsStatements,
  replicaStatusStatements,
} from './probe/probe-dialect.js';
export { classifyDriverError } from './probe/probe-errors.js';
export type { InstanceStore } from './discovery/instance-store.js';
export { InMemoryInstanceStore } from './discovery/instance-store.js';
export type { DiscoveryLoopParts, ProbeEvent } from './discovery/discovery-loop.js';
export { DiscoveryLoop } from './discovery/discovery-loop.js';
export type { TopologyConfig, TopologyConfigInput } from './topology-config.js';
export { validateTopologyConfig } from './topology-config.js';
export type { OrcTopologyParts } from './orc-topology.js';
export { OrcTopology } from './orc-topology.js';
export { BackendInstanceStore, fromInstanceRecord, toInstanceRecord } from './backend/backend-instance-store.js';
export { BackendAnalysisState } from './backend/backend-analysis-state.js';
export type { HookKind, RecoveryConfig, RecoveryConfigInput, RecoveryHooksConfig } from './recovery/recovery-config.js';
export { DEFAULT_RECOVERY_CONFIG, HOOK_KINDS, validateRecoveryConfig } from './recovery/recovery-config.js';
export type {
  AcknowledgeTarget,
  DetectionInput,
  HookCommandResult,
  HookContext,
  HookRunner,
  KvMaster,
  KvPublishResult,
  KvStoreResult,
  RecoveryInput,
  RecoveryKvPublisher,
  RecoveryRegistrationOutcome,
  RecoveryResolution,
  RecoveryStep,
  RecoveryStore,
  ServerConnector,
  ServerSession,
  SqlRow,
} from './recovery/recovery-ports.js';
export { noopHookRunner } from './recovery/recovery-ports.js';
export type { BlockedRecovery, StoredRecovery } from './recovery/memory-recovery-store.js';
export { InMemoryRecoveryStore } from './recovery/memory-recovery-store.js';
export type { ProcessingNode } from './recovery/backend-recovery-store.js';
export { BackendRecoveryStore } from './recovery/backend-recovery-store.js';
export { kvPublisherPort, noopKvPublisher } from './recovery/kv-publisher-port.js';
export type {
  CandidateChoice,
  CandidateChoiceInput,
  CandidateReplica,
  CandidateRules,
  CandidateVerdict,
} from './recovery/candidate-choice.js';
export { chooseCandidate } from './recovery/candidate-choice.js';
export type { GtidFlavor } from './recovery/gtid-position.js';
export { positionCovers, positionGap } from './recovery/gtid-position.js';
export type { DeadMasterCode, DeadMasterRequest } from './recovery/dead-master-request.js';
export { deadMasterRequest, effectivePromotionRule } from './recovery/dead-master-request.js';
export type { RecoveryEngineParts, RecoveryReport, RecoveryStatus } from './recovery/recovery-engine.js';
export { RecoveryEngine } from './recovery/recovery-engine.js';
export type {
  GracefulTakeoverDeps,
  GracefulTakeoverReport,
  GracefulTakeoverRequest,
} from './recovery/graceful-takeover.js';
export { checkTakeoverTarget, gracefulMasterTakeover } from './recovery/graceful-takeover.js';
export type { Mysql2ConnectorOptions } from './recovery/mysql2-connector.js';
export { Mysql2Connector } from './recovery/mysql2-connector.js';
export type { RecoveryDialect } from './recovery/recovery-dialect.js';
export { WRITE_PROBE_STATEMENTS, recoveryDialect } from './recovery/recovery-dialect.js';
export { hookContext } from './recovery/hook-context.js';
export { fenceOldPrimary } from './recovery/fence.js';
export { applyPlaceholders, hookEnvironment, placeholderValues } from './recovery/hook-placeholders.js';
export type { ShellHookRunnerOptions } from './recovery/shell-hook-runner.js';
export { ShellHookRunner } from './recovery/shell-hook-runner.js';
export type { FailureRequest } from './recovery/dead-master-request.js';
export type { DeadIntermediateMasterCode, DeadIntermediateMasterRequest } from './recovery/intermediate-recovery.js';
export { deadIntermediateMasterRequest, relocateUnder } from './recovery/intermediate-recovery.js';
export type { RefactorOperation, RefactorTopology } from './refactor/refactor-plan.js';
export type { RefactorResult } from './refactor/refactor-session.js';
export type { RefactorOpsParts } from './refactor/refactor-ops.js';
export { RefactorOps } from './refactor/refactor-ops.js';
export type { DeadCoMasterCode } from './recovery/co-master-recovery.js';
export { deadCoMasterRequest, isDeadCoMasterCode } from './recovery/co-master-recovery.js';
export type { RefactorHooks } from './refactor/take-master-hook.js';
