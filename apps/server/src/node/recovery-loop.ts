// orchestrator's CheckAndRecover on the active node: the analysis of what this node sees, run as
// soon as a probe shows a sign of failure and every second as a backstop (recovery-trigger.ts);
// each dead primary, intermediate primary or co-primary is handed to @orc/topology's RecoveryEngine, one recovery per cluster at a
// time. The engine applies the guards (cluster filters, downtime, the global switch,
// anti-flapping through the backend), so a refused or skipped recovery is only logged here.
import type { Backend } from '@orc/backend';
import type { KvPublisher } from '@orc/kv';
import {
  BackendAnalysisState,
  BackendRecoveryStore,
  Mysql2Connector,
  RecoveryEngine,
  ShellHookRunner,
  noopHookRunner,
  deadMasterRequest,
  deadCoMasterRequest,
  deadIntermediateMasterRequest,
  isDeadCoMasterCode,
  type AnalysisSnapshot,
  instanceKey,
  kvPublisherPort,
  type OrcTopology,
  type RecoveryConfig,
  type RecoveryKvPublisher,
  type RecoveryStore,
  type RecoveryReport,
  type ReplicationAnalysis,
  type TopologyConfig,
} from '@orc/topology';
import type { Clock } from '../clock.js';
import type { RecoveryLoop } from '../daemon.js';
import type { Logger } from '../logging.js';
import type { DaemonMetrics } from '../metrics.js';
import type { RecoveryGate } from '../raft/failover-agreement.js';
import { reprobeParticipants } from './recovery-followup.js';
import { startRecoveryTrigger } from './recovery-trigger.js';

/** What the loop is built from. */
export interface RecoveryLoopParts {
  readonly recovery: RecoveryConfig;
  readonly topologyConfig: TopologyConfig;
  readonly kvPrefix: string;
  readonly backend: Backend;
  readonly topology: OrcTopology;
  readonly kv: KvPublisher;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: DaemonMetrics;
  readonly self: { readonly hostname: string; readonly token: string };
  /** The engine to run; default {@link buildRecoveryEngine}. The daemon shares one with the API's manual operations. */
  readonly engine?: RecoveryEngine;
  /** Recoveries in progress by cluster name; shared with manual operations so that two never overlap on a cluster. */
  readonly running?: Map<string, Promise<void>>;
  /** Raft mode: the engine's writes go through the log (default: this node's backend and stores). */
  readonly ports?: { readonly store: RecoveryStore; readonly kv: RecoveryKvPublisher };
  /** Raft mode with ExpectFailureAnalysisConcensus: admits a dead server only on agreement. */
  readonly gate?: RecoveryGate;
  /** Called with each finished recovery (tests, benchmarks). */
  readonly onReport?: (report: RecoveryReport) => void;
}

/** What a {@link RecoveryEngine} of the daemon is built from (a subset of {@link RecoveryLoopParts}). */
export type RecoveryEngineWiring = Pick<
  RecoveryLoopParts,
  'recovery' | 'topologyConfig' | 'kvPrefix' | 'backend' | 'kv' | 'clock' | 'logger' | 'self' | 'ports'
>;

/**
 * The daemon's RecoveryEngine, shared by the loop and the API's manual operations so that both
 * write the same audit through the same store. `hooks: false` builds one that runs no hooks
 * (orchestrator's `recover-lite`).
 *
 * @example
 * const engine = buildRecoveryEngine(parts);
 * const loop = createRecoveryLoop({ ...parts, engine });
 */
export function buildRecoveryEngine(p: RecoveryEngineWiring, options: { hooks?: boolean } = {}): RecoveryEngine {
  const hooks = options.hooks === false ? noopHookRunner : undefined;
  return new RecoveryEngine({
    config: p.recovery,
    store: p.ports?.store ?? new BackendRecoveryStore(p.backend, p.self),
    connector: new Mysql2Connector({
      user: p.topologyConfig.mysqlTopologyUser,
      password: p.topologyConfig.mysqlTopologyPassword,
      connectTimeoutMs: p.topologyConfig.mysqlConnectTimeoutSeconds * 1000,
      statementTimeoutMs: p.recovery.recoveryStatementTimeoutSeconds * 1000,
      clock: p.clock,
    }),
    clock: p.clock,
    kv: p.ports?.kv ?? kvPublisherPort(p.kv, { masterPrefix: p.kvPrefix }),
    hooks:
      hooks ??
      new ShellHookRunner({
        shell: p.recovery.processesShellCommand,
        timeoutMs: p.recovery.hookTimeoutSeconds * 1000,
        clock: p.clock,
        logger: p.logger,
      }),
    logger: p.logger,
    nodeName: p.self.hostname,
  });
}

/** The analysis codes the loop acts on: orchestrator's CheckAndRecover families. */
const recoverable = (code: string): boolean =>
  code.startsWith('DeadMaster') || code.startsWith('DeadIntermediateMaster') || isDeadCoMasterCode(code);

/** One actionable entry as the engine call that recovers it; undefined when it has nothing to act on. */
function recoveryOf(
  engine: RecoveryEngine,
  entry: ReplicationAnalysis,
  snapshot: AnalysisSnapshot,
):
  | {
      readonly clusterName: string;
      readonly analysis: string;
      readonly failedKey: string;
      run(): Promise<RecoveryReport>;
    }
  | undefined {
  if (isDeadCoMasterCode(entry.Analysis)) {
    const req = deadCoMasterRequest(entry, snapshot);
    return req && { ...req, run: () => engine.recoverDeadCoMaster(req) };
  }
  if (entry.Analysis.startsWith('DeadIntermediateMaster')) {
    const req = deadIntermediateMasterRequest(entry, snapshot);
    return req && { ...req, run: () => engine.recoverDeadIntermediateMaster(req) };
  }
  const req = deadMasterRequest(entry, snapshot);
  return req && { ...req, run: () => engine.recoverDeadMaster(req) };
}

/**
 * Builds the loop; the daemon starts it when this node becomes active.
 *
 * @example
 * const loop = createRecoveryLoop({ recovery, topologyConfig, kvPrefix, backend, topology, kv, clock, logger, metrics, self });
 * loop.start();
 */
export function createRecoveryLoop(p: RecoveryLoopParts): RecoveryLoop {
  const engine = p.engine ?? buildRecoveryEngine(p);
  const state = new BackendAnalysisState(p.backend);
  const running = p.running ?? new Map<string, Promise<void>>();
  let stopTicks: (() => void) | undefined;

  const recover = async (): Promise<void> => {
    const entries = await p.topology.analysis();
    const dead = entries.filter(
      (e) => recoverable(e.Analysis) && !running.has(e.ClusterDetails.ClusterName) && agreed(e),
    );
    if (dead.length === 0) return;
    const [downtimes, maintenance, candidates, clusterAliasOverrides] = await Promise.all([
      state.readDowntimes(),
      state.readMaintenance(),
      state.readCandidates(),
      state.readClusterAliasOverrides(),
    ]);
    const snapshot = {
      now: p.clock.wallNow(),
      instances: p.topology.instances(),
      downtimes,
      maintenance,
      candidates,
      clusterAliasOverrides,
    };
    for (const entry of dead) {
      const request = recoveryOf(engine, entry, snapshot);
      if (request === undefined) continue;
      const cluster = request.clusterName;
      // A check woken by the gate may overlap the tick's: the one that gets here first runs it.
      if (running.has(cluster)) continue;
      const run = (async () => {
        const report = await request.run();
        reprobeParticipants(p.topology, report, p.logger);
        p.metrics.recoveries.inc({ analysis: request.analysis, status: report.status });
        p.logger.info('recovery finished', {
          cluster,
          failed: request.failedKey,
          status: report.status,
          reason: report.reason,
          successor: report.successor,
          uid: report.uid,
          writableMs: report.timings.writableMs,
        });
        p.onReport?.(report);
        await report.settled;
      })()
        .catch((err: unknown) =>
          p.logger.error('recovery failed', { cluster, error: err instanceof Error ? err.message : String(err) }),
        )
        .finally(() => running.delete(cluster));
      running.set(cluster, run);
    }
  };

  const agreed = (e: ReplicationAnalysis): boolean =>
    p.gate?.admit({
      key: instanceKey(e.AnalyzedInstanceKey.Hostname, e.AnalyzedInstanceKey.Port),
      analysis: e.Analysis,
    }) ?? true;
  // A vote that completes an agreement runs the check at once instead of at the next tick.
  p.gate?.onAgreement(() => {
    if (stopTicks !== undefined)
      void recover().catch((err: unknown) => p.logger.warn('recovery check failed', { error: String(err) }));
  });

  return {
    start: () => {
      stopTicks ??= startRecoveryTrigger({
        clock: p.clock,
        periodMs: 1000,
        onProbe: (listener) => p.topology.onProbe(listener),
        pass: recover,
        onError: (err) => p.logger.warn('recovery check failed', { error: String(err) }),
      });
    },
    stop: async (reason) => {
      stopTicks?.();
      stopTicks = undefined;
      if (running.size > 0) {
        p.logger.warn('waiting for recoveries in progress', { reason, clusters: [...running.keys()] });
        await p.backend.audit
          .append({
            auditType: 'recovery-interrupted',
            message: `${reason}: waiting for ${[...running.keys()].join(', ')}`,
          })
          .catch((err: unknown) => p.logger.warn('audit write failed', { error: String(err) }));
      }
      await Promise.all(running.values());
      engine.stop();
    },
  };
}
