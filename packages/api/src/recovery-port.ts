// The manual recovery operations the daemon's active node runs with its RecoveryEngine: the API
// resolves and validates the target, the daemon builds the engine's request from its topology
// and runs it. Kept apart from the CommandBus: a recovery acts on MySQL servers, it is not a
// change of orc's own state that could be replayed.
import type { InstanceKey } from '@orc/topology';

/** The cluster an operation acts on, as the API resolved it from a hint. */
export interface RecoveryClusterRef {
  readonly clusterName: string;
  readonly clusterAlias: string;
  /** The cluster's primary as discovery knows it. */
  readonly masterKey: InstanceKey;
}

/** One manual operation. */
export type ManualRecoveryRequest =
  | {
      /** `recover` (hooks run) or `recover-lite` (`skipProcesses`: no hooks). */
      readonly kind: 'recover';
      readonly failedKey: InstanceKey;
      readonly candidateKey?: InstanceKey;
      readonly skipProcesses: boolean;
    }
  | {
      /** `force-master-failover`, or `force-master-takeover` when `designatedKey` is given. */
      readonly kind: 'force-master-failover';
      readonly cluster: RecoveryClusterRef;
      readonly designatedKey?: InstanceKey;
    }
  | {
      /** `graceful-master-takeover`, or `-auto` with `auto: true`. */
      readonly kind: 'graceful-master-takeover';
      readonly cluster: RecoveryClusterRef;
      readonly designatedKey?: InstanceKey;
      readonly auto: boolean;
    };

/**
 * How a manual operation ended. `not-attempted`: the instance has no failure orc recovers (as
 * orchestrator's "Recovery not attempted"); `refused` and `skipped`: a guard said no; `failed`:
 * it ran and promoted nothing; `partial`: promoted, but a replica or a KV store was lost.
 */
export type ManualRecoveryStatus = 'successful' | 'partial' | 'failed' | 'refused' | 'skipped' | 'not-attempted';

/** What a manual operation did. */
export interface ManualRecoveryResult {
  /** The recovery's uid in the audit (`audit-recovery/uid/:uid`); null when none was registered. */
  readonly uid: string | null;
  readonly status: ManualRecoveryStatus;
  /** The engine's own words: what it promoted, or why it did not. */
  readonly reason: string;
  /** The analysis acted on (`DeadMaster`, `GracefulMasterTakeover`, ...), or the one found when not attempted. */
  readonly analysis: string;
  readonly failedKey: InstanceKey;
  readonly clusterName: string;
  readonly clusterAlias: string;
  readonly successor: InstanceKey | null;
  readonly lostReplicas: readonly InstanceKey[];
}

/**
 * The daemon's manual recovery operations (implemented in apps/server over its RecoveryEngine).
 * A bad target rejects with the library's error (a TopologyError `INVALID_ARGUMENT` naming the
 * reason); everything the engine decided resolves as a {@link ManualRecoveryResult}.
 *
 * @example
 * const result = await recovery.run({ kind: 'recover', failedKey: instanceKey('db1', 3306), skipProcesses: false });
 * if (result.successor === null) console.warn(result.reason);
 */
export interface RecoveryOperations {
  run(request: ManualRecoveryRequest): Promise<ManualRecoveryResult>;
}
