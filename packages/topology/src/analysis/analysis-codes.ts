/**
 * orchestrator's analysis codes, word for word (operators and scripts know them). One code per
 * analysed server; `NoProblem` when nothing is wrong.
 */
export const ANALYSIS_CODES = [
  'NoProblem',
  'DeadMasterWithoutReplicas',
  'DeadMaster',
  'DeadMasterAndReplicas',
  'DeadMasterAndSomeReplicas',
  'UnreachableMasterWithLaggingReplicas',
  'UnreachableMaster',
  'MasterSingleReplicaNotReplicating',
  'MasterSingleReplicaDead',
  'AllMasterReplicasNotReplicating',
  'AllMasterReplicasNotReplicatingOrDead',
  'LockedSemiSyncMasterHypothesis',
  'LockedSemiSyncMaster',
  'MasterWithTooManySemiSyncReplicas',
  'DeadCoMaster',
  'DeadCoMasterAndSomeReplicas',
  'UnreachableCoMaster',
  'AllCoMasterReplicasNotReplicating',
  'DeadIntermediateMaster',
  'DeadIntermediateMasterWithSingleReplica',
  'DeadIntermediateMasterWithSingleReplicaFailingToConnect',
  'DeadIntermediateMasterAndSomeReplicas',
  'DeadIntermediateMasterAndReplicas',
  'UnreachableIntermediateMasterWithLaggingReplicas',
  'UnreachableIntermediateMaster',
  'AllIntermediateMasterReplicasFailingToConnectOrDead',
  'AllIntermediateMasterReplicasNotReplicating',
  'FirstTierReplicaFailingToConnectToMaster',
  'BinlogServerFailingToConnectToMaster',
  'NoWriteableMasterStructureWarning',
] as const;

/** One of orchestrator's analysis codes. */
export type AnalysisCode = (typeof ANALYSIS_CODES)[number];

/**
 * orchestrator's structure warnings (several may apply to one server), plus
 * `NoPromotableReplicasStructureWarning`, orc's own: the primary has replicas but none of them
 * could be promoted (none logs its updates, or every one that does is `must_not`).
 */
export const STRUCTURE_ANALYSIS_CODES = [
  'StatementAndMixedLoggingReplicasStructureWarning',
  'StatementAndRowLoggingReplicasStructureWarning',
  'MixedAndRowLoggingReplicasStructureWarning',
  'MultipleMajorVersionsLoggingReplicasStructureWarning',
  'NoLoggingReplicasStructureWarning',
  'DifferentGTIDModesStructureWarning',
  'ErrantGTIDStructureWarning',
  'NoFailoverSupportStructureWarning',
  'NoWriteableMasterStructureWarning',
  'NotEnoughValidSemiSyncReplicasStructureWarning',
  'NoPromotableReplicasStructureWarning',
] as const;

/** One structure warning code. */
export type StructureAnalysisCode = (typeof STRUCTURE_ANALYSIS_CODES)[number];

/**
 * Codes on which recovery acts (orchestrator's `getCheckAndRecoverFunction`); the rest are
 * detection only.
 */
export const ACTIONABLE_ANALYSIS_CODES: ReadonlySet<AnalysisCode> = new Set<AnalysisCode>([
  'DeadMaster',
  'DeadMasterAndSomeReplicas',
  'LockedSemiSyncMaster',
  'MasterWithTooManySemiSyncReplicas',
  'DeadIntermediateMaster',
  'DeadIntermediateMasterAndSomeReplicas',
  'DeadIntermediateMasterWithSingleReplicaFailingToConnect',
  'AllIntermediateMasterReplicasFailingToConnectOrDead',
  'DeadCoMaster',
  'DeadCoMasterAndSomeReplicas',
  'NoWriteableMasterStructureWarning',
]);
