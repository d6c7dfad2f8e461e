import type { OrcDb } from '../dialect/sql-dialect.js';
import type { RecordOf } from '../schema/column.js';
import { RowCodec } from '../schema/row-codec.js';
import { blockedTopologyRecovery, topologyRecovery, topologyRecoverySteps } from '../schema/tables.js';
import type { FailureFacts } from './failure-detection-repository.js';
import { affected, type InstanceKey } from './repository-context.js';

// The records, inputs and anti-flapping queries of recoveries; the repository is recovery-repository.ts.

/** A `topology_recovery` row. */
export type RecoveryRecord = RecordOf<typeof topologyRecovery>;
/** A `topology_recovery_steps` row. */
export type RecoveryStepRecord = RecordOf<typeof topologyRecoverySteps>;
/** A `blocked_topology_recovery` row. */
export type BlockedRecoveryRecord = RecordOf<typeof blockedTopologyRecovery>;

/** @internal */
export const recoveryCodec = new RowCodec(topologyRecovery);
/** @internal */
export const recoveryStepCodec = new RowCodec(topologyRecoverySteps);
/** @internal */
export const blockedRecoveryCodec = new RowCodec(blockedTopologyRecovery);

/** What a recovery registration records. */
export interface RecoveryInput extends FailureFacts {
  readonly lastDetectionId: number;
  /** Defaults to a random UUID. */
  readonly uid?: string;
}

/** The outcome of {@link RecoveryRepository.register}. */
export type RecoveryRegistration =
  | { readonly registered: true; readonly recovery: RecoveryRecord }
  /** Anti-flapping refused it; `blockedBy` is the active recovery in the way (when still found). */
  | { readonly registered: false; readonly blockedBy: RecoveryRecord | undefined };

/** Whose recoveries an acknowledgement covers. */
export type AcknowledgeTarget =
  { readonly uid: string } | { readonly key: InstanceKey } | { readonly clusterName: string } | { readonly all: true };

/** How a recovery ended. */
export interface RecoveryResolution {
  readonly isSuccessful: boolean;
  readonly successor?: { readonly key: InstanceKey; readonly alias: string };
  readonly lostReplicas: string;
  readonly participatingInstances: string;
  readonly allErrors: string;
}

/** Ends active periods that started before the block period. */
export async function endExpiredPeriods(db: OrcDb, now: number, blockPeriodSeconds: number): Promise<number> {
  const res = await db
    .updateTable('topology_recovery')
    .set({ in_active_period: 0, active_lock: null, end_active_period_unixtime: now })
    .where('in_active_period', '=', 1)
    .where('start_active_period', '<', now - blockPeriodSeconds * 1000)
    .executeTakeFirst();
  return affected(res);
}

/** The active recovery that blocks a new one for `input`: same instance, same cluster, or one that promoted this instance. */
export async function findBlocker(db: OrcDb, input: RecoveryInput): Promise<RecoveryRecord | undefined> {
  const row = await db
    .selectFrom('topology_recovery')
    .selectAll()
    .where('in_active_period', '=', 1)
    .where((eb) =>
      eb.or([
        eb.and([eb('hostname', '=', input.key.hostname), eb('port', '=', input.key.port)]),
        eb('cluster_name', '=', input.clusterName),
        eb.and([eb('successor_hostname', '=', input.key.hostname), eb('successor_port', '=', input.key.port)]),
      ]),
    )
    .orderBy('recovery_id')
    .executeTakeFirst();
  return row === undefined ? undefined : recoveryCodec.decode(row);
}
