// The daemon: builds every part from the config, starts them in order, and stops them in the
// reverse order. Discovery and analysis run on every node; KV publishing, the reconciler and
// recovery run only on the active node.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { buildApi, type HealthStatus, type OrcCommand, type OutcomeOf } from '@orc/api';
import { createKvPublisher, type KvPublisher } from '@orc/kv';
import { BackendAnalysisState, BackendInstanceStore, OrcTopology } from '@orc/topology';
import type { FastifyInstance } from 'fastify';
import { every, systemClock, type Clock } from './clock.js';
import { applyCommand } from './commands/apply-command.js';
import { ImmediateCommandBus } from './commands/command-bus.js';
import type { DaemonConfig } from './config/build.js';
import { orchestratorKeys } from './config/orchestrator-keys.js';
import { scrubSecrets } from './config/problems.js';
import { ServerError } from './errors.js';
import type { Logger } from './logging.js';
import { createMetrics, observeBackendCall, observeProbe, type DaemonMetrics } from './metrics.js';
import { sharedBackendNode, singleNode, type ActiveNode } from './node/active-node.js';
import { KvStatusTracker } from './node/kv-status.js';
import { createOrcView } from './node/orc-view.js';
import { PrimaryPublisher } from './node/primary-publisher.js';
import { createManualRecovery } from './node/manual-recovery.js';
import { buildRecoveryEngine, createRecoveryLoop, type RecoveryLoopParts } from './node/recovery-loop.js';
import { createRefactorPort } from './node/refactor-port.js';
import type { RaftMode } from './raft/raft-mode.js';
import { openBackend } from './wiring/open-backend.js';
import { timedBackend } from './wiring/timed-backend.js';
import { findWebRoot } from './web-root.js';

/**
 * The seam recovery plugs into (issue 13): started when this node becomes active, stopped when
 * it stops being active or at shutdown (finishing or aborting its current step with an audit line).
 */
export interface RecoveryLoop {
  start(): void;
  stop(reason: string): Promise<void>;
}

/** What {@link startDaemon} takes besides the config. */
export interface DaemonParts {
  readonly config: DaemonConfig;
  readonly logger: Logger & { child(component: string): Logger };
  readonly clock?: Clock;
  /** Builds the recovery loop once the parts exist. Default: @orc/topology's RecoveryEngine in {@link createRecoveryLoop}. */
  readonly recovery?: (parts: RecoveryLoopParts) => RecoveryLoop;
  /** Re-reads the config (`/api/reload-configuration`). */
  readonly reload?: () => Promise<void>;
}

/** A running daemon. */
export interface Daemon {
  /** The URL the API answers at. */
  readonly url: string;
  readonly metrics: DaemonMetrics;
  /** Stops everything in order; resolves when done. Idempotent. */
  stop(reason: string): Promise<void>;
}

const APP_VERSION = '0.0.0';

/**
 * Starts the daemon: backend (bounded retries), topology, active-node election, API.
 *
 * @example
 * const daemon = await startDaemon({ config, logger });
 * process.once('SIGTERM', () => void daemon.stop('SIGTERM'));
 */
export async function startDaemon(parts: DaemonParts): Promise<Daemon> {
  const { config, logger } = parts;
  const clock = parts.clock ?? systemClock;
  const metrics = createMetrics();
  const self = { hostname: osHostname(), token: randomUUID() };
  const scrub = (text: string): string => scrubSecrets(text, config.values, orchestratorKeys);

  const backend = timedBackend(
    await openBackend(config.backend, {
      boundMs: config.server.backendBailOutMs,
      clock,
      logger: logger.child('backend'),
    }),
    () => clock.now(),
    (call) => observeBackendCall(metrics, call),
  );
  const kvLogger = logger.child('kv');
  const kvStores = createKvPublisher(config.kv, { table: backend.kv, logger: kvLogger, clock });
  const kvStatus = new KvStatusTracker(kvStores, { prefix: config.kv.masterPrefix, clock });
  const kv: KvPublisher = {
    ...kvStores,
    publishMaster: async (master) => {
      const result = await kvStores.publishMaster(master);
      kvStatus.record(master, result);
      for (const o of result.outcomes) metrics.kvWrites.inc({ store: o.store, outcome: o.ok ? 'ok' : 'error' });
      return result;
    },
  };
  const topology = new OrcTopology({
    config: config.topology,
    store: new BackendInstanceStore(backend),
    state: new BackendAnalysisState(backend),
    clock,
    logger: logger.child('topology'),
  });
  topology.onProbe((e) => observeProbe(metrics, e));

  const targets = {
    backend,
    topology,
    kv,
    kvPrefix: config.kv.masterPrefix,
    node: self,
    logger: logger.child('commands'),
  };
  // Discovery starts before the API is built (a few hundred ms of route and schema compilation)
  // so that its first probes are under way meanwhile; nothing it does needs the API. Raft mode
  // also needs it running before the log is replayed (a replayed discover probes).
  await topology.start();
  let raftMode: RaftMode | undefined;
  if (config.raft.enabled) {
    try {
      // Loaded only in Raft mode: the Raft library, its log store and transport are not parsed otherwise.
      const { startRaftMode } = await import('./raft/raft-mode.js');
      raftMode = await startRaftMode({
        settings: config.raft,
        targets,
        clock,
        logger: logger.child('raft'),
        metrics,
        hostname: self.hostname,
        httpAdvertise: config.server.advertise,
      });
    } catch (err) {
      await topology.stop();
      await kv.close();
      await backend.close();
      throw err;
    }
  }

  const node: ActiveNode =
    raftMode !== undefined
      ? raftMode.node
      : config.backend.dialect === 'mysql'
        ? sharedBackendNode(
            backend.election({
              ...self,
              leaseMs: config.server.leaseMs,
              safetyMarginMs: Math.min(1000, config.server.leaseMs / 5),
            }),
            clock,
            logger.child('election'),
          )
        : singleNode(self);

  const bus =
    raftMode?.bus ??
    new ImmediateCommandBus(
      <C extends OrcCommand>(c: C): Promise<OutcomeOf<C>> => applyCommand(targets, c),
      metrics,
      logger.child('commands'),
    );
  const view = createOrcView(backend, topology, {
    defaultPort: config.topology.defaultInstancePort,
    pollSeconds: config.topology.instancePollSeconds,
  });
  const publisher = new PrimaryPublisher(
    topology,
    raftMode?.bus.withoutFollowerKv() ?? bus,
    logger.child('kv-publisher'),
    clock.wallNow(),
  );
  const recoveryWiring = {
    recovery: config.recovery,
    topologyConfig: topology.config,
    kvPrefix: config.kv.masterPrefix,
    backend,
    kv,
    clock,
    logger: logger.child('recovery'),
    self,
    ...(raftMode === undefined ? {} : { ports: raftMode.recoveryPorts }),
  };
  // One engine and one per-cluster registry of running recoveries for the loop and the API's manual operations.
  const engine = buildRecoveryEngine(recoveryWiring);
  const running = new Map<string, Promise<void>>();
  const recovery = (parts.recovery ?? createRecoveryLoop)({
    ...recoveryWiring,
    topology,
    metrics,
    engine,
    running,
    ...(raftMode?.agreement === undefined ? {} : { gate: raftMode.agreement }),
  });
  const manualRecovery = createManualRecovery({
    engine,
    liteEngine: buildRecoveryEngine(recoveryWiring, { hooks: false }),
    topology,
    readCandidates: () => new BackendAnalysisState(backend).readCandidates(),
    clock,
    logger: recoveryWiring.logger,
    metrics,
    running,
  });

  let ready = false;
  let backendOkAt = clock.now();
  let backendError: string | null = null;
  const health = async (): Promise<HealthStatus> => {
    const [holder, nodes] = await Promise.all([
      node.holder().catch(() => undefined),
      backend.nodeHealth.readHealthy(10).catch(() => []),
    ]);
    const healthy =
      ready && clock.now() - backendOkAt < 10_000 && (raftMode === undefined || raftMode.view.isHealthy());
    return {
      Healthy: healthy,
      Hostname: self.hostname,
      Token: self.token,
      IsActiveNode: node.isActive(),
      ActiveNode: holder === undefined ? null : { Hostname: holder.hostname, Token: holder.token },
      Error: healthy ? null : (backendError ?? 'starting'),
      AvailableNodes: nodes.map((n) => ({ Hostname: n.hostname, Token: n.token })),
      ...(raftMode?.healthFields() ?? {
        RaftLeader: '',
        IsRaftLeader: false,
        RaftLeaderURI: '',
        RaftAdvertise: '',
        RaftHealthyMembers: null,
      }),
    };
  };

  const app: FastifyInstance = buildApi({
    view,
    commands: bus,
    recovery: manualRecovery,
    kvStatus,
    ...(raftMode === undefined ? {} : { raft: raftMode.view }),
    node: { isLive: () => true, isReady: () => ready, isActive: () => node.isActive(), health },
    options: { webRoot: findWebRoot(), ...config.api },
    logger: logger.child('api'),
    scrub,
    ...(parts.reload === undefined ? {} : { reloadConfiguration: parts.reload }),
    refactor: createRefactorPort({
      topology,
      topologyConfig: topology.config,
      recovery: config.recovery,
      clock,
      logger: logger.child('refactor'),
      nodeName: self.hostname,
    }),
    onResponse: (route, method, status, ms) => {
      metrics.httpRequests.inc({ route, method, status: String(status) });
      metrics.httpDuration.observe({ route }, ms / 1000);
    },
  });
  app.get(`${config.api.urlPrefix}/metrics`, { config: { open: true, mutates: false } }, async (_, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );

  raftMode?.servePeers(app, config.api.urlPrefix);

  const stops: (() => void)[] = [];
  let activeJobs = false;
  node.onChange((active) => {
    metrics.isActive.set(active ? 1 : 0);
    if (active && !activeJobs) {
      activeJobs = true;
      publisher.reset();
      kv.start();
      recovery.start();
    } else if (!active && activeJobs) {
      activeJobs = false;
      void recovery.stop('no longer the active node');
    }
  });

  node.start();
  const tick = async (): Promise<void> => {
    const stats = topology.stats;
    metrics.queueDepth.set(stats.queued);
    metrics.knownInstances.set(stats.known);
    await backend.nodeHealth.upsert({ ...self, appVersion: APP_VERSION, command: 'http' });
    backendOkAt = clock.now();
    backendError = null;
    if (node.isActive()) await publisher.tick();
  };
  stops.push(
    every(clock, 1000, tick, (err) => {
      backendError = scrub(err instanceof Error ? err.message : String(err));
      logger.warn('periodic tick failed', { error: backendError });
    }),
  );
  stops.push(
    every(
      clock,
      config.topology.instancePollSeconds * 1000,
      async () => {
        const entries = await topology.analysis();
        metrics.analysisEntries.reset();
        for (const e of entries) metrics.analysisEntries.inc({ code: e.Analysis });
      },
      (err) => logger.warn('analysis failed', { error: String(err) }),
    ),
  );

  const { listenHost, listenPort } = config.server;
  let url: string;
  try {
    url = await app.listen({ host: listenHost, port: listenPort });
  } catch (err) {
    await shutdown();
    throw new ServerError('LISTEN_FAILED', `cannot listen on ${listenHost}:${listenPort}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  ready = true;
  logger.info('orc is serving', { url, mode: node.mode, backend: config.backend.dialect });

  let stopping: Promise<void> | undefined;
  async function shutdown(): Promise<void> {
    ready = false;
    for (const stop of stops) stop();
    await app.close();
    await bus.close();
    await recovery.stop('orc is shutting down');
    manualRecovery.stop();
    if (raftMode !== undefined) await raftMode.stop();
    await topology.stop();
    await node.stop();
    await kv.close();
    await backend.close();
  }
  return {
    url,
    metrics,
    stop: (reason) => {
      stopping ??= (async () => {
        logger.info('stopping', { reason });
        await shutdown();
        logger.info('stopped', { reason });
      })();
      return stopping;
    },
  };
}

/** Reads a file as UTF-8 (the only file access the packages' config building gets). */
export const readConfigFile = (path: string): string => readFileSync(path, 'utf8');
