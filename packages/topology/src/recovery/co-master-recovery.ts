// A dead co-primary (orchestrator's DeadCoMaster and DeadCoMasterAndSomeReplicas): in a ring
// A <-> B where A died, B is promoted (as orchestrator with CoMasterRecoveryMustPromoteOtherCoMaster,
// its default): brought up to date from the most advanced of A's replicas, its replication from A
// dropped, made writable and verified, A's other replicas repointed to it, the KV entry moved to
// it, and A fenced when it returns (read_only, and its replication from B detached, so that it
// does not rejoin the ring by itself). The promotion itself is the dead-primary recovery's.
import type { AnalysisSnapshot } from '../analysis/analysis-input.js';
import type { ReplicationAnalysis } from '../analysis/replication-analysis.js';
import { primaryFailureRequest, type DeadMasterRequest } from './dead-master-request.js';

/**
 * The dead co-primary codes recovery acts on.
 *
 * @example
 * const code: DeadCoMasterCode = 'DeadCoMaster';
 */
export type DeadCoMasterCode = 'DeadCoMaster' | 'DeadCoMasterAndSomeReplicas';

/**
 * Whether an analysis code is a dead co-primary.
 *
 * @example
 * isDeadCoMasterCode('DeadCoMaster'); // true
 */
export function isDeadCoMasterCode(code: string): code is DeadCoMasterCode {
  return code === 'DeadCoMaster' || code === 'DeadCoMasterAndSomeReplicas';
}

/**
 * Builds the recovery request of a dead co-primary: a dead-primary request whose required
 * candidate is the other co-primary (the dead one's own source). Undefined for any other code,
 * or when the snapshot does not show the dead server replicating from its co-primary.
 *
 * @example
 * const entry = analyzeReplication(snapshot).find((e) => e.Analysis === 'DeadCoMaster');
 * const request = entry && deadCoMasterRequest(entry, snapshot);
 * if (request) await engine.recoverDeadCoMaster(request);
 */
export function deadCoMasterRequest(
  entry: ReplicationAnalysis,
  snapshot: AnalysisSnapshot,
): DeadMasterRequest | undefined {
  if (!isDeadCoMasterCode(entry.Analysis)) return undefined;
  const request = primaryFailureRequest(entry, snapshot, entry.Analysis);
  const failed = snapshot.instances.find((i) => i.key === request.failedKey);
  const other = failed?.masterKey ?? null;
  if (other === null) return undefined;
  const otherCoMaster = snapshot.instances.find((i) => i.key === other);
  if (otherCoMaster?.masterKey !== request.failedKey) return undefined;
  return { ...request, requestedCandidate: other };
}
