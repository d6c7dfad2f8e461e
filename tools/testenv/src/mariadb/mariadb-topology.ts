import { ConfigProblems, isOptionalPositiveInt, NAME_PATTERN } from '../core/config-check.js';
import { LOOPBACK } from '../core/ports.js';
import { delay } from '../core/server-process.js';
import { TestEnvError } from '../errors.js';
import { resolveMariaDbCommon, type MariaDbCommonOptions, type ResolvedMariaDbCommon } from './mariadb-config.js';
import { createMariaDbInstance, type MariaDbInstance } from './mariadb-instance.js';
import { TEMPLATE_USERS, type DbCredentials } from './mariadb-users.js';
import { parseTopologyShape, type TopologyMember, type TopologyShape } from './topology-shape.js';

/** Options of {@link startMariaDbTopology}. */
export interface MariaDbTopologyOptions extends MariaDbCommonOptions {
  /** The servers and who replicates from whom, e.g. `'1+2'`. */
  shape: TopologyShape;
  /** Prefix of the servers' directory names. Default `topo`. */
  name?: string;
  /** Deadline for every replica to run both replication threads. Default 60 000 ms. */
  replicationTimeoutMs?: number;
}

/** Options of the wait helpers. */
export interface WaitOptions {
  /** Deadline. Default 30 000 ms. */
  timeoutMs?: number;
}

interface SlaveStatusRow {
  Slave_IO_Running?: string;
  Slave_SQL_Running?: string;
  Last_IO_Error?: string;
  Last_SQL_Error?: string;
}

/**
 * A primary and its replicas (possibly chained through intermediate primaries), wired with GTID
 * replication (`MASTER_USE_GTID=slave_pos`, connect retry 1 s). Replicas start with read_only=1.
 */
export class MariaDbTopology {
  /** Every instance, sources before their replicas. */
  readonly instances: readonly MariaDbInstance[];
  /** The instance without a source. */
  readonly primary: MariaDbInstance;
  /** orc's user: the privileges orchestrator needs on MariaDB 10.11 (see `ORC_USER_PRIVILEGES`). */
  readonly orcUser: DbCredentials = TEMPLATE_USERS.orc;
  /** The replication user (REPLICATION SLAVE). */
  readonly replUser: DbCredentials = TEMPLATE_USERS.repl;
  readonly #byName: ReadonlyMap<string, MariaDbInstance>;

  /** @internal use {@link startMariaDbTopology}. */
  constructor(instances: readonly MariaDbInstance[]) {
    this.instances = Object.freeze([...instances]);
    this.#byName = new Map(instances.map((i) => [i.name, i]));
    const primary = instances.find((i) => i.sourceName === null);
    if (primary === undefined) throw new TestEnvError('INVALID_CONFIG', 'topology has no primary');
    this.primary = primary;
  }

  /** The instance named `name`; throws `INVALID_CONFIG` for an unknown name. */
  instance(name: string): MariaDbInstance {
    const found = this.#byName.get(name);
    if (found === undefined) {
      throw new TestEnvError(
        'INVALID_CONFIG',
        `no instance "${name}" in this topology (has ${[...this.#byName.keys()].join(', ')})`,
      );
    }
    return found;
  }

  /** The instances replicating directly from `name`. */
  replicasOf(name: string): MariaDbInstance[] {
    return this.instances.filter((i) => i.sourceName === name);
  }

  /** Every instance that has a source. */
  get replicas(): MariaDbInstance[] {
    return this.instances.filter((i) => i.sourceName !== null);
  }

  /** Waits until every replica runs its IO and SQL threads; `REPLICATION_TIMEOUT` names the laggards and their errors. */
  async waitReplicating(options: WaitOptions = {}): Promise<void> {
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    for (;;) {
      const states = await Promise.all(this.replicas.map(async (r) => ({ r, state: await replicationState(r) })));
      const bad = states.filter((s) => s.state !== 'ok');
      if (bad.length === 0) return;
      if (Date.now() > deadline) {
        throw new TestEnvError(
          'REPLICATION_TIMEOUT',
          `replicas not replicating after ${options.timeoutMs ?? 30_000} ms: ${bad.map((b) => `${b.r.name} (${b.state})`).join('; ')}`,
          { context: { replicas: bad.map((b) => ({ name: b.r.name, state: b.state })) } },
        );
      }
      await delay(100);
    }
  }

  /** Waits until every replica has applied everything its source had in its binlog (MASTER_GTID_WAIT, top-down). */
  async waitCaughtUp(options: WaitOptions = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const deadline = Date.now() + timeoutMs;
    for (const replica of this.replicas) {
      const source = this.instance(replica.sourceName ?? '');
      const [row] = await source.query<{ pos: string }[]>('SELECT @@GLOBAL.gtid_binlog_pos AS pos');
      const seconds = Math.max(0.1, (deadline - Date.now()) / 1000);
      const [res] = await replica.query<{ r: number | null }[]>('SELECT MASTER_GTID_WAIT(?, ?) AS r', [
        row?.pos ?? '',
        seconds,
      ]);
      if (res?.r !== 0) {
        throw new TestEnvError(
          'REPLICATION_TIMEOUT',
          `${replica.name} did not reach ${source.name}'s GTID position ${row?.pos ?? ''} within ${timeoutMs} ms (${await replicationState(replica)})`,
          {
            context: { replica: replica.name, source: source.name },
          },
        );
      }
    }
  }

  /** Ends every server (SIGKILL: the data goes too) and removes every directory. Idempotent. */
  async stop(): Promise<void> {
    const results = await Promise.allSettled(this.instances.map((i) => i.destroy()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }

  /** Same as {@link MariaDbTopology.stop}. */
  async destroy(): Promise<void> {
    await this.stop();
  }
}

async function replicationState(replica: MariaDbInstance): Promise<string> {
  if (!replica.isRunning()) return 'server not running';
  try {
    const [row] = await replica.query<SlaveStatusRow[]>('SHOW SLAVE STATUS');
    if (row === undefined) return 'replication not configured';
    if (row.Slave_IO_Running === 'Yes' && row.Slave_SQL_Running === 'Yes') return 'ok';
    const errors = [row.Last_IO_Error, row.Last_SQL_Error].filter((e) => e !== undefined && e !== '').join(' / ');
    return `IO ${row.Slave_IO_Running ?? '?'}, SQL ${row.Slave_SQL_Running ?? '?'}${errors === '' ? '' : `: ${errors}`}`;
  } catch (err) {
    return `SHOW SLAVE STATUS failed: ${String(err)}`;
  }
}

/** Points `replica` at `source` with GTID and a 1 s heartbeat (orc's recommended setting: docs/recovery.md) and starts replication. */
async function wireReplica(replica: MariaDbInstance, source: MariaDbInstance): Promise<void> {
  const { user, password } = TEMPLATE_USERS.repl;
  await replica.query(
    `CHANGE MASTER TO MASTER_HOST=?, MASTER_PORT=?, MASTER_USER=?, MASTER_PASSWORD=?, MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1, MASTER_HEARTBEAT_PERIOD=1`,
    [source.host, source.port, user, password],
  );
  await replica.query('START SLAVE');
}

function validateTopologyOptions(input: MariaDbTopologyOptions): {
  common: ResolvedMariaDbCommon;
  members: TopologyMember[];
  name: string;
  replicationTimeoutMs: number;
} {
  const problems = new ConfigProblems('MariaDB topology options');
  if (typeof input !== 'object' || input === null) {
    problems.add('options', 'must be an object with a shape');
    problems.throwIfAny();
  }
  problems.check(input.shape !== undefined, 'shape', "is required, e.g. '1+2'");
  problems.check(
    input.name === undefined || (typeof input.name === 'string' && NAME_PATTERN.test(input.name)),
    'name',
    `must match ${NAME_PATTERN}`,
  );
  problems.check(
    isOptionalPositiveInt(input.replicationTimeoutMs),
    'replicationTimeoutMs',
    'must be a positive integer',
  );
  const common = resolveMariaDbCommon(input, problems);
  problems.throwIfAny();
  return {
    common,
    members: parseTopologyShape(input.shape),
    name: input.name ?? 'topo',
    replicationTimeoutMs: input.replicationTimeoutMs ?? 60_000,
  };
}

/**
 * Starts every server of a topology in parallel, wires replication top-down and waits until every
 * replica replicates. On any failure the servers already started are destroyed before the error
 * is thrown.
 *
 * @example
 * ```ts
 * const topo = await startMariaDbTopology({ shape: '1+2' });
 * try {
 *   await topo.primary.query('CREATE DATABASE t');
 *   await topo.waitCaughtUp();
 * } finally {
 *   await topo.stop();
 * }
 * ```
 */
export async function startMariaDbTopology(options: MariaDbTopologyOptions): Promise<MariaDbTopology> {
  const { common, members, name, replicationTimeoutMs } = validateTopologyOptions(options);
  const created: MariaDbInstance[] = [];
  try {
    // Creation copies the template (built once, under a lock): do it in order, then start in parallel.
    for (const m of members) {
      created.push(
        await createMariaDbInstance(
          {
            ...common,
            name: m.name,
            serverId: m.serverId,
            port: undefined,
            readOnly: m.source !== undefined,
            host: LOOPBACK,
            netns: null,
            extraArgs: [...common.extraArgs, ...(m.extraArgs ?? [])],
          },
          { sourceName: m.source ?? null },
        ),
      );
    }
    common.logger.debug('starting topology', { name, members: members.map((m) => m.name) });
    const started = await Promise.allSettled(created.map((i) => i.start()));
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    const topology = new MariaDbTopology(created);
    for (const replica of topology.replicas) await wireReplica(replica, topology.instance(replica.sourceName ?? ''));
    await topology.waitReplicating({ timeoutMs: replicationTimeoutMs });
    return topology;
  } catch (err) {
    await Promise.allSettled(created.map((i) => i.destroy()));
    throw err;
  }
}
