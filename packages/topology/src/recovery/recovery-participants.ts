// Helpers of the dead-primary recovery: connecting to and freezing the replicas, and turning
// their live state and the snapshot into the candidate choice's input.
import { mariaDbErrantGtid, mysqlErrantGtid } from '../analysis/errant-gtid.js';
import type { InstanceKey } from '../instance/instance-key.js';
import type { CandidateReplica } from './candidate-choice.js';
import type { DeadMasterRequest } from './dead-master-request.js';
import { effectivePromotionRule } from './dead-master-request.js';
import type { Participant } from './promotion-steps.js';
import type { ServerConnector } from './recovery-ports.js';
import { readServerState } from './server-state.js';
import type { StepLog } from './step-log.js';

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export type Connected = readonly {
  readonly key: InstanceKey;
  readonly participant?: Participant;
  readonly error?: string;
}[];

export async function closeAll(connected: Connected): Promise<void> {
  await Promise.all(connected.map((c) => c.participant?.session.close()));
}

export function usesGtid(p: Participant): boolean {
  const r = p.state.replication;
  if (r === null) return true;
  return p.dialect.gtidFlavor === 'mariadb' ? !['', 'NO'].includes(r.usingMariaDbGtid.toUpperCase()) : r.isAutoPosition;
}

export function placement(req: DeadMasterRequest): { key: InstanceKey; dataCenter: string; region: string } {
  const failed = req.instances.find((i) => i.key === req.failedKey);
  return { key: req.failedKey, dataCenter: failed?.dataCenter ?? '', region: failed?.region ?? '' };
}

export function candidateOf(
  r: DeadMasterRequest['instances'][number],
  p: Participant | undefined,
  isApplied: boolean,
  req: DeadMasterRequest,
): CandidateReplica {
  return {
    key: r.key,
    isReachable: p !== undefined,
    majorVersion: p?.state.version.majorVersion ?? r.majorVersion,
    binlogFormat: p?.state.binlogFormat ?? r.binlogFormat,
    hasLogBin: p?.state.hasLogBin ?? r.hasLogBin,
    hasLogReplicaUpdates: p?.state.hasLogReplicaUpdates ?? r.hasLogReplicaUpdates,
    isBinlogServer: r.isBinlogServer,
    promotionRule: effectivePromotionRule(r, req.candidateRules ?? [], req.now ?? 0),
    dataCenter: r.dataCenter,
    region: r.region,
    executedPosition: p?.state.position ?? '',
    isSqlThreadUpToDate: isApplied,
    lagSeconds: r.replication?.secondsBehindMaster ?? null,
    errantGtid: p === undefined ? '' : errantOf(p, req),
  };
}

/** Transactions the replica has that the failed primary (as last seen) never had. */
function errantOf(p: Participant, req: DeadMasterRequest): string {
  const failed = req.instances.find((i) => i.key === req.failedKey);
  if (failed === undefined || failed.executedGtidSet === '') return '';
  return p.dialect.gtidFlavor === 'mariadb'
    ? mariaDbErrantGtid(p.state.binlogPosition, failed.executedGtidSet, p.state.serverId)
    : mysqlErrantGtid(p.state.position, failed.executedGtidSet, failed.serverUuid);
}

/** Opens a session to each server and reads its state; read-only. */
export function connectAll(connector: ServerConnector, keys: readonly InstanceKey[]): Promise<Connected> {
  return Promise.all(
    keys.map(async (key): Promise<Connected[number]> => {
      try {
        const session = await connector.open(key);
        try {
          const { state, dialect } = await readServerState(session);
          return { key, participant: { key, session, dialect, state } };
        } catch (error) {
          await session.close();
          throw error;
        }
      } catch (error) {
        return { key, error: message(error) };
      }
    }),
  );
}

/** Stops each reachable replica's IO thread and adds it to `into`; the others are logged unreachable. */
export async function freezeReplicas(
  connected: Connected,
  into: Map<InstanceKey, Participant>,
  log: StepLog,
): Promise<void> {
  await Promise.all(
    connected.map(async (c) => {
      if (c.participant === undefined) return void log.step('gather', `${c.key} unreachable: ${c.error}`);
      try {
        // Freeze what each replica received: a primary that comes back must not feed them more mid-recovery.
        await c.participant.session.query(c.participant.dialect.stopIoThread);
        into.set(c.key, c.participant);
      } catch (error) {
        await c.participant.session.close();
        log.step('gather', `${c.key} unreachable: ${message(error)}`);
      }
    }),
  );
  log.step('gather', `${into.size}/${connected.length} replicas answer; IO threads stopped`);
}

/**
 * Starts again the IO threads {@link freezeReplicas} stopped, for a recovery that failed before it
 * promoted anyone: a forced failover of a live primary that finds no candidate must leave its
 * replicas replicating, not frozen. Only the IO thread: a SQL thread an operator stopped stays
 * stopped. Best effort, each outcome logged.
 *
 * @example
 * if (successor === null) await thawReplicas(participants, log);
 */
export async function thawReplicas(participants: ReadonlyMap<InstanceKey, Participant>, log: StepLog): Promise<void> {
  if (participants.size === 0) return;
  const outcomes = await Promise.all(
    [...participants.values()].map((p) =>
      p.session.query(p.dialect.startIoThread).then(
        () => `${p.key}=started`,
        (error: unknown) => `${p.key}=FAILED (${message(error)})`,
      ),
    ),
  );
  log.step('thaw', `nobody promoted; IO threads started again: ${outcomes.join(' ')}`);
}
