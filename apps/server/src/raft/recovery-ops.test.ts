import { afterEach, describe, expect, it } from '@jest/globals';
import { Backend, validateBackendConfig } from '@orc/backend';
import { logIndex, term } from '@orc/raft';
import { ManualClock } from '@orc/testkit';
import { instanceKey, type OrcTopology } from '@orc/topology';
import type { CommandTargets } from '../commands/apply-command.js';
import { OrcStateMachine } from './orc-state-machine.js';
import type { RecoveryOp } from './recovery-ops.js';
import { encodeOp, type ReplicatedOp } from './replicated-op.js';

const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const HOUR = 3_600_000;
const T = Date.UTC(2026, 11, 6, 22, 0);
const opened: Backend[] = [];

afterEach(async () => {
  for (const b of opened.splice(0)) await b.close();
});

/** A node: its own SQLite backend whose clock reads `wallMs`, and the state machine over it. */
async function node(hostname: string, wallMs: number): Promise<{ backend: Backend; sm: OrcStateMachine }> {
  const clock = new ManualClock(0, wallMs);
  const backend = new Backend(validateBackendConfig({ dialect: 'sqlite', sqlite: { file: ':memory:' } }), { clock });
  await backend.open();
  opened.push(backend);
  const targets = { backend, topology: {}, kv: {}, kvPrefix: 'mysql/master', node: { hostname, token: 't' }, logger };
  const sm = new OrcStateMachine({
    targets: targets as unknown as CommandTargets & { backend: Backend; topology: OrcTopology },
    hooks: { onGroupOp: () => undefined },
    logger,
  });
  return { backend, sm };
}

const leader = { hostname: 'orc1', token: 'tok1' };
const primary = instanceKey('db1', 3306);
const replica = instanceKey('db2', 3306);
const recovery = (uid: string) =>
  ({
    uid,
    key: primary,
    analysis: 'DeadMaster',
    clusterName: 'db1:3306',
    clusterAlias: 'shop',
    replicaKeys: [replica],
    detectionId: 1,
  }) as const;

/** What the leader proposed for one failover, then a second attempt 60 s later that it saw blocked. */
function failoverLog(stamped: boolean): RecoveryOp[] {
  const at = (ms: number) => (stamped ? { at: T + ms } : {});
  const ops: RecoveryOp[] = [
    {
      op: 'register-failure-detection',
      value: {
        node: leader,
        args: [
          {
            key: primary,
            analysis: 'DeadMaster',
            clusterName: 'db1:3306',
            clusterAlias: 'shop',
            replicaKeys: [replica],
            isActionable: true,
          },
          { blockPeriodMinutes: 60 },
        ],
      },
      ...at(0),
    },
    { op: 'write-recovery', value: { node: leader, args: [recovery('u1'), { blockPeriodSeconds: 3600 }] }, ...at(1) },
    {
      op: 'write-recovery-step',
      value: { args: ['u1', { at: T + 2, elapsedMs: 180, name: 'promote', message: 'read_only=0 on db2:3306' }] },
      ...at(2),
    },
    {
      op: 'resolve-recovery',
      value: {
        args: [
          'u1',
          {
            status: 'successful',
            successor: replica,
            successorAlias: 'shop',
            lostReplicas: [],
            participatingInstances: [primary, replica],
            errors: [],
            kv: null,
          },
        ],
      },
      ...at(3),
    },
    { op: 'begin-downtime', value: { node: leader, args: [primary, 86_400, 'lost-in-recovery'] }, ...at(4) },
    {
      op: 'write-recovery',
      value: { node: leader, args: [recovery('u2'), { blockPeriodSeconds: 3600 }] },
      ...at(60_000),
    },
  ];
  return ops;
}

async function applyAll(sm: OrcStateMachine, ops: readonly ReplicatedOp[]): Promise<unknown[]> {
  const results: unknown[] = [];
  for (const [i, op] of ops.entries())
    results.push(await sm.apply({ index: logIndex(i + 1), term: term(1), data: encodeOp(op) }));
  return results;
}

describe('recovery ops stamped with the leader time', () => {
  it('write the same rows on a node applying at once and on one replaying the log three hours later', async () => {
    const live = await node('orc1', T);
    const late = await node('orc2', T + 3 * HOUR);
    const ops = failoverLog(true);
    const liveResults = await applyAll(live.sm, ops);
    const lateResults = await applyAll(late.sm, ops);
    // Same rows, stamps included (a snapshot holds every replicated column), and the same
    // anti-flapping answer: the second attempt falls in the first one's block period on both.
    expect(liveResults.at(-1)).toMatchObject({ registered: false });
    expect(lateResults).toEqual(liveResults);
    expect(Buffer.from(await late.backend.exportSnapshot()).toString()).toBe(
      Buffer.from(await live.backend.exportSnapshot()).toString(),
    );
    expect(await late.backend.recoveries.readByUid('u1')).toMatchObject({ startActivePeriod: T + 1 });
  });

  it('stamps an entry without a time (written by an earlier orc) with the applying node clock', async () => {
    const late = await node('orc2', T + 3 * HOUR);
    await applyAll(late.sm, failoverLog(false));
    expect(await late.backend.recoveries.readByUid('u1')).toMatchObject({ startActivePeriod: T + 3 * HOUR });
  });
});

describe('commands stamped with the leader time', () => {
  const commands = (stamped: boolean): ReplicatedOp[] => {
    const at = (ms: number) => (stamped ? { at: T + ms } : {});
    return [
      {
        op: 'command',
        value: { kind: 'begin-downtime', key: primary, owner: 'ops', reason: 'upgrade', durationSeconds: 600 },
        ...at(0),
      },
      { op: 'command', value: { kind: 'register-candidate', key: replica, promotionRule: 'prefer' }, ...at(1) },
      { op: 'command', value: { kind: 'put-instance-tag', key: replica, name: 'role', value: 'ssd' }, ...at(2) },
    ];
  };

  it('give a node replaying the log three hours later the same downtime end, candidate expiry and audit', async () => {
    const live = await node('orc1', T);
    const late = await node('orc2', T + 3 * HOUR);
    await applyAll(live.sm, commands(true));
    await applyAll(late.sm, commands(true));
    expect(Buffer.from(await late.backend.exportSnapshot()).toString()).toBe(
      Buffer.from(await live.backend.exportSnapshot()).toString(),
    );
    // The downtime ends 10 minutes after the leader began it, not after the late node applied it
    // (read as of the leader's time: on the late node's own clock it has already ended).
    expect(await late.backend.downtime.readActive()).toEqual([]);
    const [downtime] = await late.backend.stampedAt(T).downtime.readActive();
    expect(downtime?.endTimestamp).toBe(T + 600_000);
  });

  it('stamps a command without a time (written by an earlier orc) with the applying node clock', async () => {
    const late = await node('orc2', T + 3 * HOUR);
    await applyAll(late.sm, commands(false));
    const [downtime] = await late.backend.downtime.readActive();
    expect(downtime?.endTimestamp).toBe(T + 3 * HOUR + 600_000);
  });
});
