import { ConfigProblems, isOptionalPositiveInt, NAME_PATTERN } from '../core/config-check.js';
import { allocatePort } from '../core/ports.js';
import { TestEnvError } from '../errors.js';
import { resolveMariaDbCommon, type MariaDbCommonOptions } from '../mariadb/mariadb-config.js';
import { createMariaDbInstance, type MariaDbInstance } from '../mariadb/mariadb-instance.js';
import { MariaDbTopology } from '../mariadb/mariadb-topology.js';
import { TEMPLATE_USERS } from '../mariadb/mariadb-users.js';
import {
  createNetNamespace,
  createVethLink,
  freeLinkLocalSubnet,
  runIp,
  type NetNamespace,
  type VethLink,
} from './net-namespace.js';

/** Options of {@link startNetnsTopology}. */
export interface NetnsTopologyOptions extends MariaDbCommonOptions {
  /** Prefix of the servers' names. Default `netns`. */
  name?: string;
  /** How many replicas replicate from the primary. Default 2. */
  replicas?: number;
  /** `MASTER_HEARTBEAT_PERIOD` of every replica, in seconds (fractions allowed). Default 1 (docs/recovery.md). */
  heartbeatPeriodSeconds?: number;
  /** The replicas' `slave_net_timeout`, in seconds. Default 10 (docs/recovery.md). */
  slaveNetTimeoutSeconds?: number;
  /** Deadline for every replica to run both replication threads. Default 60 000 ms. */
  replicationTimeoutMs?: number;
}

/**
 * A primary on a host of its own and its replicas on another, as network namespaces, so that a
 * test can make the primary's host fall silent (no reset, no refusal: packets vanish) or cut only
 * the tests' own path to it while the replicas still hear it. The tests' process (orc) runs in the
 * root namespace.
 *
 * ```
 *  root (orc) ──orcLink── primary host (P) ──replicationLink── replica host (R)
 *      └───────────────────────replicaLink─────────────────────────┘
 * ```
 *
 * The primary serves on a service address on P's loopback that both the root namespace and R
 * route to P over their own link; each replica serves on R's address of `replicaLink`. Servers run
 * through `ip netns exec` (pid-based cleanup as usual); `stop()` removes the servers, the links
 * and the namespaces, also after a failed start.
 *
 * @example
 * ```ts
 * const topo = await startNetnsTopology({ replicas: 2 });
 * try {
 *   await topo.silencePrimaryHost();
 * } finally {
 *   await topo.stop();
 * }
 * ```
 */
export class NetnsTopology extends MariaDbTopology {
  /** The primary's host. */
  readonly primaryHost: NetNamespace;
  /** The replicas' host. */
  readonly replicaHost: NetNamespace;
  /** root namespace (a) to the primary's host (b): the only path orc has to the primary. */
  readonly orcLink: VethLink;
  /** The primary's host (a) to the replicas' host (b): the replication stream's path. */
  readonly replicationLink: VethLink;
  /** root namespace (a) to the replicas' host (b). */
  readonly replicaLink: VethLink;
  readonly #stopNetwork: () => Promise<void>;

  /** @internal use {@link startNetnsTopology}. */
  constructor(
    instances: readonly MariaDbInstance[],
    network: {
      primaryHost: NetNamespace;
      replicaHost: NetNamespace;
      orcLink: VethLink;
      replicationLink: VethLink;
      replicaLink: VethLink;
      stop: () => Promise<void>;
    },
  ) {
    super(instances);
    this.primaryHost = network.primaryHost;
    this.replicaHost = network.replicaHost;
    this.orcLink = network.orcLink;
    this.replicationLink = network.replicationLink;
    this.replicaLink = network.replicaLink;
    this.#stopNetwork = network.stop;
  }

  /** The primary's host falls silent: its links go down, so nothing reaches it or leaves it. */
  async silencePrimaryHost(): Promise<void> {
    await this.orcLink.setUp(this.orcLink.b, false);
    await this.replicationLink.setUp(this.replicationLink.a, false);
  }

  /** Only orc's path to the primary goes silent; the replicas keep hearing the primary. */
  async cutOrcPath(): Promise<void> {
    await this.orcLink.setUp(this.orcLink.b, false);
  }

  /** Every link up again. */
  async heal(): Promise<void> {
    await this.orcLink.setUp(this.orcLink.b, true);
    await this.replicationLink.setUp(this.replicationLink.a, true);
  }

  /** Ends every server, then removes the links and namespaces. Idempotent. */
  override async stop(): Promise<void> {
    let first: unknown;
    try {
      await super.stop();
    } catch (error) {
      first = error;
    }
    await this.#stopNetwork();
    if (first !== undefined) throw first;
  }
}

/**
 * Starts a primary and its replicas on two network-namespace hosts (see {@link NetnsTopology}),
 * with GTID replication, a short heartbeat and `slave_net_timeout` as orc recommends, and waits
 * until every replica replicates. Needs root and iproute2: on a machine without them it fails
 * (`NETWORK_SETUP_FAILED`, `BINARY_MISSING`), it never skips. Everything made is removed on failure.
 *
 * @example
 * ```ts
 * const topo = await startNetnsTopology({ heartbeatPeriodSeconds: 1 });
 * await topo.cutOrcPath(); // the replicas still replicate
 * await topo.stop();
 * ```
 */
export async function startNetnsTopology(options: NetnsTopologyOptions = {}): Promise<NetnsTopology> {
  const problems = new ConfigProblems('network-namespace topology options');
  problems.check(
    options.name === undefined || (typeof options.name === 'string' && NAME_PATTERN.test(options.name)),
    'name',
    `must match ${NAME_PATTERN}`,
  );
  problems.check(isOptionalPositiveInt(options.replicas), 'replicas', 'must be a positive integer');
  problems.check(
    options.heartbeatPeriodSeconds === undefined ||
      (typeof options.heartbeatPeriodSeconds === 'number' &&
        options.heartbeatPeriodSeconds >= 0.001 &&
        options.heartbeatPeriodSeconds <= 4_294_967),
    'heartbeatPeriodSeconds',
    'must be a number of seconds from 0.001 to 4294967',
  );
  problems.check(isOptionalPositiveInt(options.slaveNetTimeoutSeconds), 'slaveNetTimeoutSeconds', 'must be >= 1');
  problems.check(isOptionalPositiveInt(options.replicationTimeoutMs), 'replicationTimeoutMs', 'must be >= 1');
  const common = resolveMariaDbCommon(options, problems);
  problems.throwIfAny();
  const name = options.name ?? 'netns';
  const heartbeat = options.heartbeatPeriodSeconds ?? 1;
  const netTimeout = options.slaveNetTimeoutSeconds ?? 10;

  // Undone in reverse order on failure and by stop().
  const undo: (() => Promise<void>)[] = [];
  const stopNetwork = async (): Promise<void> => {
    let first: unknown;
    for (const step of undo.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        first ??= error;
      }
    }
    if (first !== undefined) throw first;
  };
  const instances: MariaDbInstance[] = [];
  try {
    const primaryHost = await createNetNamespace();
    undo.push(() => primaryHost.destroy());
    const replicaHost = await createNetNamespace();
    undo.push(() => replicaHost.destroy());
    const orcLink = await createVethLink(null, primaryHost);
    undo.push(() => orcLink.destroy());
    const replicationLink = await createVethLink(primaryHost, replicaHost);
    undo.push(() => replicationLink.destroy());
    const replicaLink = await createVethLink(null, replicaHost);
    undo.push(() => replicaLink.destroy());

    // The primary's service address lives on its loopback, so that downing one link does not take
    // it away from the other; each side routes to it over its own link.
    const serviceAddress = (await freeLinkLocalSubnet()).first;
    await primaryHost.addAddress(`${serviceAddress}/32`, 'lo');
    await runIp(['route', 'replace', `${serviceAddress}/32`, 'via', orcLink.b.address]);
    await replicaHost.addRoute(`${serviceAddress}/32`, replicationLink.a.address);

    const base = { ...common, serverId: undefined, port: undefined };
    instances.push(
      await createMariaDbInstance(
        {
          ...base,
          name: `${name}-p`,
          port: await allocatePort(),
          readOnly: false,
          host: serviceAddress,
          netns: primaryHost.name,
        },
        { sourceName: null },
      ),
    );
    for (let i = 1; i <= (options.replicas ?? 2); i++) {
      instances.push(
        await createMariaDbInstance(
          {
            ...base,
            name: `${name}-r${i}`,
            readOnly: true,
            host: replicaLink.b.address,
            netns: replicaHost.name,
            extraArgs: [...common.extraArgs, `--slave-net-timeout=${netTimeout}`],
          },
          { sourceName: `${name}-p` },
        ),
      );
    }
    const started = await Promise.allSettled(instances.map((i) => i.start()));
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    const topology = new NetnsTopology(instances, {
      primaryHost,
      replicaHost,
      orcLink,
      replicationLink,
      replicaLink,
      stop: stopNetwork,
    });
    const { user, password } = TEMPLATE_USERS.repl;
    for (const replica of topology.replicas) {
      await replica.query(
        `CHANGE MASTER TO MASTER_HOST=?, MASTER_PORT=?, MASTER_USER=?, MASTER_PASSWORD=?, MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1, MASTER_HEARTBEAT_PERIOD=?`,
        [topology.primary.host, topology.primary.port, user, password, heartbeat],
      );
      await replica.query('START SLAVE');
    }
    await topology.waitReplicating({ timeoutMs: options.replicationTimeoutMs ?? 60_000 });
    return topology;
  } catch (error) {
    await Promise.allSettled(instances.map((i) => i.destroy()));
    await stopNetwork().catch((cleanup: unknown) => {
      throw new TestEnvError('NETWORK_SETUP_FAILED', `cleanup after a failed start failed too: ${String(cleanup)}`, {
        cause: error,
      });
    });
    throw error;
  }
}
