// The public API of @orc/api: explicit named exports only. See README.md.
export { buildApi } from './app.js';
export { authenticate, type Caller } from './auth.js';
export type { CommandBus, CommandOutcomes, KvWriteOutcome, OrcCommand, OutcomeOf } from './commands.js';
export type {
  ApiDeps,
  ApiOptions,
  AuditLine,
  AuthSettings,
  HealthStatus,
  KvStatusSource,
  KvStoreState,
  KvWriteRecord,
  NodeStatus,
  OrcView,
  RaftRoleName,
  RaftView,
  RecoveryLine,
  RecoveryStepLine,
  RefactorPort,
} from './deps.js';
export type {
  ManualRecoveryRequest,
  ManualRecoveryResult,
  ManualRecoveryStatus,
  RecoveryClusterRef,
  RecoveryOperations,
} from './recovery-port.js';
export type { WhoAmI } from './routes/web.js';
export {
  kvStatusJson,
  type KvClusterStatusJson,
  type KvClusterStoreJson,
  type KvStatusJson,
  type KvStoreStatusJson,
} from './routes/kv-status.js';
export { PROXIED_HEADER, leaderProxyHook } from './proxy.js';
export { ApiError, HTTP_STATUS_BY_CODE, httpStatusOf, type ApiErrorCode, type ApiErrorDetail } from './errors.js';
export {
  asciiTopology,
  clusterInfoJson,
  instanceJson,
  instanceProblems,
  type InstanceJsonContext,
  type NullInt64,
} from './json/instance-json.js';
export { noopLogger, type LogFields, type Logger } from './logger.js';
export { failure, jsonString, ok, type APIResponse } from './response.js';
export { durationSeconds, MAX_DURATION_SECONDS } from './schemas.js';
