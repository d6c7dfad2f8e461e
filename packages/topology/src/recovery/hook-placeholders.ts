import type { HookContext } from './recovery-ports.js';

/** orchestrator's placeholder names (and their legacy aliases) -> the text they stand for. */
export function placeholderValues(ctx: HookContext): Readonly<Record<string, string>> {
  const b = (v: boolean): string => String(v);
  const list = (v: readonly string[]): string => v.join(',');
  return {
    failureType: ctx.failureType,
    instanceType: ctx.instanceType,
    isMaster: b(ctx.isMaster),
    isCoMaster: b(ctx.isCoMaster),
    failureDescription: ctx.failureDescription,
    command: ctx.command,
    failedHost: ctx.failedHost,
    failedPort: String(ctx.failedPort),
    failureCluster: ctx.failureCluster,
    failureClusterAlias: ctx.failureClusterAlias,
    failureClusterDomain: ctx.failureClusterDomain,
    countReplicas: String(ctx.countReplicas),
    countSlaves: String(ctx.countReplicas),
    isDowntimed: b(ctx.isDowntimed),
    autoMasterRecovery: b(ctx.autoMasterRecovery),
    autoIntermediateMasterRecovery: b(ctx.autoIntermediateMasterRecovery),
    orchestratorHost: ctx.orchestratorHost,
    recoveryUID: ctx.recoveryUID,
    isSuccessful: b(ctx.isSuccessful),
    successorHost: ctx.successorHost,
    successorPort: ctx.successorPort === 0 ? '' : String(ctx.successorPort),
    successorBinlogCoordinates: ctx.successorBinlogCoordinates,
    successorAlias: ctx.successorAlias,
    lostReplicas: list(ctx.lostReplicas),
    lostSlaves: list(ctx.lostReplicas),
    countLostReplicas: String(ctx.lostReplicas.length),
    replicaHosts: list(ctx.replicaHosts),
    slaveHosts: list(ctx.replicaHosts),
  };
}

/**
 * A hook command with orchestrator's `{placeholders}` filled in. Unknown braces stay as written.
 *
 * @example
 * applyPlaceholders('notify {failureType} on {failedHost}:{failedPort}', ctx); // 'notify DeadMaster on db1:3306'
 */
export function applyPlaceholders(command: string, ctx: HookContext): string {
  const values = placeholderValues(ctx);
  return command.replace(/\{([A-Za-z]+)\}/g, (whole, name: string) => values[name] ?? whole);
}

const ENV_NAMES: Readonly<Record<string, string>> = {
  ORC_FAILURE_TYPE: 'failureType',
  ORC_INSTANCE_TYPE: 'instanceType',
  ORC_IS_MASTER: 'isMaster',
  ORC_IS_CO_MASTER: 'isCoMaster',
  ORC_FAILURE_DESCRIPTION: 'failureDescription',
  ORC_COMMAND: 'command',
  ORC_FAILED_HOST: 'failedHost',
  ORC_FAILED_PORT: 'failedPort',
  ORC_FAILURE_CLUSTER: 'failureCluster',
  ORC_FAILURE_CLUSTER_ALIAS: 'failureClusterAlias',
  ORC_FAILURE_CLUSTER_DOMAIN: 'failureClusterDomain',
  ORC_COUNT_REPLICAS: 'countReplicas',
  ORC_IS_DOWNTIMED: 'isDowntimed',
  ORC_AUTO_MASTER_RECOVERY: 'autoMasterRecovery',
  ORC_AUTO_INTERMEDIATE_MASTER_RECOVERY: 'autoIntermediateMasterRecovery',
  ORC_ORCHESTRATOR_HOST: 'orchestratorHost',
  ORC_IS_SUCCESSFUL: 'isSuccessful',
  ORC_LOST_REPLICAS: 'lostReplicas',
  ORC_REPLICA_HOSTS: 'replicaHosts',
  ORC_RECOVERY_UID: 'recoveryUID',
  ORC_SUCCESSOR_HOST: 'successorHost',
  ORC_SUCCESSOR_PORT: 'successorPort',
  ORC_SUCCESSOR_BINLOG_COORDINATES: 'successorBinlogCoordinates',
  ORC_SUCCESSOR_ALIAS: 'successorAlias',
};

/**
 * orchestrator's `ORC_*` environment variables for a hook.
 *
 * @example
 * hookEnvironment(ctx).ORC_FAILED_HOST; // 'db1'
 */
export function hookEnvironment(ctx: HookContext): Readonly<Record<string, string>> {
  const values = placeholderValues(ctx);
  return Object.fromEntries(Object.entries(ENV_NAMES).map(([env, name]) => [env, values[name] ?? '']));
}
