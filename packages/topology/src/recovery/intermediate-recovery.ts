// Recovery of a dead intermediate primary: its replicas are relocated under its own source (the
// grand-primary) by GTID, each only when the grand-primary holds everything it executed, and each
// verified to follow. No promotion, no KV change.
import type { AnalysisSnapshot } from '../analysis/analysis-input.js';
import type { ReplicationAnalysis } from '../analysis/replication-analysis.js';
import type { InstanceKey } from '../instance/instance-key.js';
import { failureFacts, type FailureRequest } from './dead-master-request.js';
import { positionCovers } from './gtid-position.js';
import type { Participant } from './promotion-steps.js';
import { detach, repoint, StepFailure, verifyFollowing } from './promotion-steps.js';
import type { RecoveryConfig } from './recovery-config.js';
import type { Connected } from './recovery-participants.js';
import type { ServerConnector } from './recovery-ports.js';
import type { Clock } from '../clock.js';
import { readServerState } from './server-state.js';
import type { StepLog } from './step-log.js';

/** The dead-intermediate-primary codes orchestrator acts on. */
export type DeadIntermediateMasterCode =
  | 'DeadIntermediateMaster'
  | 'DeadIntermediateMasterAndSomeReplicas'
  | 'DeadIntermediateMasterWithSingleReplicaFailingToConnect'
  | 'AllIntermediateMasterReplicasFailingToConnectOrDead';

const CODES: ReadonlySet<string> = new Set<DeadIntermediateMasterCode>([
  'DeadIntermediateMaster',
  'DeadIntermediateMasterAndSomeReplicas',
  'DeadIntermediateMasterWithSingleReplicaFailingToConnect',
  'AllIntermediateMasterReplicasFailingToConnectOrDead',
]);

/** What a dead-intermediate-primary recovery starts from. */
export interface DeadIntermediateMasterRequest extends FailureRequest {
  readonly analysis: DeadIntermediateMasterCode;
}

/**
 * Builds a {@link DeadIntermediateMasterRequest} from an analysis entry and its snapshot;
 * undefined for any other code.
 *
 * @example
 * const entry = analyzeReplication(snapshot).find((e) => e.Analysis === 'DeadIntermediateMaster');
 * const request = entry && deadIntermediateMasterRequest(entry, snapshot);
 */
export function deadIntermediateMasterRequest(
  entry: ReplicationAnalysis,
  snapshot: AnalysisSnapshot,
): DeadIntermediateMasterRequest | undefined {
  if (!CODES.has(entry.Analysis)) return undefined;
  const facts = failureFacts(entry);
  const { failedKey } = facts;
  const failed = snapshot.instances.find((i) => i.key === failedKey);
  return {
    analysis: entry.Analysis as DeadIntermediateMasterCode,
    ...facts,
    instances: snapshot.instances.filter(
      (i) =>
        i.key === failedKey ||
        i.masterKey === failedKey ||
        (failed !== undefined && failed.masterKey !== null && i.key === failed.masterKey),
    ),
  };
}

/**
 * Relocates each reachable replica of the dead intermediate primary under `target`: refused for a
 * replica that executed something `target`'s binlog lacks (it would fail or diverge); verified by
 * both threads running against `target` and `target`'s position at that moment executed.
 * Returns the relocated and the lost replicas.
 */
export async function relocateUnder(
  target: InstanceKey,
  replicas: Connected,
  o: { connector: ServerConnector; config: RecoveryConfig; clock: Clock; log: StepLog },
): Promise<{ relocated: InstanceKey[]; lost: InstanceKey[]; errors: string[] }> {
  const relocated: InstanceKey[] = [];
  const lost: InstanceKey[] = replicas.filter((c) => c.participant === undefined).map((c) => c.key);
  const errors: string[] = replicas.filter((c) => c.participant === undefined).map((c) => `${c.key}: ${c.error}`);
  const session = await o.connector.open(target);
  try {
    const { state: targetState } = await readServerState(session);
    const reachable = replicas.flatMap((c) => (c.participant === undefined ? [] : [c.participant]));
    await Promise.all(
      reachable.map(async (p: Participant) => {
        try {
          if (!positionCovers(p.dialect.gtidFlavor, targetState.binlogPosition, p.state.position)) {
            throw new StepFailure(
              `${p.key} executed ${p.state.position}, beyond ${target}'s ${targetState.binlogPosition}`,
            );
          }
          await repoint(p, target);
          const [now] = await session.query(p.dialect.positionQuery);
          await verifyFollowing(p, target, String(now?.['binlog_pos'] ?? ''), o.config, o.clock);
          relocated.push(p.key);
          o.log.step('relocate', `${p.key} replicates from ${target} (both threads running, caught up)`);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          lost.push(p.key);
          errors.push(message);
          o.log.step('relocate', `${p.key} LOST: ${message}`);
          if (o.config.detachLostReplicasAfterMasterFailover) {
            await detach(p, target).catch((e: unknown) =>
              o.log.step('detach', `${p.key} could not be detached: ${String(e)}`),
            );
          }
        }
      }),
    );
  } finally {
    await session.close();
  }
  return { relocated, lost, errors };
}
