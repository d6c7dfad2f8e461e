import { describe, expect, it } from '@jest/globals';
import { ApiError } from '@orc/api';
import { instanceKey } from '@orc/topology';
import { RaftError } from '@orc/raft';
import { ManualClock } from '@orc/testkit';
import { FollowerOutcomes } from './follower-outcomes.js';
import { createMetrics } from '../metrics.js';
import { RaftCommandBus, type RaftProposer } from './raft-command-bus.js';
import { decodeOp, encodeOp } from './replicated-op.js';

const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('replicated ops', () => {
  it("round-trip orchestrator's {Op, Value} shape and refuse what is not an op", () => {
    const op = { op: 'command', value: { kind: 'end-downtime', key: instanceKey('db1', 3306) } } as const;
    expect(JSON.parse(Buffer.from(encodeOp(op)).toString())).toEqual({ Op: 'command', Value: op.value });
    expect(decodeOp(encodeOp(op))).toEqual(op);
    expect(decodeOp(encodeOp({ op: 'leader-uri', value: 'http://orc1:3000', by: 'orc1:10008' }))).toEqual({
      op: 'leader-uri',
      value: 'http://orc1:3000',
      by: 'orc1:10008',
    });
    expect(decodeOp(Buffer.from('not json'))).toBeUndefined();
    expect(decodeOp(Buffer.from('{"Op":"heartbeat","Value":null}'))).toBeUndefined();
    expect(decodeOp(Buffer.from('{"Op":"command","Value":{}}'))).toBeUndefined();
  });
});

describe('RaftCommandBus', () => {
  it('proposes the command and resolves with what the apply returned', async () => {
    const proposed: unknown[] = [];
    const raft: RaftProposer = {
      apply: async (data) => {
        proposed.push(decodeOp(data));
        return { pairs: [], stores: [{ store: 'zk', ok: true }] };
      },
    };
    const bus = new RaftCommandBus(raft, createMetrics(), logger, 10_000, undefined, undefined, () => 1_234);
    const outcome = await bus.submit({ kind: 'submit-masters-to-kv-stores', cluster: undefined });
    expect(outcome.stores).toEqual([{ store: 'zk', ok: true }]);
    // Stamped with the proposer's wall time, which every node writes the command's rows with.
    expect(proposed).toEqual([{ op: 'command', value: { kind: 'submit-masters-to-kv-stores' }, at: 1_234 }]);
  });

  it("turns Raft's failures into the API's NOT_ACTIVE (503) and keeps the state machine's own errors", async () => {
    const notLeader = new RaftCommandBus(
      { apply: async () => Promise.reject(new RaftError('NOT_LEADER', 'not leader', { leaderAddress: 'orc2:10008' })) },
      createMetrics(),
      logger,
    );
    const err = await notLeader.submit({ kind: 'disable-global-recoveries' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'NOT_ACTIVE', retryable: true });
    expect((err as Error).message).toContain('orc2:10008');
    const lost = new RaftCommandBus(
      { apply: async () => Promise.reject(new RaftError('LEADERSHIP_LOST', 'lost')) },
      createMetrics(),
      logger,
    );
    await expect(lost.submit({ kind: 'disable-global-recoveries' })).rejects.toMatchObject({
      code: 'NOT_ACTIVE',
      retryable: false,
    });
    const own = new TypeError('bad key');
    const failing = new RaftCommandBus({ apply: async () => Promise.reject(own) }, createMetrics(), logger);
    await expect(failing.submit({ kind: 'disable-global-recoveries' })).rejects.toBe(own);
  });

  it('refuses new commands once closed', async () => {
    const bus = new RaftCommandBus({ apply: async () => ({}) }, createMetrics(), logger);
    await bus.close();
    await expect(bus.submit({ kind: 'enable-global-recoveries' })).rejects.toMatchObject({ code: 'NOT_ACTIVE' });
  });
});

describe('RaftCommandBus submit-masters-to-kv-stores', () => {
  it("carries the leader's primaries in the entry and adds the followers' outcomes", async () => {
    const proposed: unknown[] = [];
    const outcomes = new FollowerOutcomes(new ManualClock());
    const raft: RaftProposer = {
      apply: async (data) => {
        proposed.push(decodeOp(data));
        outcomes.add('orc2:10008', 'w1', [{ store: 'zk', ok: false, error: 'down' }]);
        return { pairs: [{ Key: 'mysql/master/main', Value: 'db2:3306' }], stores: [{ store: 'zk', ok: true }] };
      },
    };
    const bus = new RaftCommandBus(
      raft,
      createMetrics(),
      logger,
      1000,
      { outcomes, followers: () => ['orc2:10008'], boundMs: 1000, newId: () => 'w1' },
      async () => [{ alias: 'main', host: 'db2', port: 3306 }],
    );
    const outcome = await bus.submit({ kind: 'submit-masters-to-kv-stores', cluster: undefined });
    expect(proposed).toEqual([
      { op: 'put-cluster-masters', value: { id: 'w1', masters: [{ alias: 'main', host: 'db2', port: 3306 }] } },
    ]);
    expect(outcome.stores).toEqual([
      { store: 'zk', ok: true },
      { store: 'orc2:10008 zk', ok: false, error: 'down' },
    ]);
  });
});
