// Shared parts of the recovery integration tests (and the failover bench): a real MariaDB
// topology from @orc/testenv watched by OrcTopology, a continuous writer, and the recovery engine
// wired to a SQLite backend store.
import type { Connection } from 'mysql2/promise';
import { createConnection } from 'mysql2/promise';
import { Backend, validateBackendConfig } from '@orc/backend';
import type { MariaDbInstance, MariaDbTopology, TopologyShape } from '@orc/testenv';
import { startMariaDbTopology } from '@orc/testenv';
import { waitFor } from '@orc/testkit';
import type { DeadMasterRequest, RecoveryConfigInput, RecoveryKvPublisher, ReplicationAnalysis } from '../src/index.js';
import {
  BackendRecoveryStore,
  Mysql2Connector,
  OrcTopology,
  RecoveryEngine,
  deadMasterRequest,
  instanceKey,
  systemClock,
  validateRecoveryConfig,
} from '../src/index.js';
export interface RecoveryWorld {
  readonly servers: MariaDbTopology;
  readonly topology: OrcTopology;
  readonly backend: Backend;
  readonly store: BackendRecoveryStore;
  readonly engine: RecoveryEngine;
  keyOf(server: MariaDbInstance): ReturnType<typeof instanceKey>;
  byKey(key: string): MariaDbInstance;
  /** Waits (30 s at most) for an analysis of `server` whose code starts with `codePrefix`, and returns it. */
  analysisOf(server: MariaDbInstance, codePrefix: string): Promise<ReplicationAnalysis>;
  /** Waits for a dead-primary analysis of `server` and returns the recovery request built from it. */
  deadMasterRequestFor(server: MariaDbInstance): Promise<DeadMasterRequest>;
  close(): Promise<void>;
}

/** Starts servers, grants orc its write-probe schema, discovers them, and builds the engine. */
export async function startRecoveryWorld(
  shape: TopologyShape,
  options: {
    config?: RecoveryConfigInput;
    kv?: RecoveryKvPublisher;
    name?: string;
    pollSeconds?: number;
    /** Servers started elsewhere (e.g. in network namespaces) instead of a `shape` from testenv. */
    servers?: MariaDbTopology;
  } = {},
): Promise<RecoveryWorld> {
  const servers =
    options.servers ??
    (await startMariaDbTopology({ shape, ...(options.name === undefined ? {} : { name: options.name }) }));
  await servers.primary.query(`GRANT ALL ON orc_meta.* TO '${servers.orcUser.user}'@'%'`);
  await servers.waitCaughtUp();
  const backend = new Backend(validateBackendConfig({ dialect: 'sqlite', sqlite: { file: ':memory:' } }));
  await backend.open();
  const store = new BackendRecoveryStore(backend, { hostname: 'orc-test', token: 'integration' });
  const topology = new OrcTopology({
    config: {
      discoverySeeds: [instanceKey(servers.primary.host, servers.primary.port)],
      mysqlTopologyUser: servers.orcUser.user,
      mysqlTopologyPassword: servers.orcUser.password,
      instancePollSeconds: options.pollSeconds ?? 1,
      mysqlConnectTimeoutSeconds: 1,
      clusterNameToAlias: { '.*': 'main' },
    },
  });
  await topology.start();
  const all = servers.instances.length;
  await waitFor(
    'every server discovered',
    () => topology.instances().filter((i) => i.lastSeenAt !== null && i.clusterName !== '').length === all,
    {
      timeoutMs: 30_000,
    },
  );
  const connector = new Mysql2Connector({
    user: servers.orcUser.user,
    password: servers.orcUser.password,
    connectTimeoutMs: 1000,
    statementTimeoutMs: 5000,
    clock: systemClock,
  });
  const engine = new RecoveryEngine({
    config: validateRecoveryConfig({ recoverMasterClusterFilters: ['*'], ...options.config }),
    store,
    connector,
    clock: systemClock,
    ...(options.kv === undefined ? {} : { kv: options.kv }),
  });
  const keyOf = (s: MariaDbInstance): ReturnType<typeof instanceKey> => instanceKey(s.host, s.port);
  const world: RecoveryWorld = {
    servers,
    topology,
    backend,
    store,
    engine,
    keyOf,
    byKey: (key) => {
      const s = servers.instances.find((i) => keyOf(i) === key);
      if (s === undefined) throw new Error(`no server ${key}`);
      return s;
    },
    async analysisOf(server, codePrefix) {
      const key = keyOf(server);
      return waitFor(
        `a ${codePrefix} analysis of ${key}`,
        async () =>
          (await topology.analysis()).find(
            (e) =>
              instanceKey(e.AnalyzedInstanceKey.Hostname, e.AnalyzedInstanceKey.Port) === key &&
              e.Analysis.startsWith(codePrefix),
          ),
        {
          timeoutMs: 30_000,
          diagnose: () =>
            topology.instances().map((i) => [i.key, i.lastProbeError?.code, i.replication?.ioThreadState]),
        },
      );
    },
    async deadMasterRequestFor(server) {
      const entry = await world.analysisOf(server, 'DeadMaster');
      const request = deadMasterRequest(entry, { now: Date.now(), instances: topology.instances() });
      if (request === undefined) throw new Error(`${entry.Analysis} is not a dead-primary code`);
      return request;
    },
    async close() {
      engine.stop();
      await topology.stop();
      await backend.close();
      await servers.stop();
    },
  };
  return world;
}

/** A writer committing one row at a time to `t.w` on a server until it fails or is stopped. */
export interface Writer {
  /** Ids whose INSERT returned (committed on the primary). */
  readonly acknowledged: number[];
  /** Why the stream ended (the primary's death), undefined while it runs or after stop(). */
  readonly endedBy: () => unknown;
  stop(): Promise<void>;
}

export async function startWriter(server: MariaDbInstance, everyMs = 2): Promise<Writer> {
  await server.query(
    'CREATE DATABASE IF NOT EXISTS t; CREATE TABLE IF NOT EXISTS t.w (id INT PRIMARY KEY, at DATETIME(6))',
  );
  let endedBy: unknown;
  const conn: Connection = await createConnection({ ...server.connectionConfig(), connectTimeout: 1000 });
  conn.on('error', (error: unknown) => {
    endedBy ??= error;
  });
  const acknowledged: number[] = [];
  let running = true;
  let next = 1;
  const loop = (async () => {
    while (running) {
      try {
        await conn.query('INSERT INTO t.w VALUES (?, NOW(6))', [next]);
        acknowledged.push(next++);
      } catch (error) {
        // The primary was killed: the stream ends, as a client's would; the test reads why.
        endedBy = error;
        return;
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    acknowledged,
    endedBy: () => endedBy,
    async stop() {
      running = false;
      await loop;
      conn.destroy();
    },
  };
}

/** The ids in t.w on a server. */
export async function idsOn(server: MariaDbInstance): Promise<Set<number>> {
  const rows = (await server.query('SELECT id FROM t.w')) as { id: number }[];
  return new Set(rows.map((r) => r.id));
}

/** `SHOW SLAVE STATUS` of a server as an object (undefined when it does not replicate). */
export async function replicaStatus(server: MariaDbInstance): Promise<Record<string, unknown> | undefined> {
  const rows = (await server.query('SHOW SLAVE STATUS')) as Record<string, unknown>[];
  return rows[0];
}

/** A connection to `server` as another user (an application writer), bounded at connect. */
export function connectAs(server: MariaDbInstance, user: { user: string; password: string }): Promise<Connection> {
  return createConnection({ ...server.connectionConfig(user), connectTimeout: 1000 });
}
