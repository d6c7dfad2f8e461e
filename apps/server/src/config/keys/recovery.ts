// Rows of orchestrator's recovery keys (and orc's own) for the one key table, and the builder of
// @orc/topology's RecoveryConfigInput from the checked values.
import type { RecoveryConfigInput } from '@orc/topology';
import { checks, type ConfigIo, type KeySpec, type KeyValues } from '../key-spec.js';

const row = (
  key: string,
  field: keyof RecoveryConfigInput,
  def: unknown,
  check: KeySpec['check'],
  doc: string,
  orcOnly = false,
): KeySpec => ({ key, owner: 'recovery', field, default: def, check, doc, ...(orcOnly ? { orcOnly } : {}) });

const hook = (key: string, field: keyof RecoveryConfigInput, doc: string): KeySpec =>
  row(key, field, [], checks.stringArray, doc);

/**
 * The recovery keys, orchestrator's names and defaults first, orc's own after.
 *
 * @example
 * recoveryKeys.find((k) => k.key === 'RecoveryPeriodBlockSeconds')?.default; // 3600
 */
export const recoveryKeys: readonly KeySpec[] = [
  row(
    'RecoveryPeriodBlockSeconds',
    'recoveryPeriodBlockSeconds',
    3600,
    checks.nonNegativeInteger,
    'A second recovery of the same cluster inside this many seconds is refused (and audited) until acknowledged.',
  ),
  row(
    'RecoveryPeriodBlockMinutes',
    'recoveryPeriodBlockSeconds',
    undefined,
    checks.nonNegativeInteger,
    'Legacy: minutes; used (as orchestrator does) only when RecoveryPeriodBlockSeconds is 0.',
  ),
  row(
    'FailureDetectionPeriodBlockMinutes',
    'failureDetectionPeriodBlockMinutes',
    60,
    checks.nonNegativeInteger,
    'One failure detection (and one run of OnFailureDetectionProcesses) per instance within this window.',
  ),
  row(
    'RecoverMasterClusterFilters',
    'recoverMasterClusterFilters',
    [],
    checks.stringArray,
    'Clusters whose dead primary is recovered automatically: names, alias=<a>, alias~=<regex>, * or regex on the name.',
  ),
  row(
    'RecoverIntermediateMasterClusterFilters',
    'recoverIntermediateMasterClusterFilters',
    [],
    checks.stringArray,
    'Clusters whose dead intermediate primary is recovered automatically.',
  ),
  row(
    'PreventCrossDataCenterMasterFailover',
    'preventCrossDataCenterMasterFailover',
    false,
    checks.boolean,
    "Promote only a server in the dead primary's data center.",
  ),
  row(
    'PreventCrossRegionMasterFailover',
    'preventCrossRegionMasterFailover',
    false,
    checks.boolean,
    "Promote only a server in the dead primary's region.",
  ),
  row(
    'DelayMasterPromotionIfSQLThreadNotUpToDate',
    'delayMasterPromotionIfSQLThreadNotUpToDate',
    false,
    checks.boolean,
    "Wait for the candidate's SQL thread as long as it keeps applying, instead of PromotionRelayLogWaitSeconds.",
  ),
  row(
    'FailMasterPromotionIfSQLThreadNotUpToDate',
    'failMasterPromotionIfSQLThreadNotUpToDate',
    false,
    checks.boolean,
    'Fail the promotion when the candidate has not applied all it received.',
  ),
  row(
    'FailMasterPromotionOnLagMinutes',
    'failMasterPromotionOnLagMinutes',
    0,
    checks.nonNegativeInteger,
    'Refuse a candidate lagging more than this many minutes (0: no limit).',
  ),
  row(
    'ApplyMySQLPromotionAfterMasterFailover',
    'applyMySQLPromotionAfterMasterFailover',
    true,
    checks.boolean,
    'RESET SLAVE ALL and read_only=0 on the new primary.',
  ),
  row(
    'DetachLostReplicasAfterMasterFailover',
    'detachLostReplicasAfterMasterFailover',
    true,
    checks.boolean,
    'Replicas that cannot follow the new primary are detached.',
  ),
  row(
    'PromotionIgnoreHostnameFilters',
    'promotionIgnoreHostnameFilters',
    [],
    checks.regexArray,
    'Regular expressions: hosts that are never promoted.',
  ),
  row(
    'LostInRecoveryDowntimeSeconds',
    'lostInRecoveryDowntimeSeconds',
    31536000,
    checks.nonNegativeInteger,
    'Downtime given to the failed primary and to lost replicas.',
  ),
  row('ProcessesShellCommand', 'processesShellCommand', 'bash', checks.string, 'The shell hooks run in.'),
  hook(
    'OnFailureDetectionProcesses',
    'onFailureDetectionProcesses',
    'Run once per detection; a failure aborts the recovery.',
  ),
  hook(
    'PreGracefulTakeoverProcesses',
    'preGracefulTakeoverProcesses',
    'Run before a graceful takeover; a failure aborts it.',
  ),
  hook('PreFailoverProcesses', 'preFailoverProcesses', 'Run before a failover; a failure aborts it.'),
  hook('PostMasterFailoverProcesses', 'postMasterFailoverProcesses', 'Run after a primary failover.'),
  hook(
    'PostIntermediateMasterFailoverProcesses',
    'postIntermediateMasterFailoverProcesses',
    'Run after an intermediate primary recovery.',
  ),
  hook('PostFailoverProcesses', 'postFailoverProcesses', 'Run after any successful recovery.'),
  hook('PostUnsuccessfulFailoverProcesses', 'postUnsuccessfulFailoverProcesses', 'Run after a failed recovery.'),
  hook('PostGracefulTakeoverProcesses', 'postGracefulTakeoverProcesses', 'Run after a graceful takeover.'),
  hook('PostTakeMasterProcesses', 'postTakeMasterProcesses', 'Run after take-master.'),
  row(
    'HookTimeoutSeconds',
    'hookTimeoutSeconds',
    60,
    checks.positiveNumber,
    'Each hook command is killed after this long.',
    true,
  ),
  row(
    'PromotionRelayLogWaitSeconds',
    'promotionRelayLogWaitSeconds',
    10,
    checks.positiveNumber,
    'Bound on waiting for the candidate to apply its relay log before promotion.',
    true,
  ),
  row(
    'CandidateCatchUpTimeoutSeconds',
    'candidateCatchUpTimeoutSeconds',
    10,
    checks.positiveNumber,
    'Bound on bringing the candidate up to date from the most advanced replica.',
    true,
  ),
  row(
    'ReplicaRepointVerifySeconds',
    'replicaRepointVerifySeconds',
    10,
    checks.positiveNumber,
    'Bound on seeing each repointed replica replicate from the new primary.',
    true,
  ),
  row(
    'RecoveryStatementTimeoutSeconds',
    'recoveryStatementTimeoutSeconds',
    5,
    checks.positiveNumber,
    'Bound on each statement a recovery sends.',
    true,
  ),
  row(
    'OldPrimaryFenceWindowSeconds',
    'oldPrimaryFenceWindowSeconds',
    3600,
    checks.nonNegativeInteger,
    'How long orc keeps trying to set a failed primary read_only once it answers again.',
    true,
  ),
  row(
    'KVClearBeforePromotion',
    'kvClearBeforePromotion',
    false,
    checks.boolean,
    "Delete the cluster's KV entry before promoting, as a fencing signal for proxies.",
    true,
  ),
  row(
    'ReplicationUser',
    'replicationUser',
    '',
    checks.string,
    'The replication user a demoted primary connects with after a graceful takeover; empty leaves it read_only and not replicating.',
    true,
  ),
  {
    ...row('ReplicationPassword', 'replicationPassword', '', checks.string, "ReplicationUser's password.", true),
    secret: true,
  },
];

/**
 * Turns checked values (by orchestrator key, defaults applied) into @orc/topology's recovery
 * config input. `RecoveryPeriodBlockMinutes` counts only when `RecoveryPeriodBlockSeconds` is 0, as in
 * orchestrator.
 *
 * @example
 * const input = buildRecoveryConfig({ RecoveryPeriodBlockSeconds: 600 }, io);
 * validateRecoveryConfig(input).recoveryPeriodBlockSeconds; // 600
 */
export function buildRecoveryConfig(values: KeyValues, _io: ConfigIo): RecoveryConfigInput {
  const out: Record<string, unknown> = {};
  for (const spec of recoveryKeys) {
    if (spec.key === 'RecoveryPeriodBlockMinutes') continue;
    const value = values[spec.key];
    if (value !== undefined) out[spec.field] = value;
  }
  const minutes = values['RecoveryPeriodBlockMinutes'];
  if (values['RecoveryPeriodBlockSeconds'] === 0 && typeof minutes === 'number' && minutes > 0) {
    out['recoveryPeriodBlockSeconds'] = minutes * 60;
  }
  return out as RecoveryConfigInput;
}
