import type { OrchestratorInstanceKey } from '../instance/instance-key.js';
import type { AnalysisCode, StructureAnalysisCode } from './analysis-codes.js';

/** orchestrator's `ClusterInfo` as it appears inside an analysis entry. */
export interface AnalysisClusterDetails {
  readonly ClusterName: string;
  readonly ClusterAlias: string;
  readonly ClusterDomain: string;
  readonly CountInstances: number;
  readonly HeuristicLag: number;
  readonly HasAutomatedMasterRecovery: boolean;
  readonly HasAutomatedIntermediateMasterRecovery: boolean;
}

/** orchestrator's `BinlogCoordinates` JSON (Type 0 = binary log). */
export interface AnalysisBinlogCoordinates {
  readonly LogFile: string;
  readonly LogPos: number;
  readonly Type: number;
}

/**
 * One analysis entry, with orchestrator's field names and JSON shape (`/api/replication-analysis`
 * serves these unchanged). orc adds `CountValidReplicasConnectedToMaster`: the reachable replicas
 * whose IO thread is still connected to the analysed server, evidence that it is alive.
 */
export interface ReplicationAnalysis {
  readonly AnalyzedInstanceKey: OrchestratorInstanceKey;
  readonly AnalyzedInstanceMasterKey: OrchestratorInstanceKey;
  readonly ClusterDetails: AnalysisClusterDetails;
  readonly AnalyzedInstanceDataCenter: string;
  readonly AnalyzedInstanceRegion: string;
  readonly AnalyzedInstancePhysicalEnvironment: string;
  readonly AnalyzedInstanceBinlogCoordinates: AnalysisBinlogCoordinates;
  readonly IsMaster: boolean;
  readonly IsReplicationGroupMember: boolean;
  readonly IsCoMaster: boolean;
  readonly LastCheckValid: boolean;
  readonly LastCheckPartialSuccess: boolean;
  readonly CountReplicas: number;
  readonly CountValidReplicas: number;
  readonly CountValidReplicatingReplicas: number;
  readonly CountValidReplicasConnectedToMaster: number;
  readonly CountReplicasFailingToConnectToMaster: number;
  readonly CountDowntimedReplicas: number;
  readonly ReplicationDepth: number;
  readonly Replicas: readonly OrchestratorInstanceKey[];
  readonly SlaveHosts: readonly OrchestratorInstanceKey[];
  readonly IsFailingToConnectToMaster: boolean;
  readonly Analysis: AnalysisCode;
  readonly Description: string;
  readonly StructureAnalysis: readonly StructureAnalysisCode[];
  readonly IsDowntimed: boolean;
  readonly IsReplicasDowntimed: boolean;
  readonly DowntimeEndTimestamp: string;
  readonly DowntimeRemainingSeconds: number;
  readonly IsBinlogServer: boolean;
  readonly PseudoGTIDImmediateTopology: boolean;
  readonly OracleGTIDImmediateTopology: boolean;
  readonly MariaDBGTIDImmediateTopology: boolean;
  readonly BinlogServerImmediateTopology: boolean;
  readonly SemiSyncMasterEnabled: boolean;
  readonly SemiSyncMasterStatus: boolean;
  readonly SemiSyncMasterWaitForReplicaCount: number;
  readonly SemiSyncMasterClients: number;
  readonly CountSemiSyncReplicasEnabled: number;
  readonly CountLoggingReplicas: number;
  readonly CountStatementBasedLoggingReplicas: number;
  readonly CountMixedBasedLoggingReplicas: number;
  readonly CountRowBasedLoggingReplicas: number;
  readonly CountDistinctMajorVersionsLoggingReplicas: number;
  readonly CountDelayedReplicas: number;
  readonly CountLaggingReplicas: number;
  readonly IsActionableRecovery: boolean;
  readonly ProcessingNodeHostname: string;
  readonly ProcessingNodeToken: string;
  readonly CountAdditionalAgreeingNodes: number;
  readonly StartActivePeriod: string;
  readonly SkippableDueToDowntime: boolean;
  readonly GTIDMode: string;
  readonly MinReplicaGTIDMode: string;
  readonly MaxReplicaGTIDMode: string;
  readonly MaxReplicaGTIDErrant: string;
  readonly CommandHint: string;
  readonly IsReadOnly: boolean;
}

/** The description orchestrator attaches to each code. */
export const ANALYSIS_DESCRIPTIONS: Readonly<Record<AnalysisCode, string>> = {
  NoProblem: '',
  DeadMasterWithoutReplicas: 'Master cannot be reached by orchestrator and has no replica',
  DeadMaster: 'Master cannot be reached by orchestrator and none of its replicas is replicating',
  DeadMasterAndReplicas: 'Master cannot be reached by orchestrator and none of its replicas is replicating',
  DeadMasterAndSomeReplicas:
    'Master cannot be reached by orchestrator; some of its replicas are unreachable and none of its reachable replicas is replicating',
  UnreachableMasterWithLaggingReplicas: 'Master cannot be reached by orchestrator and all of its replicas are lagging',
  UnreachableMaster:
    'Master cannot be reached by orchestrator but it has replicating replicas; possibly a network/host issue',
  LockedSemiSyncMaster: "Semi sync master is locked since it doesn't get enough replica acknowledgements",
  LockedSemiSyncMasterHypothesis: 'Semi sync master seems to be locked, more samplings needed to validate',
  MasterWithTooManySemiSyncReplicas: 'Semi sync master has more semi sync replicas than configured',
  NoWriteableMasterStructureWarning: 'Master with replicas is read_only',
  MasterSingleReplicaNotReplicating: 'Master is reachable but its single replica is not replicating',
  MasterSingleReplicaDead: 'Master is reachable but its single replica is dead',
  AllMasterReplicasNotReplicating: 'Master is reachable but none of its replicas is replicating',
  AllMasterReplicasNotReplicatingOrDead: 'Master is reachable but none of its replicas is replicating',
  DeadCoMaster: 'Co-master cannot be reached by orchestrator and none of its replicas is replicating',
  DeadCoMasterAndSomeReplicas:
    'Co-master cannot be reached by orchestrator; some of its replicas are unreachable and none of its reachable replicas is replicating',
  UnreachableCoMaster:
    'Co-master cannot be reached by orchestrator but it has replicating replicas; possibly a network/host issue',
  AllCoMasterReplicasNotReplicating: 'Co-master is reachable but none of its replicas is replicating',
  DeadIntermediateMasterWithSingleReplicaFailingToConnect:
    'Intermediate master cannot be reached by orchestrator and its (single) replica is failing to connect',
  DeadIntermediateMasterWithSingleReplica:
    'Intermediate master cannot be reached by orchestrator and its (single) replica is not replicating',
  DeadIntermediateMaster:
    'Intermediate master cannot be reached by orchestrator and none of its replicas is replicating',
  DeadIntermediateMasterAndSomeReplicas:
    'Intermediate master cannot be reached by orchestrator; some of its replicas are unreachable and none of its reachable replicas is replicating',
  DeadIntermediateMasterAndReplicas:
    'Intermediate master cannot be reached by orchestrator and all of its replicas are unreachable',
  UnreachableIntermediateMasterWithLaggingReplicas:
    'Intermediate master cannot be reached by orchestrator and all of its replicas are lagging',
  UnreachableIntermediateMaster:
    'Intermediate master cannot be reached by orchestrator but it has replicating replicas; possibly a network/host issue',
  AllIntermediateMasterReplicasFailingToConnectOrDead:
    'Intermediate master is reachable but all of its replicas are failing to connect',
  AllIntermediateMasterReplicasNotReplicating:
    'Intermediate master is reachable but none of its replicas is replicating',
  BinlogServerFailingToConnectToMaster: 'Binlog server is unable to connect to its master',
  FirstTierReplicaFailingToConnectToMaster:
    '1st tier replica (directly replicating from topology master) is unable to connect to the master',
};
