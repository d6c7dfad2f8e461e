import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '@orc/testkit';
import { instanceKey, unseenInstance, type Instance, type ProbeEvent, type ReplicationStatus } from '@orc/topology';
import { isFailureSign, startRecoveryTrigger } from './recovery-trigger.js';

const primary = instanceKey('db1', 3306);
const replicaKey = instanceKey('db2', 3306);

function replica(io: ReplicationStatus['ioThreadState']): Instance {
  const base = unseenInstance(replicaKey);
  return {
    ...base,
    masterKey: primary,
    replication: { ioThreadState: io, isSqlThreadRunning: true } as ReplicationStatus,
  };
}

const seenPrimary: Instance = { ...unseenInstance(primary), lastSeenAt: 1_000, lastCheckedAt: 2_000 };
const failed: ProbeEvent = { key: primary, ok: false, instance: seenPrimary };
const neverSeen: ProbeEvent = { key: primary, ok: false, instance: unseenInstance(primary) };
const healthyReplica: ProbeEvent = { key: replicaKey, ok: true, instance: replica('Yes') };
const lostReplica: ProbeEvent = { key: replicaKey, ok: true, instance: replica('Connecting') };
const healthyPrimary: ProbeEvent = { key: primary, ok: true, instance: unseenInstance(primary) };

/** A trigger over a ManualClock with passes the test resolves by hand. */
function harness(periodMs = 1000) {
  const clock = new ManualClock();
  const listeners = new Set<(e: ProbeEvent) => void>();
  const passes: { resolve: () => void; reject: (err: unknown) => void }[] = [];
  const errors: unknown[] = [];
  const stop = startRecoveryTrigger({
    clock,
    periodMs,
    onProbe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    pass: () => new Promise<void>((resolve, reject) => passes.push({ resolve, reject })),
    onError: (err) => errors.push(err),
  });
  const probe = (e: ProbeEvent): void => {
    for (const l of listeners) l(e);
  };
  // Lets the trigger see a pass's settlement (promise callbacks run on the microtask queue).
  const settle = async (i: number, outcome: 'ok' | Error = 'ok'): Promise<void> => {
    const p = passes[i];
    if (p === undefined) throw new TypeError(`no pass #${i}`);
    if (outcome === 'ok') p.resolve();
    else p.reject(outcome);
    for (let k = 0; k < 5; k++) await Promise.resolve();
  };
  return { clock, listeners, passes, errors, stop, probe, settle };
}

describe('isFailureSign', () => {
  it('is a failed probe or a replica whose IO thread is not running', () => {
    expect(isFailureSign(failed)).toBe(true);
    expect(isFailureSign(lostReplica)).toBe(true);
    expect(isFailureSign({ ...lostReplica, instance: replica('No') })).toBe(true);
    expect(isFailureSign(healthyReplica)).toBe(false);
    expect(isFailureSign(healthyPrimary)).toBe(false);
  });

  it('is not a failed probe of a server never seen (the analysis leaves such servers out)', () => {
    expect(isFailureSign(neverSeen)).toBe(false);
  });
});

describe('startRecoveryTrigger', () => {
  it('runs a pass at once on a sign of failure, without waiting for the period', () => {
    const t = harness();
    t.probe(healthyReplica);
    expect(t.passes).toHaveLength(0);
    t.probe(failed);
    expect(t.passes).toHaveLength(1);
    expect(t.clock.now()).toBe(0);
  });

  it('runs the periodic pass as a backstop, a period after the previous pass ended', async () => {
    const t = harness(1000);
    t.clock.advance(999);
    expect(t.passes).toHaveLength(0);
    t.clock.advance(1);
    expect(t.passes).toHaveLength(1);
    t.clock.advance(5000); // the pass is still running: no second one
    expect(t.passes).toHaveLength(1);
    await t.settle(0);
    t.clock.advance(999);
    expect(t.passes).toHaveLength(1);
    t.clock.advance(1);
    expect(t.passes).toHaveLength(2);
  });

  it('never runs two passes at once and follows signs seen during a pass with exactly one more', async () => {
    const t = harness();
    t.probe(failed);
    t.probe(lostReplica);
    t.probe(failed);
    expect(t.passes).toHaveLength(1);
    await t.settle(0);
    expect(t.passes).toHaveLength(2);
    await t.settle(1);
    expect(t.passes).toHaveLength(2);
    // The backstop is armed again after the follow-up pass.
    t.clock.advance(1000);
    expect(t.passes).toHaveLength(3);
  });

  it('does not run a pass for a server that failed before orc ever saw it', () => {
    const t = harness();
    t.probe(neverSeen);
    expect(t.passes).toHaveLength(0);
  });

  it('waits as long as the previous pass took before a pass woken by a sign', async () => {
    const t = harness(1000);
    t.probe(failed);
    t.clock.advance(300); // the pass analyses a large fleet
    await t.settle(0);
    t.probe(failed);
    expect(t.passes).toHaveLength(1);
    t.probe(lostReplica); // more signs while it waits: still one pass
    t.clock.advance(299);
    expect(t.passes).toHaveLength(1);
    t.clock.advance(1);
    expect(t.passes).toHaveLength(2);
    await t.settle(1); // took no time: the next sign runs one at once
    t.probe(failed);
    expect(t.passes).toHaveLength(3);
  });

  it('paces the follow-up pass of signs seen during a long pass', async () => {
    const t = harness(1000);
    t.probe(failed);
    t.probe(failed);
    t.clock.advance(200);
    await t.settle(0);
    expect(t.passes).toHaveLength(1);
    t.clock.advance(200);
    expect(t.passes).toHaveLength(2);
  });

  it('reports a failed pass and keeps triggering', async () => {
    const t = harness();
    t.probe(failed);
    const boom = new Error('backend gone');
    await t.settle(0, boom);
    expect(t.errors).toEqual([boom]);
    t.probe(lostReplica);
    expect(t.passes).toHaveLength(2);
  });

  it('stops: unsubscribes, cancels the backstop and starts nothing after a running pass ends', async () => {
    const t = harness();
    t.probe(failed);
    t.probe(failed);
    t.stop();
    expect(t.listeners.size).toBe(0);
    await t.settle(0);
    t.clock.advance(10_000);
    expect(t.passes).toHaveLength(1);
    expect(t.clock.pendingTimers).toBe(0);
  });

  it('stops a paced pass that is waiting', async () => {
    const t = harness();
    t.probe(failed);
    t.clock.advance(500);
    await t.settle(0);
    t.probe(failed);
    t.stop();
    t.clock.advance(10_000);
    expect(t.passes).toHaveLength(1);
    expect(t.clock.pendingTimers).toBe(0);
  });
});
