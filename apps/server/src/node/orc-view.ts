// The API's read side over this node's topology (in memory, fresh) and backend (downtime,
// candidates, audit). Nothing here writes.
import type { Backend } from '@orc/backend';
import type { AuditLine, OrcView, RecoveryLine } from '@orc/api';
import type { RecoveryRecord } from '@orc/backend';
import {
  BackendAnalysisState,
  instanceKey,
  resolveClusters,
  splitInstanceKey,
  type Instance,
  type InstanceKey,
  type OrcTopology,
  type ReplicationAnalysis,
} from '@orc/topology';

const AUDIT_PAGE = 50;
const RECOVERY_PAGE = 50;

const iso = (ms: number | null): string => (ms === null || ms === 0 ? '' : new Date(ms).toISOString());
const list = (text: string): string[] => text.split(',').filter((s) => s.trim() !== '');

/** A `topology_recovery` row in orchestrator's `TopologyRecovery` JSON shape. */
function recoveryLine(r: RecoveryRecord): RecoveryLine {
  return {
    Id: r.recoveryId,
    UID: r.uid,
    AnalysisEntry: {
      AnalyzedInstanceKey: { Hostname: r.hostname, Port: r.port },
      Analysis: r.analysis,
      ClusterDetails: { ClusterName: r.clusterName, ClusterAlias: r.clusterAlias },
    },
    SuccessorKey:
      r.successorHostname === null || r.successorPort === null
        ? null
        : { Hostname: r.successorHostname, Port: r.successorPort },
    SuccessorAlias: r.successorAlias ?? '',
    IsActive: r.inActivePeriod,
    IsSuccessful: r.isSuccessful,
    LostReplicas: list(r.lostSlaves),
    ParticipatingInstanceKeys: list(r.participatingInstances),
    AllErrors: r.allErrors === '' ? [] : r.allErrors.split('\n'),
    RecoveryStartTimestamp: iso(r.startActivePeriod),
    RecoveryEndTimestamp: iso(r.endRecovery),
    ProcessingNodeHostname: r.processingNodeHostname,
    ProcessingNodeToken: r.processingNodeToken,
    Acknowledged: r.acknowledged,
    AcknowledgedAt: iso(r.acknowledgedAt),
    AcknowledgedBy: r.acknowledgedBy,
    AcknowledgedComment: r.acknowledgeComment,
    LastDetectionId: r.lastDetectionId,
  };
}

/**
 * Builds the view the API reads.
 *
 * @example
 * const view = createOrcView(backend, topology, { defaultPort: 3306, pollSeconds: 5, onAnalysis });
 */
export function createOrcView(
  backend: Backend,
  topology: OrcTopology,
  settings: {
    defaultPort: number;
    pollSeconds: number;
    onAnalysis?: (entries: readonly ReplicationAnalysis[]) => void;
  },
): OrcView {
  const state = new BackendAnalysisState(backend);
  // The loop's instances carry what the probe saw; the cluster name and depth come from where
  // each sits among the others, so they are placed here on every read.
  const placed = (): Instance[] => {
    const known = topology.instances().filter((i) => i.lastSeenAt !== null || i.lastCheckedAt !== null);
    const { placements } = resolveClusters(
      known.filter((i) => i.lastSeenAt !== null),
      {},
    );
    return known.map((i) => {
      const p = placements.get(i.key);
      return p === undefined ? i : { ...i, ...p };
    });
  };
  return {
    defaultPort: settings.defaultPort,
    pollSeconds: settings.pollSeconds,
    instances: placed,
    instance: (key: InstanceKey) =>
      topology.instance(key) === undefined ? undefined : placed().find((i) => i.key === key),
    clusters: () => topology.clusters(),
    analysis: async () => {
      const entries = await topology.analysis();
      settings.onAnalysis?.(entries);
      return entries;
    },
    downtimes: () => state.readDowntimes(),
    maintenance: async () =>
      (await backend.downtime.readActiveMaintenance()).map((m) => ({
        key: instanceKey(m.hostname, m.port),
        endsAt: m.endTimestamp,
        owner: m.owner,
        reason: m.reason,
        maintenanceKey: m.databaseInstanceMaintenanceId,
      })),
    candidates: () => state.readCandidates(),
    globalRecoveriesDisabled: () => backend.recoveries.isGlobalRecoveryDisabled(),
    clusterRecoveriesDisabled: (clusterName) => backend.recoveries.isClusterRecoveryDisabled(clusterName),
    blockedRecoveries: async (clusterName) =>
      (await backend.recoveries.readBlocked())
        .filter((b) => clusterName === undefined || b.clusterName === clusterName)
        .map((b) => ({
          FailedInstanceKey: { Hostname: b.hostname, Port: b.port },
          ClusterName: b.clusterName,
          Analysis: b.analysis,
          LastBlockedTimestamp: iso(b.lastBlockedTimestamp),
          BlockingRecoveryId: b.blockingRecoveryId === null ? null : Number(b.blockingRecoveryId),
        })),
    instanceTags: (key) => {
      const { host, port } = splitInstanceKey(key);
      return backend.tags.read({ hostname: host, port });
    },
    taggedInstances: async (name, value) =>
      (await backend.tags.tagged(name, value)).map((t) => instanceKey(t.hostname, t.port)),
    recoveries: async ({ page, cluster, uid }) => {
      if (uid !== undefined) {
        const one = await backend.recoveries.readByUid(uid);
        return one === undefined ? [] : [recoveryLine(one)];
      }
      // The repository pages by limit only: read through this page and keep its slice. A cluster
      // is matched by name or alias, in memory, as a recovery keeps the name it had.
      const limit = (page + 1) * RECOVERY_PAGE * (cluster === undefined ? 1 : 20);
      const rows = (await backend.recoveries.readRecent({ limit })).filter(
        (r) => cluster === undefined || r.clusterName === cluster || r.clusterAlias === cluster,
      );
      return rows.slice(page * RECOVERY_PAGE, (page + 1) * RECOVERY_PAGE).map(recoveryLine);
    },
    recoverySteps: async (uid) =>
      (await backend.recoveries.readSteps(uid)).map((s) => ({
        RecoveryStepId: s.recoveryStepId,
        RecoveryUID: s.recoveryUid,
        AuditAt: iso(s.auditAt),
        Message: s.message,
      })),
    audit: async (page: number, key?: InstanceKey): Promise<AuditLine[]> => {
      const where =
        key === undefined ? {} : (({ host, port }) => ({ key: { hostname: host, port } }))(splitInstanceKey(key));
      const { entries } = await backend.audit.page({ limit: AUDIT_PAGE, offset: page * AUDIT_PAGE, ...where });
      return entries.map((e) => ({
        AuditId: e.auditId,
        AuditTimestamp: new Date(e.auditTimestamp).toISOString(),
        AuditType: e.auditType,
        AuditInstanceKey: { Hostname: e.hostname, Port: e.port },
        Message: e.message,
      }));
    },
  };
}
