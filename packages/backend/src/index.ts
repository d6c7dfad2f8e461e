// The public API of @orc/backend: explicit named exports only. See README.md.
export { Backend, type BackendOptions } from './backend.js';
export {
  validateBackendConfig,
  type BackendConfig,
  type BackendConfigInput,
  type MysqlBackendConfig,
  type SqliteBackendConfig,
} from './backend-config.js';
export { BackendError, type BackendErrorCode, type BackendErrorDetail } from './errors.js';
export { noopLogger, type Logger, type LogFields } from './logger.js';
export { systemClock, type Clock, type TimerHandle } from './clock.js';
export type { DialectName } from './dialect/sql-dialect.js';
export { currentSchemaVersion } from './migrations/migrations.js';
export {
  ActiveNodeElection,
  type ActiveNodeElectionOptions,
  type ElectionOutcome,
  type LeaseHolder,
} from './election/active-node-election.js';
export type { InstanceKey } from './repositories/repository-context.js';
export {
  InstanceRepository,
  isTopPrimary,
  type AnalysisInput,
  type InstanceRecord,
} from './repositories/instance-repository.js';
export { ClusterRepository, type ClusterAliasRecord } from './repositories/cluster-repository.js';
export {
  DowntimeRepository,
  type BeginDowntime,
  type DowntimeRecord,
  type MaintenanceRecord,
} from './repositories/downtime-repository.js';
export {
  CandidateRepository,
  PROMOTION_RULES,
  type CandidateRecord,
  type PromotionRule,
} from './repositories/candidate-repository.js';
export {
  FailureDetectionRepository,
  type FailureDetectionInput,
  type FailureDetectionRecord,
  type FailureDetectionRegistration,
} from './repositories/failure-detection-repository.js';
export { TagRepository, type InstanceTag, type TaggedInstance } from './repositories/tag-repository.js';
export { RecoveryRepository, type ClusterRecoveryDisableRecord } from './repositories/recovery-repository.js';
export type {
  AcknowledgeTarget,
  BlockedRecoveryRecord,
  RecoveryInput,
  RecoveryRecord,
  RecoveryRegistration,
  RecoveryResolution,
  RecoveryStepRecord,
} from './repositories/recovery-records.js';
export { AuditRepository, type AuditEntry, type AuditPage, type AuditRecord } from './repositories/audit-repository.js';
export { KvRepository, type KvPair } from './repositories/kv-repository.js';
export {
  NodeHealthRepository,
  type NodeHealthRecord,
  type NodeHealthReport,
} from './repositories/node-health-repository.js';
export { SNAPSHOT_TABLES } from './snapshot/backend-snapshot.js';
