import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import { TopologyError } from './errors.js';
import type { AnalysisOptions } from './analysis/analysis-input.js';
import type { AnalysisStateSource } from './analysis/analysis-state.js';
import { InMemoryAnalysisState } from './analysis/analysis-state.js';
import { analyzeReplication } from './analysis/analyze-replication.js';
import type { ReplicationAnalysis } from './analysis/replication-analysis.js';
import type { ClusterInfo } from './cluster/cluster-resolver.js';
import { resolveClusters } from './cluster/cluster-resolver.js';
import type { ProbeEvent } from './discovery/discovery-loop.js';
import { DiscoveryLoop } from './discovery/discovery-loop.js';
import type { InstanceStore } from './discovery/instance-store.js';
import { InMemoryInstanceStore } from './discovery/instance-store.js';
import type { Instance } from './instance/instance.js';
import type { InstanceKey } from './instance/instance-key.js';
import { parseInstanceKey } from './instance/instance-key.js';
import type { Logger } from './logger.js';
import { noopLogger } from './logger.js';
import type { Prober } from './probe/instance-prober.js';
import { InstanceProber } from './probe/instance-prober.js';
import type { TopologyConfig, TopologyConfigInput } from './topology-config.js';
import { validateTopologyConfig } from './topology-config.js';

/** Everything an {@link OrcTopology} is built from; only `config` is required. */
export interface OrcTopologyParts {
  /** Typed camelCase config; validated by `validateTopologyConfig` (every problem reported at once). */
  readonly config: TopologyConfigInput;
  /** Where instances are written. Default: in memory. */
  readonly store?: InstanceStore;
  /** Downtimes, maintenances, candidates, alias overrides. Default: in memory. */
  readonly state?: AnalysisStateSource;
  /** Default: an {@link InstanceProber} over mysql2 with the config's credentials and timeouts. */
  readonly prober?: Prober;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/**
 * The entry point of @orc/topology: discovery (start/stop, discover, forget), the clusters and
 * instances it found, and the failure analysis of what it sees. No HTTP here: @orc/api serves it.
 *
 * @example
 * const topology = new OrcTopology({
 *   config: { DiscoverySeeds: ['127.0.0.1:3306'], MySQLTopologyUser: 'orc', MySQLTopologyPassword: 'orc' },
 * });
 * await topology.start();
 * const entries = await topology.analysis();
 * await topology.stop();
 */
export class OrcTopology {
  readonly config: TopologyConfig;
  readonly #loop: DiscoveryLoop;
  readonly #state: AnalysisStateSource;
  readonly #clock: Clock;
  #started = false;
  #stopped = false;

  constructor(parts: OrcTopologyParts) {
    this.config = validateTopologyConfig(parts.config);
    const c = this.config;
    this.#clock = parts.clock ?? systemClock;
    this.#state = parts.state ?? new InMemoryAnalysisState();
    const logger = parts.logger ?? noopLogger;
    let loop: DiscoveryLoop | null = null;
    const prober =
      parts.prober ??
      new InstanceProber(
        {
          user: c.mysqlTopologyUser,
          password: c.mysqlTopologyPassword,
          connectTimeoutMs: c.mysqlConnectTimeoutSeconds * 1000,
          readTimeoutMs: c.mysqlDiscoveryReadTimeoutSeconds * 1000,
          detectClusterAliasQuery: c.detectClusterAliasQuery,
          detectClusterDomainQuery: c.detectClusterDomainQuery,
          detectDataCenterQuery: c.detectDataCenterQuery,
          detectRegionQuery: c.detectRegionQuery,
          detectPhysicalEnvironmentQuery: c.detectPhysicalEnvironmentQuery,
          detectPromotionRuleQuery: c.detectPromotionRuleQuery,
          detectInstanceAliasQuery: c.detectInstanceAliasQuery,
          dataCenterPattern: c.dataCenterPattern,
          regionPattern: c.regionPattern,
          physicalEnvironmentPattern: c.physicalEnvironmentPattern,
          replicationLagQuery: c.replicationLagQuery,
        },
        {
          logger,
          onConnectionLost: (key) => loop?.suspect(key, 'probe connection lost'),
        },
      );
    loop = new DiscoveryLoop({
      config: c,
      prober,
      store: parts.store ?? new InMemoryInstanceStore(),
      clock: this.#clock,
      logger,
    });
    this.#loop = loop;
  }

  /** Starts the discovery loop (from the stored instances and `DiscoverySeeds`). Starting twice is a no-op. */
  async start(): Promise<void> {
    this.#assertNotStopped();
    this.#started = true;
    await this.#loop.start();
  }

  /** Stops discovery and closes every connection. Idempotent. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#loop.stop();
  }

  /** Probes a server now and returns what orc knows about it (see `lastProbeError` on failure). */
  async discover(key: string): Promise<Instance> {
    this.#assertRunning();
    return this.#loop.discover(parseInstanceKey(key, this.config.defaultInstancePort));
  }

  /** Forgets one server (it may be rediscovered later through its primary or replicas). */
  async forget(key: string): Promise<void> {
    this.#assertNotStopped();
    await this.#loop.forget([parseInstanceKey(key, this.config.defaultInstancePort)]);
  }

  /** Forgets every server of a cluster (by name or alias); returns the keys forgotten. */
  async forgetCluster(clusterNameOrAlias: string): Promise<InstanceKey[]> {
    this.#assertNotStopped();
    const cluster = await this.cluster(clusterNameOrAlias);
    if (cluster === undefined) {
      throw new TopologyError('INVALID_ARGUMENT', `no cluster named or aliased ${JSON.stringify(clusterNameOrAlias)}`);
    }
    await this.#loop.forget(cluster.instanceKeys);
    return [...cluster.instanceKeys];
  }

  /** Every known instance with its cluster name. */
  instances(): Instance[] {
    return this.#loop.instances();
  }

  /** One instance, or undefined. */
  instance(key: string): Instance | undefined {
    return this.#loop.instance(parseInstanceKey(key, this.config.defaultInstancePort));
  }

  /** Every cluster: name, alias (or the name), domain, primary and members. */
  async clusters(): Promise<ClusterInfo[]> {
    const overrides = await this.#state.readClusterAliasOverrides();
    const seen = this.#loop.instances().filter((i) => i.lastSeenAt !== null);
    const { clusters } = resolveClusters(seen, {
      aliasOverrides: overrides,
      clusterNameToAlias: this.config.clusterNameToAlias,
    });
    return [...clusters.values()].sort((a, b) => (a.clusterName < b.clusterName ? -1 : 1));
  }

  /** The cluster with this name or alias. */
  async cluster(nameOrAlias: string): Promise<ClusterInfo | undefined> {
    const all = await this.clusters();
    return all.find((c) => c.clusterName === nameOrAlias) ?? all.find((c) => c.clusterAlias === nameOrAlias);
  }

  /** The replication analysis of everything known now (see `analyzeReplication`). */
  async analysis(
    options: Pick<AnalysisOptions, 'includeNoProblem' | 'includeDowntimed'> = {},
  ): Promise<ReplicationAnalysis[]> {
    const [downtimes, maintenance, candidates, overrides] = await Promise.all([
      this.#state.readDowntimes(),
      this.#state.readMaintenance(),
      this.#state.readCandidates(),
      this.#state.readClusterAliasOverrides(),
    ]);
    const c = this.config;
    return analyzeReplication(
      {
        now: this.#clock.wallNow(),
        instances: this.#loop.instances(),
        downtimes,
        maintenance,
        candidates,
        clusterAliasOverrides: overrides,
      },
      {
        instancePollSeconds: c.instancePollSeconds,
        reasonableInstanceCheckSeconds: c.reasonableInstanceCheckSeconds,
        reasonableReplicationLagSeconds: c.reasonableReplicationLagSeconds,
        reasonableLockedSemiSyncMasterSeconds: c.reasonableLockedSemiSyncMasterSeconds,
        recoverNonWriteableMaster: c.recoverNonWriteableMaster,
        enforceExactSemiSyncReplicas: c.enforceExactSemiSyncReplicas,
        recoveryIgnoreHostnameFilters: c.recoveryIgnoreHostnameFilters,
        recoverMasterClusterFilters: c.recoverMasterClusterFilters,
        recoverIntermediateMasterClusterFilters: c.recoverIntermediateMasterClusterFilters,
        clusterNameToAlias: c.clusterNameToAlias,
        ...options,
      },
    );
  }

  /** Subscribes to every probe result; returns the unsubscribe function. */
  onProbe(listener: (e: ProbeEvent) => void): () => void {
    return this.#loop.onProbe(listener);
  }

  /** Queue and probe counters. */
  get stats(): DiscoveryLoop['stats'] {
    return this.#loop.stats;
  }

  /** Writes pending instance changes to the instance store now. */
  flush(): Promise<void> {
    return this.#loop.flush();
  }

  #assertNotStopped(): void {
    if (this.#stopped) throw new TopologyError('STOPPED', 'OrcTopology was stopped; create a new one');
  }

  #assertRunning(): void {
    this.#assertNotStopped();
    if (!this.#started) throw new TopologyError('STOPPED', 'OrcTopology is not started: call start() first');
  }
}
