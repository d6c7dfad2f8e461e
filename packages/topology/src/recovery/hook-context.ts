import type { InstanceKey } from '../instance/instance-key.js';
import { splitInstanceKey } from '../instance/instance-key.js';
import type { FailureRequest } from './dead-master-request.js';
import type { RecoveryConfig } from './recovery-config.js';
import { matchesClusterFilters } from '../analysis/cluster-filters.js';
import type { HookContext } from './recovery-ports.js';

/**
 * The placeholders of a dead-primary recovery's hooks, before a successor is known.
 *
 * @example
 * const ctx = hookContext(request, { uid, nodeName: 'orc1', replicaKeys, config });
 * ctx.failedHost; // 'db1'
 */
export function hookContext(
  req: FailureRequest,
  o: { uid: string; nodeName: string; replicaKeys: readonly InstanceKey[]; config: RecoveryConfig },
): HookContext {
  const { host, port } = splitInstanceKey(req.failedKey);
  const cluster = { ClusterName: req.clusterName, ClusterAlias: req.clusterAlias };
  const isCoMaster = req.analysis.includes('CoMaster');
  return {
    failureType: req.analysis,
    instanceType: req.analysis.includes('IntermediateMaster') ? 'intermediate-master' : 'master',
    isMaster: !req.analysis.includes('IntermediateMaster'),
    isCoMaster,
    failureDescription:
      req.analysis === 'DeadMasterWithoutReplicas'
        ? 'Master cannot be reached by orchestrator and has no replicas'
        : `${isCoMaster ? 'Co-master' : 'Master'} cannot be reached by orchestrator and none of its replicas is replicating`,
    command: req.command ?? '',
    failedHost: host,
    failedPort: port,
    failureCluster: req.clusterName,
    failureClusterAlias: req.clusterAlias,
    failureClusterDomain: req.clusterDomain ?? '',
    countReplicas: o.replicaKeys.length,
    isDowntimed: req.isDowntimed === true,
    autoMasterRecovery: matchesClusterFilters(o.config.recoverMasterClusterFilters, cluster),
    autoIntermediateMasterRecovery: matchesClusterFilters(o.config.recoverIntermediateMasterClusterFilters, cluster),
    orchestratorHost: o.nodeName,
    recoveryUID: o.uid,
    isSuccessful: false,
    successorHost: '',
    successorPort: 0,
    successorBinlogCoordinates: '',
    successorAlias: '',
    lostReplicas: [],
    replicaHosts: o.replicaKeys,
  };
}
