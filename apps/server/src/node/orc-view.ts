// The API's read side over this node's topology (in memory, fresh) and backend (downtime,
// candidates, audit). Nothing here writes.
import type { Backend } from '@orc/backend';
import type { AuditLine, OrcView } from '@orc/api';
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
