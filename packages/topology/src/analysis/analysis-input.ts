import type { Instance, PromotionRule } from '../instance/instance.js';
import type { InstanceKey } from '../instance/instance-key.js';

/** A downtime: while active, analysis entries for the server are marked skippable. */
export interface Downtime {
  readonly key: InstanceKey;
  /** End of the downtime (ms since epoch); null = until ended by hand. */
  readonly endsAt: number | null;
  readonly owner?: string;
  readonly reason?: string;
}

/** An active maintenance: the server is not analysed (as orchestrator does), though it still counts as a replica. */
export interface Maintenance {
  readonly key: InstanceKey;
  readonly endsAt: number | null;
  readonly owner?: string;
  readonly reason?: string;
}

/** A registered candidate rule (`register-candidate`): overrides the server's own promotion rule until it expires. */
export interface CandidateRule {
  readonly key: InstanceKey;
  readonly promotionRule: PromotionRule;
  readonly expiresAt: number | null;
}

/** Everything the analysis looks at, taken at one moment. */
export interface AnalysisSnapshot {
  /** The moment of the snapshot (ms since epoch): decides which downtimes, maintenances and candidate rules are active. */
  readonly now: number;
  readonly instances: readonly Instance[];
  readonly downtimes?: readonly Downtime[];
  readonly maintenance?: readonly Maintenance[];
  readonly candidates?: readonly CandidateRule[];
  /** Manual cluster alias overrides, by cluster name. */
  readonly clusterAliasOverrides?: Readonly<Record<string, string>>;
}

/** Settings the analysis reads; orchestrator's key names in camelCase. Every field has orchestrator's default. */
export interface AnalysisOptions {
  /** `InstancePollSeconds` (5). */
  readonly instancePollSeconds?: number;
  /** `ReasonableInstanceCheckSeconds` (1). */
  readonly reasonableInstanceCheckSeconds?: number;
  /** `ReasonableReplicationLagSeconds` (10). */
  readonly reasonableReplicationLagSeconds?: number;
  /** `ReasonableLockedSemiSyncMasterSeconds` (0 = use the replication lag setting). */
  readonly reasonableLockedSemiSyncMasterSeconds?: number;
  /** `RecoverNonWriteableMaster` (false). */
  readonly recoverNonWriteableMaster?: boolean;
  /** `EnforceExactSemiSyncReplicas` (false). */
  readonly enforceExactSemiSyncReplicas?: boolean;
  /** `RecoveryIgnoreHostnameFilters`: entries on matching hosts are dropped. */
  readonly recoveryIgnoreHostnameFilters?: readonly string[];
  /** `RecoverMasterClusterFilters`: sets `ClusterDetails.HasAutomatedMasterRecovery`. */
  readonly recoverMasterClusterFilters?: readonly string[];
  /** `RecoverIntermediateMasterClusterFilters`: sets `ClusterDetails.HasAutomatedIntermediateMasterRecovery`. */
  readonly recoverIntermediateMasterClusterFilters?: readonly string[];
  /** `ClusterNameToAlias`. */
  readonly clusterNameToAlias?: Readonly<Record<string, string>>;
  /** Include entries with no problem and no structure warning (false). */
  readonly includeNoProblem?: boolean;
  /** Include entries that are skippable due to downtime (true). */
  readonly includeDowntimed?: boolean;
  /**
   * orc (ADR 0503): a replica whose heartbeat counter and read position have not moved for this
   * many `MASTER_HEARTBEAT_PERIOD`s, while orc cannot reach its source, no longer counts as
   * connected to or replicating from it (3). 0 turns the heartbeat witness off.
   */
  readonly heartbeatSilentPeriods?: number;
  /**
   * orc: a probe still pending past `ReasonableInstanceCheckSeconds` (the discovery loop stamps
   * `lastAttemptedCheckAt` after the last check) makes the last check invalid at once, instead of
   * after a poll plus that margin (true). false = orchestrator's rule exactly.
   */
  readonly pendingProbeInvalidates?: boolean;
}

/** Same default values as orchestrator. */
export const DEFAULT_ANALYSIS_OPTIONS: Readonly<Required<AnalysisOptions>> = Object.freeze({
  instancePollSeconds: 5,
  reasonableInstanceCheckSeconds: 1,
  reasonableReplicationLagSeconds: 10,
  reasonableLockedSemiSyncMasterSeconds: 0,
  recoverNonWriteableMaster: false,
  enforceExactSemiSyncReplicas: false,
  recoveryIgnoreHostnameFilters: [],
  recoverMasterClusterFilters: [],
  recoverIntermediateMasterClusterFilters: [],
  clusterNameToAlias: {},
  includeNoProblem: false,
  includeDowntimed: true,
  heartbeatSilentPeriods: 3,
  pendingProbeInvalidates: true,
});
