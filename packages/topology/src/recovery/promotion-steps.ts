import type { Clock } from '../clock.js';
// The server-side steps of a primary failover, each bounded and audited: bring the candidate up
// to date, promote it, prove it writable, repoint a replica and prove it follows, detach a lost
// replica, fence the old primary.
import type { InstanceKey } from '../instance/instance-key.js';
import { splitInstanceKey } from '../instance/instance-key.js';
import { isOn } from '../probe/probe-dialect.js';
import type { RecoveryConfig } from './recovery-config.js';
import type { RecoveryDialect } from './recovery-dialect.js';
import { WRITE_PROBE_STATEMENTS, writeProbeStatement } from './recovery-dialect.js';
import type { ServerSession } from './recovery-ports.js';
import { hasAppliedRelayLog, readReplicationStatus, readServerState, waitUntil } from './server-state.js';
import type { LiveServerState } from './server-state.js';
import type { StepLog } from './step-log.js';

/** A server taking part in a recovery, with its open session. */
export interface Participant {
  readonly key: InstanceKey;
  readonly session: ServerSession;
  readonly dialect: RecoveryDialect;
  state: LiveServerState;
}

/** A step that could not be done, with why. */
export class StepFailure extends Error {
  override readonly name = 'StepFailure';
}

const POLL_MS = 20;
const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

async function run(p: Participant, sql: string, timeoutMs?: number): Promise<void> {
  try {
    await p.session.query(sql, timeoutMs);
  } catch (error) {
    throw new StepFailure(`${p.key}: ${sql}: ${message(error)}`, { cause: error });
  }
}

/**
 * Waits until the replica's SQL thread has applied what its IO thread read. Bounded by
 * `promotionRelayLogWaitSeconds`; with `delayMasterPromotionIfSQLThreadNotUpToDate` the bound
 * restarts whenever the SQL thread makes progress, so a slow but moving replica is waited for.
 * Returns whether it caught up; the state is re-read either way.
 */
export async function waitRelayLogApplied(p: Participant, config: RecoveryConfig, clock: Clock): Promise<boolean> {
  const bound = config.promotionRelayLogWaitSeconds * 1000;
  let deadline = clock.now() + bound;
  let lastExec = '';
  const applied = await waitUntil(clock, Number.POSITIVE_INFINITY, POLL_MS, async () => {
    const r = await readReplicationStatus(p.session, p.dialect);
    if (hasAppliedRelayLog(r)) return true;
    const exec = `${r?.execBinlogCoordinates?.file}:${r?.execBinlogCoordinates?.position}`;
    if (config.delayMasterPromotionIfSQLThreadNotUpToDate && exec !== lastExec) deadline = clock.now() + bound;
    lastExec = exec;
    if (r?.isSqlThreadRunning !== true || clock.now() >= deadline) return false;
    return undefined;
  });
  p.state = (await readServerState(p.session)).state;
  return applied === true;
}

/** The candidate replicates from the most advanced replica until it has executed all of it, then stops. */
export async function catchUp(
  candidate: Participant,
  source: Participant,
  config: RecoveryConfig,
  log: StepLog,
): Promise<void> {
  const { host, port } = splitInstanceKey(source.key);
  const target = source.state.position;
  log.step('catch-up', `${candidate.key} replicates from ${source.key} until it has executed ${target}`);
  await run(candidate, candidate.dialect.stopReplica);
  await run(candidate, candidate.dialect.changeSource(host, port));
  await run(candidate, candidate.dialect.startReplica);
  const seconds = config.candidateCatchUpTimeoutSeconds;
  const [row] = await candidate.session
    .query(candidate.dialect.waitForPosition(target, seconds), seconds * 1000 + 2000)
    .catch((error: unknown) => {
      throw new StepFailure(`${candidate.key}: waiting for ${target}: ${message(error)}`, { cause: error });
    });
  if (Number(row?.['r']) !== 0) {
    const r = await readReplicationStatus(candidate.session, candidate.dialect);
    throw new StepFailure(
      `${candidate.key} did not reach ${target} from ${source.key} within ${seconds} s (IO: ${r?.ioThreadState} ${r?.lastIoError ?? ''}; SQL: ${r?.lastSqlError ?? ''})`,
    );
  }
  await run(candidate, candidate.dialect.stopReplica);
  candidate.state = (await readServerState(candidate.session)).state;
  log.step('catch-up', `${candidate.key} has executed ${candidate.state.position}`);
}

/** Stops replication, drops it (RESET SLAVE ALL) and clears read_only when the config says so. */
export async function promote(candidate: Participant, config: RecoveryConfig, log: StepLog): Promise<void> {
  await run(candidate, candidate.dialect.stopReplica);
  if (!config.applyMySQLPromotionAfterMasterFailover) {
    log.step(
      'promote',
      `${candidate.key}: replication stopped; ApplyMySQLPromotionAfterMasterFailover is off, so RESET and read_only are left to hooks`,
    );
    return;
  }
  await run(candidate, candidate.dialect.resetReplicaAll);
  for (const sql of candidate.dialect.setReadOnly(false)) await run(candidate, sql);
  log.step('promote', `${candidate.key}: ${candidate.dialect.resetReplicaAll}, read_only=0`);
}

/**
 * Proves the new primary writable: `@@read_only` (and `super_read_only`) answer 0, and a write
 * to orc's own table `orc_meta.write_probe` commits. Returns the primary's GTID position after
 * the write: a replica that has executed it is replicating from the new primary.
 */
export async function verifyWritable(primary: Participant, uid: string, log: StepLog): Promise<string> {
  const [ro] = await primary.session.query(primary.dialect.readOnlyQuery).catch((error: unknown) => {
    throw new StepFailure(`${primary.key}: reading read_only: ${message(error)}`, { cause: error });
  });
  if (isOn(String(ro?.['read_only'] ?? '')) || isOn(String(ro?.['super_read_only'] ?? '0'))) {
    throw new StepFailure(`${primary.key} is still read_only after promotion`);
  }
  for (const sql of [...WRITE_PROBE_STATEMENTS, writeProbeStatement(uid)]) await run(primary, sql);
  primary.state = (await readServerState(primary.session)).state;
  log.step(
    'writable',
    `${primary.key}: @@read_only=0 and a write to orc_meta.write_probe committed at ${primary.state.binlogPosition}`,
  );
  return primary.state.binlogPosition;
}

/** Points a replica at the new primary by GTID and starts it. */
export async function repoint(replica: Participant, primary: InstanceKey): Promise<void> {
  const { host, port } = splitInstanceKey(primary);
  await run(replica, replica.dialect.stopReplica);
  await run(replica, replica.dialect.changeSource(host, port));
  await run(replica, replica.dialect.startReplica);
}

/**
 * Waits until the replica shows both threads running against `primary` and has executed the
 * write probe's position. Throws naming what it last saw when the bound passes.
 */
export async function verifyFollowing(
  replica: Participant,
  primary: InstanceKey,
  probePosition: string,
  config: RecoveryConfig,
  clock: Clock,
): Promise<void> {
  const { host, port } = splitInstanceKey(primary);
  const deadline = clock.now() + config.replicaRepointVerifySeconds * 1000;
  let seen = 'nothing';
  const ok = await waitUntil(clock, deadline, POLL_MS, async () => {
    const r = await readReplicationStatus(replica.session, replica.dialect);
    seen =
      r === null
        ? 'no replication'
        : `${r.masterHost}:${r.masterPort} IO=${r.ioThreadState} SQL=${r.isSqlThreadRunning ? 'Yes' : 'No'} ${r.lastIoError} ${r.lastSqlError}`.trim();
    if (r === null || r.masterHost !== host || r.masterPort !== port) return undefined;
    // A broken SQL thread, or a source that lacks the replica's position (1236), will not heal by waiting.
    if (r.lastSqlErrno !== 0 || r.lastIoErrno === 1236) return false;
    if (r.ioThreadState !== 'Yes' || !r.isSqlThreadRunning) return undefined;
    const left = Math.max(0, Math.ceil((deadline - clock.now()) / 1000));
    const [row] = await replica.session.query(replica.dialect.waitForPosition(probePosition, Math.min(left, 1)), 3000);
    return Number(row?.['r']) === 0 ? true : undefined;
  });
  if (ok !== true) throw new StepFailure(`${replica.key} does not follow ${primary}: ${seen}`);
}

/** Detaches a replica that could not follow (orchestrator's `//host`), so that nothing re-attaches it silently. */
export async function detach(replica: Participant, oldSource: InstanceKey): Promise<void> {
  await run(replica, replica.dialect.stopReplica);
  await run(replica, replica.dialect.detachSource(splitInstanceKey(oldSource).host));
}
