import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '@orc/testkit';
import {
  instanceKey,
  unseenInstance,
  type CandidateRule,
  type DeadMasterRequest,
  type DeadIntermediateMasterRequest,
  type GracefulTakeoverReport,
  type GracefulTakeoverRequest,
  type Instance,
  type InstanceKey,
  type RecoveryReport,
  type ReplicationAnalysis,
} from '@orc/topology';
import type { Logger } from '../logging.js';
import { createMetrics } from '../metrics.js';
import { createManualRecovery, type ManualEngine } from './manual-recovery.js';

const p1 = instanceKey('p1', 3306);
const r1 = instanceKey('r1', 3306);
const r2 = instanceKey('r2', 3306);
const CLUSTER = 'p1:3306';
const shop = { clusterName: CLUSTER, clusterAlias: 'shop', masterKey: p1 };
const member = (key: InstanceKey, masterKey: InstanceKey | null): Instance => ({
  ...unseenInstance(key),
  masterKey,
  clusterName: CLUSTER,
});
const instances = [member(p1, null), member(r1, p1), member(r2, p1)];

const entry = (analysis: string, key: InstanceKey = p1): ReplicationAnalysis => {
  const [host, port] = key.split(':');
  return {
    Analysis: analysis,
    AnalyzedInstanceKey: { Hostname: host, Port: Number(port) },
    ClusterDetails: { ClusterName: CLUSTER, ClusterAlias: 'shop', ClusterDomain: '' },
    IsDowntimed: false,
  } as unknown as ReplicationAnalysis;
};

const report = (over: Partial<RecoveryReport> = {}): RecoveryReport => ({
  uid: 'u-1',
  status: 'successful',
  reason: 'promoted r1:3306',
  successor: r1,
  choice: null,
  repointed: [r2],
  lostReplicas: [],
  kv: null,
  steps: [],
  timings: { writableMs: 1, repointedMs: 2, kvMs: 3 },
  settled: Promise.resolve(),
  fenced: Promise.resolve(false),
  ...over,
});

const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

interface Calls {
  dead: DeadMasterRequest[];
  intermediate: DeadIntermediateMasterRequest[];
  graceful: GracefulTakeoverRequest[];
}

function fakeEngine(calls: Calls, outcome: () => Promise<RecoveryReport> = async () => report()): ManualEngine {
  return {
    recoverDeadMaster: async (r) => {
      calls.dead.push(r);
      return outcome();
    },
    recoverDeadIntermediateMaster: async (r) => {
      calls.intermediate.push(r);
      return outcome();
    },
    gracefulMasterTakeover: async (r) => {
      calls.graceful.push(r);
      return { ...(await outcome()), isDemoted: true, isOldPrimaryRestored: false } as GracefulTakeoverReport;
    },
    stop: () => undefined,
  };
}

function world(
  options: {
    analysis?: ReplicationAnalysis[];
    candidates?: CandidateRule[];
    outcome?: () => Promise<RecoveryReport>;
  } = {},
) {
  const calls: Calls = { dead: [], intermediate: [], graceful: [] };
  const lite: Calls = { dead: [], intermediate: [], graceful: [] };
  const running = new Map<string, Promise<void>>();
  const metrics = createMetrics();
  const manual = createManualRecovery({
    engine: fakeEngine(calls, options.outcome),
    liteEngine: fakeEngine(lite, options.outcome),
    topology: { analysis: async () => options.analysis ?? [], instances: () => instances },
    readCandidates: async () => options.candidates ?? [],
    clock: new ManualClock(),
    logger: silent,
    metrics,
    running,
  });
  return { manual, calls, lite, running, metrics };
}

describe('manual recovery port', () => {
  it('recovers a DeadMaster by force with the named candidate, and counts it', async () => {
    const w = world({ analysis: [entry('DeadMaster')] });
    const result = await w.manual.run({ kind: 'recover', failedKey: p1, candidateKey: r2, skipProcesses: false });
    expect(result).toEqual({
      uid: 'u-1',
      status: 'successful',
      reason: 'promoted r1:3306',
      analysis: 'DeadMaster',
      failedKey: p1,
      clusterName: CLUSTER,
      clusterAlias: 'shop',
      successor: r1,
      lostReplicas: [],
    });
    expect(w.calls.dead).toEqual([
      expect.objectContaining({
        analysis: 'DeadMaster',
        failedKey: p1,
        force: true,
        command: 'recover',
        requestedCandidate: r2,
      }),
    ]);
    expect(w.calls.dead[0]?.instances.map((i) => i.key)).toEqual([p1, r1, r2]);
    expect(await w.metrics.registry.getSingleMetricAsString('orc_recoveries_total')).toContain(
      'orc_recoveries_total{analysis="DeadMaster",status="successful"} 1',
    );
  });

  it('recover-lite runs the engine without hooks; a dead intermediate primary is recovered too', async () => {
    const w = world({ analysis: [entry('DeadMaster'), entry('DeadIntermediateMaster', r1)] });
    await w.manual.run({ kind: 'recover', failedKey: p1, skipProcesses: true });
    expect(w.lite.dead).toEqual([expect.objectContaining({ command: 'recover-lite', force: true })]);
    expect(w.calls.dead).toEqual([]);
    await w.manual.run({ kind: 'recover', failedKey: r1, skipProcesses: false });
    expect(w.calls.intermediate).toEqual([expect.objectContaining({ failedKey: r1, force: true, command: 'recover' })]);
  });

  it('does not attempt an instance without a recoverable failure, and says what orc sees', async () => {
    const none = world();
    expect(await none.manual.run({ kind: 'recover', failedKey: p1, skipProcesses: false })).toMatchObject({
      status: 'not-attempted',
      reason: 'orc sees no failure at p1:3306',
      uid: null,
      successor: null,
    });
    const unreachable = world({ analysis: [entry('UnreachableMaster')] });
    expect(await unreachable.manual.run({ kind: 'recover', failedKey: p1, skipProcesses: false })).toMatchObject({
      status: 'not-attempted',
      analysis: 'UnreachableMaster',
      reason: expect.stringContaining('has UnreachableMaster, which orc does not recover'),
    });
    expect(unreachable.calls.dead).toEqual([]);
  });

  it('refuses a candidate that is not a direct replica or is must_not by its registered rule, before running', async () => {
    const w = world({
      analysis: [entry('DeadMaster')],
      candidates: [{ key: r2, promotionRule: 'must_not', expiresAt: null } as CandidateRule],
    });
    await expect(
      w.manual.run({ kind: 'recover', failedKey: p1, candidateKey: instanceKey('x', 1), skipProcesses: false }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', details: [{ path: 'candidate' }] });
    await expect(
      w.manual.run({ kind: 'force-master-failover', cluster: shop, designatedKey: r2 }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'r2:3306 has promotion rule must_not',
      details: [{ path: 'designated' }],
    });
    expect(w.calls.dead).toEqual([]);
    expect(w.running.size).toBe(0);
  });

  it('forces a DeadMaster of a live primary for force-master-failover and -takeover', async () => {
    const w = world();
    await w.manual.run({ kind: 'force-master-failover', cluster: shop });
    await w.manual.run({ kind: 'force-master-failover', cluster: shop, designatedKey: r1 });
    expect(w.calls.dead.map((r) => [r.analysis, r.failedKey, r.force, r.command, r.requestedCandidate])).toEqual([
      ['DeadMaster', p1, true, 'force-master-failover', undefined],
      ['DeadMaster', p1, true, 'force-master-takeover', r1],
    ]);
  });

  it('hands graceful takeovers the primary, its replicas with their rules in force, and auto', async () => {
    const w = world({ candidates: [{ key: r1, promotionRule: 'prefer', expiresAt: null } as CandidateRule] });
    await w.manual.run({ kind: 'graceful-master-takeover', cluster: shop, designatedKey: r1, auto: false });
    await w.manual.run({ kind: 'graceful-master-takeover', cluster: shop, auto: true });
    expect(w.calls.graceful.map((r) => [r.primaryKey, r.designated, r.auto, r.clusterAlias])).toEqual([
      [p1, r1, false, 'shop'],
      [p1, undefined, true, 'shop'],
    ]);
    expect(w.calls.graceful[0]?.instances.find((i) => i.key === r1)?.promotionRule).toBe('prefer');
  });

  it('runs one recovery per cluster, shared with the loop, until its post hooks have finished', async () => {
    let finishHooks = (): void => undefined;
    const settled = new Promise<void>((resolve) => (finishHooks = resolve));
    const w = world({ analysis: [entry('DeadMaster')], outcome: async () => report({ settled }) });
    const first = await w.manual.run({ kind: 'force-master-failover', cluster: shop });
    expect(first.status).toBe('successful');
    expect(w.running.has(CLUSTER)).toBe(true);
    const second = await w.manual.run({ kind: 'recover', failedKey: p1, skipProcesses: false });
    expect(second).toMatchObject({ status: 'refused', reason: expect.stringContaining('is in progress') });
    finishHooks();
    await w.running.get(CLUSTER);
    expect(w.running.has(CLUSTER)).toBe(false);
    expect(w.calls.dead).toHaveLength(1);
  });

  it('frees the cluster when the engine throws, and lets the error reach the caller', async () => {
    const w = world({
      outcome: async () => {
        throw new Error('backend gone');
      },
    });
    await expect(w.manual.run({ kind: 'force-master-failover', cluster: shop })).rejects.toThrow('backend gone');
    expect(w.running.size).toBe(0);
  });
});
