// The single-server operations: read_only on and off, replication started and stopped, and
// orchestrator's reversible detach (`//host` as the source host) and its undo. Each refuses a
// server in the wrong state before changing it and reads the outcome back before reporting it.
import { TopologyError } from '../errors.js';
import type { InstanceKey } from '../instance/instance-key.js';
import { instanceKey } from '../instance/instance-key.js';
import { isOn } from '../probe/probe-dialect.js';
import type { Participant } from '../recovery/promotion-steps.js';
import { usesGtid } from '../recovery/recovery-participants.js';
import { readReplicationStatus, waitUntil } from '../recovery/server-state.js';
import { refusal } from './refactor-plan.js';
import type { RefactorContext, RefactorResult } from './refactor-session.js';
import { isDetached, openParticipant, refresh, run, sourceOf, verifyReplicating } from './refactor-session.js';

/**
 * The operations on one server.
 *
 * @example
 * const op: ReplicationControlOperation = 'detach-replica';
 */
export type ReplicationControlOperation =
  'set-read-only' | 'set-writeable' | 'start-replica' | 'stop-replica' | 'detach-replica' | 'reattach-replica';

const POLL_MS = 50;

function notVerified(op: ReplicationControlOperation, key: InstanceKey, why: string): TopologyError {
  return new TopologyError('VERIFICATION_FAILED', `${op}: ${key} ${why}`, {
    details: [{ path: 'key', message: why }],
  });
}

/**
 * Runs one single-server operation and verifies it. Refusals (`OPERATION_REFUSED`): not a
 * replica (start/stop/detach/reattach), already detached (detach, start), not detached
 * (reattach).
 *
 * @example
 * await replicationControl(ctx, 'stop-replica', instanceKey('db2', 3306));
 */
export async function replicationControl(
  ctx: RefactorContext,
  op: ReplicationControlOperation,
  key: InstanceKey,
): Promise<RefactorResult> {
  const p = await openParticipant(ctx.connector, op, key, 'key');
  try {
    const done = (message: string): RefactorResult => ({ op, key, source: sourceOf(p), changed: [key], message });
    if (op === 'set-read-only' || op === 'set-writeable') {
      const on = op === 'set-read-only';
      for (const sql of p.dialect.setReadOnly(on)) await run(p, sql);
      const [row] = await p.session.query(p.dialect.readOnlyQuery);
      const seen = isOn(String(row?.['read_only'] ?? ''));
      const superSeen = row?.['super_read_only'] === undefined ? on : isOn(String(row['super_read_only']));
      if (seen !== on || (on && !superSeen) || (!on && superSeen))
        throw notVerified(op, key, `still reads read_only=${seen ? 1 : 0}`);
      return done(on ? 'Server set as read-only' : 'Server set as writeable');
    }
    if (p.state.replication === null) throw refusal(op, 'key', `${key} is not a replica`);
    switch (op) {
      case 'start-replica':
        if (isDetached(p)) throw refusal(op, 'key', `${key} is detached (${sourceOf(p)}): use reattach-replica`);
        await run(p, p.dialect.startReplica);
        await verifyReplicating(op, p, sourceKey(p), '', ctx);
        await refresh(p);
        return done('Replica started');
      case 'stop-replica':
        await run(p, p.dialect.stopReplica);
        await waitStopped(ctx, op, p);
        return done('Replica stopped');
      case 'detach-replica': {
        if (isDetached(p)) throw refusal(op, 'key', `${key} is already detached (${sourceOf(p)})`);
        const host = p.state.replication.masterHost;
        await run(p, p.dialect.stopReplica);
        await refresh(p);
        await run(p, p.dialect.setSourceHost(`//${host}`, coordinatesToKeep(p)));
        await refresh(p);
        if (p.state.replication?.masterHost !== `//${host}`)
          throw notVerified(op, key, `reports source host ${p.state.replication?.masterHost ?? 'none'}`);
        return done(`Replica detached: ${key}`);
      }
      case 'reattach-replica': {
        if (!isDetached(p)) throw refusal(op, 'key', `${key} is not detached (it replicates from ${sourceOf(p)})`);
        const host = p.state.replication.masterHost.slice(2);
        await run(p, p.dialect.setSourceHost(host, coordinatesToKeep(p)));
        await run(p, p.dialect.startReplica);
        await refresh(p);
        await verifyReplicating(op, p, sourceKey(p), '', ctx);
        return done(`Replica reattached: ${key}`);
      }
    }
  } finally {
    await p.session.close();
  }
}

/** A GTID replica continues from its GTID position; a file:pos one must keep its executed coordinates. */
function coordinatesToKeep(p: Participant): { file: string; position: number } | undefined {
  return usesGtid(p) ? undefined : (p.state.replication?.execBinlogCoordinates ?? undefined);
}

function sourceKey(p: Participant): InstanceKey {
  const r = p.state.replication!;
  return instanceKey(r.masterHost, r.masterPort);
}

async function waitStopped(ctx: RefactorContext, op: ReplicationControlOperation, p: Participant): Promise<void> {
  let seen = '';
  const ok = await waitUntil(ctx.clock, ctx.clock.now() + ctx.verifySeconds * 1000, POLL_MS, async () => {
    const r = await readReplicationStatus(p.session, p.dialect);
    seen = `IO=${r?.ioThreadState} SQL=${r?.isSqlThreadRunning ? 'Yes' : 'No'}`;
    return r === null || (r.ioThreadState === 'No' && !r.isSqlThreadRunning) ? true : undefined;
  });
  await refresh(p);
  if (ok !== true) throw notVerified(op, p.key, `still shows ${seen}`);
}
