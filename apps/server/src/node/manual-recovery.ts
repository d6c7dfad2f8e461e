// The API's manual recovery operations on this node's RecoveryEngine: orchestrator's `recover`
// (forced: skips the filters, the global switch, downtime and anti-flapping, as orchestrator's
// manual recovery does), `force-master-failover`/`-takeover` (a forced DeadMaster on a primary
// that may still be alive) and `graceful-master-takeover[-auto]`. One recovery per cluster at a
// time, shared with the automated loop through `running`.
import type { ManualRecoveryRequest, ManualRecoveryResult, RecoveryClusterRef, RecoveryOperations } from '@orc/api';
import {
  TopologyError,
  deadIntermediateMasterRequest,
  deadMasterRequest,
  effectivePromotionRule,
  instanceKey,
  type CandidateRule,
  type DeadMasterRequest,
  type Instance,
  type InstanceKey,
  type OrcTopology,
  type RecoveryEngine,
  type RecoveryReport,
} from '@orc/topology';
import type { Clock } from '../clock.js';
import type { Logger } from '../logging.js';
import type { DaemonMetrics } from '../metrics.js';

/** The part of a RecoveryEngine the manual operations call. */
export type ManualEngine = Pick<
  RecoveryEngine,
  'recoverDeadMaster' | 'recoverDeadIntermediateMaster' | 'gracefulMasterTakeover' | 'stop'
>;

/** What the manual operations run with. */
export interface ManualRecoveryParts {
  /** The daemon's engine (hooks run). */
  readonly engine: ManualEngine;
  /** The same engine without hooks, for `recover-lite` and `?skipProcesses=true`. */
  readonly liteEngine: ManualEngine;
  readonly topology: Pick<OrcTopology, 'analysis' | 'instances'>;
  /** Registered candidate rules (`register-candidate`), e.g. `BackendAnalysisState#readCandidates`. */
  readonly readCandidates: () => Promise<readonly CandidateRule[]>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: DaemonMetrics;
  /** Recoveries in progress by cluster name, shared with the automated loop. */
  readonly running: Map<string, Promise<void>>;
}

const refuse = (path: string, why: string): TopologyError =>
  new TopologyError('INVALID_ARGUMENT', why, { details: [{ path, message: why }] });

// A named replica must be a direct replica of the primary and promotable by its rule in force.
function checkDesignated(
  instances: readonly Instance[],
  key: InstanceKey,
  primaryKey: InstanceKey,
  path: string,
  rules: readonly CandidateRule[],
  now: number,
): void {
  const named = instances.find((i) => i.key === key);
  if (named === undefined || named.masterKey !== primaryKey)
    throw refuse(path, `${key} is not a direct replica of ${primaryKey}`);
  if (effectivePromotionRule(named, rules, now) === 'must_not')
    throw refuse(path, `${key} has promotion rule must_not`);
}

/**
 * The {@link RecoveryOperations} port the API calls.
 *
 * @example
 * const manual = createManualRecovery({ engine, liteEngine, topology, readCandidates, clock, logger, metrics, running });
 * buildApi({ ...deps, recovery: manual });
 */
export function createManualRecovery(p: ManualRecoveryParts): RecoveryOperations & { stop(): void } {
  // Runs `work` as the cluster's one recovery; its post hooks and audit writes finish before the
  // cluster is free again, but the caller gets the report as soon as the engine returns it.
  const exclusive = async (
    target: { clusterName: string; clusterAlias: string; failedKey: InstanceKey; analysis: string },
    work: () => Promise<RecoveryReport>,
  ): Promise<ManualRecoveryResult> => {
    const base = { ...target, successor: null, lostReplicas: [], uid: null };
    if (p.running.has(target.clusterName))
      return {
        ...base,
        status: 'refused',
        reason: `a recovery of cluster ${target.clusterName} is in progress; try again when it has finished`,
      };
    let release = (): void => undefined;
    p.running.set(
      target.clusterName,
      new Promise<void>((resolve) => {
        release = resolve;
      }),
    );
    let report: RecoveryReport;
    try {
      report = await work();
    } catch (err) {
      p.running.delete(target.clusterName);
      release();
      throw err;
    }
    p.metrics.recoveries.inc({ analysis: target.analysis, status: report.status });
    p.logger.info('manual recovery finished', {
      cluster: target.clusterName,
      failed: target.failedKey,
      analysis: target.analysis,
      status: report.status,
      reason: report.reason,
      successor: report.successor,
      uid: report.uid,
    });
    void report.settled
      .catch((err: unknown) => p.logger.warn('recovery post hooks failed', { uid: report.uid, error: String(err) }))
      .finally(() => {
        p.running.delete(target.clusterName);
        release();
      });
    return {
      ...target,
      uid: report.uid,
      status: report.status,
      reason: report.reason,
      successor: report.successor,
      lostReplicas: report.lostReplicas,
    };
  };

  const engineFor = (skipProcesses: boolean): ManualEngine => (skipProcesses ? p.liteEngine : p.engine);

  const recover = async (r: Extract<ManualRecoveryRequest, { kind: 'recover' }>): Promise<ManualRecoveryResult> => {
    const command = r.skipProcesses ? 'recover-lite' : 'recover';
    const entry = (await p.topology.analysis()).find(
      (e) => instanceKey(e.AnalyzedInstanceKey.Hostname, e.AnalyzedInstanceKey.Port) === r.failedKey,
    );
    const known = p.topology.instances().find((i) => i.key === r.failedKey);
    if (entry === undefined)
      return {
        uid: null,
        status: 'not-attempted',
        reason: `orc sees no failure at ${r.failedKey}`,
        analysis: 'NoProblem',
        failedKey: r.failedKey,
        clusterName: known?.clusterName ?? '',
        clusterAlias: '',
        successor: null,
        lostReplicas: [],
      };
    const snapshot = {
      now: p.clock.wallNow(),
      instances: p.topology.instances(),
      candidates: await p.readCandidates(),
    };
    const target = {
      clusterName: entry.ClusterDetails.ClusterName,
      clusterAlias: entry.ClusterDetails.ClusterAlias,
      failedKey: r.failedKey,
      analysis: entry.Analysis,
    };
    const dead = deadMasterRequest(entry, snapshot);
    if (dead !== undefined) {
      if (r.candidateKey !== undefined)
        checkDesignated(dead.instances, r.candidateKey, r.failedKey, 'candidate', snapshot.candidates, snapshot.now);
      return exclusive(target, () =>
        engineFor(r.skipProcesses).recoverDeadMaster({
          ...dead,
          force: true,
          command,
          ...(r.candidateKey === undefined ? {} : { requestedCandidate: r.candidateKey }),
        }),
      );
    }
    const intermediate = deadIntermediateMasterRequest(entry, snapshot);
    if (intermediate !== undefined) {
      if (r.candidateKey !== undefined)
        throw refuse(
          'candidate',
          `a candidate applies to a dead primary; ${r.failedKey} is an intermediate primary (${entry.Analysis})`,
        );
      return exclusive(target, () =>
        engineFor(r.skipProcesses).recoverDeadIntermediateMaster({ ...intermediate, force: true, command }),
      );
    }
    return {
      ...target,
      uid: null,
      status: 'not-attempted',
      reason: `${r.failedKey} has ${entry.Analysis}, which orc does not recover (DeadMaster and DeadIntermediateMaster and their variants)`,
      successor: null,
      lostReplicas: [],
    };
  };

  // The cluster's primary and its direct replicas as discovery sees them, with registered rules applied.
  const members = async (
    cluster: RecoveryClusterRef,
    designated: InstanceKey | undefined,
  ): Promise<{
    primary: Instance;
    instances: Instance[];
    candidates: readonly CandidateRule[];
  }> => {
    const all = p.topology.instances();
    const primary = all.find((i) => i.key === cluster.masterKey);
    if (primary === undefined)
      throw refuse('primaryKey', `the primary ${cluster.masterKey} of ${cluster.clusterName} is not known`);
    const candidates = await p.readCandidates();
    const now = p.clock.wallNow();
    const instances = all
      .filter((i) => i.key === primary.key || i.masterKey === primary.key || i.key === designated)
      .map((i) => ({ ...i, promotionRule: effectivePromotionRule(i, candidates, now) }));
    return { primary, instances, candidates };
  };

  const force = async (
    r: Extract<ManualRecoveryRequest, { kind: 'force-master-failover' }>,
  ): Promise<ManualRecoveryResult> => {
    const { instances, candidates } = await members(r.cluster, r.designatedKey);
    const failedKey = r.cluster.masterKey;
    // Checked before the engine stops any replica's IO thread: this primary may be alive and serving.
    if (r.designatedKey !== undefined)
      checkDesignated(instances, r.designatedKey, failedKey, 'designated', candidates, p.clock.wallNow());
    const request: DeadMasterRequest = {
      analysis: 'DeadMaster',
      failedKey,
      clusterName: r.cluster.clusterName,
      clusterAlias: r.cluster.clusterAlias,
      instances,
      candidateRules: candidates,
      now: p.clock.wallNow(),
      force: true,
      command: r.designatedKey === undefined ? 'force-master-failover' : 'force-master-takeover',
      ...(r.designatedKey === undefined ? {} : { requestedCandidate: r.designatedKey }),
    };
    return exclusive(
      { clusterName: r.cluster.clusterName, clusterAlias: r.cluster.clusterAlias, failedKey, analysis: 'DeadMaster' },
      () => p.engine.recoverDeadMaster(request),
    );
  };

  const graceful = async (
    r: Extract<ManualRecoveryRequest, { kind: 'graceful-master-takeover' }>,
  ): Promise<ManualRecoveryResult> => {
    const { instances } = await members(r.cluster, r.designatedKey);
    return exclusive(
      {
        clusterName: r.cluster.clusterName,
        clusterAlias: r.cluster.clusterAlias,
        failedKey: r.cluster.masterKey,
        analysis: 'GracefulMasterTakeover',
      },
      () =>
        p.engine.gracefulMasterTakeover({
          primaryKey: r.cluster.masterKey,
          clusterName: r.cluster.clusterName,
          clusterAlias: r.cluster.clusterAlias,
          instances,
          auto: r.auto,
          ...(r.designatedKey === undefined ? {} : { designated: r.designatedKey }),
        }),
    );
  };

  return {
    run: async (request) => {
      switch (request.kind) {
        case 'recover':
          return recover(request);
        case 'force-master-failover':
          return force(request);
        case 'graceful-master-takeover':
          return graceful(request);
      }
    },
    stop: () => p.liteEngine.stop(),
  };
}
