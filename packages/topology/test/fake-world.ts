// A fake fleet for unit tests of discovery: servers described in memory, probed instantly (or
// held until released), with failures on demand. No sockets, no time.
import type { InstanceKey, ProbeFindings, ProbeOutcome, Prober, ReplicationStatus } from '../src/index.js';
import { TopologyError, parseInstanceKey, splitInstanceKey, NO_SEMI_SYNC } from '../src/index.js';
import type { TopologyConfigInput, TopologyErrorCode } from '../src/index.js';
import { DiscoveryLoop, InMemoryInstanceStore, validateTopologyConfig } from '../src/index.js';
import { ManualClock } from '@orc/testkit';
import { runningReplication } from './replication-status.js';

export interface FakeServer {
  master: InstanceKey | null;
  replicas: InstanceKey[];
  io: 'Yes' | 'No' | 'Connecting';
  sql: boolean;
  ioError: string;
  readOnly: boolean;
  failWith: TopologyErrorCode | null;
  hang: boolean;
  alias: string;
}

export const k = (s: string): InstanceKey => parseInstanceKey(s);

export function findingsOf(key: InstanceKey, s: FakeServer): ProbeFindings {
  const { host } = splitInstanceKey(key);
  const replication: ReplicationStatus | null =
    s.master === null
      ? null
      : runningReplication(s.master, {
          ioThreadState: s.io,
          isSqlThreadRunning: s.sql,
          lastIoErrno: s.ioError === '' ? 0 : 2003,
          lastIoError: s.ioError,
          secondsBehindMaster: s.io === 'Yes' && s.sql ? 0 : null,
        });
  return {
    hostname: host,
    reportHost: host,
    serverId: splitInstanceKey(key).port,
    serverUuid: '',
    version: '10.11.6-MariaDB-log',
    versionComment: '',
    flavor: 'mariadb',
    majorVersion: '10.11',
    uptimeSeconds: 100,
    isReadOnly: s.readOnly,
    hasLogBin: true,
    hasLogReplicaUpdates: true,
    binlogFormat: 'ROW',
    selfBinlogCoordinates: { file: 'bin.000001', position: 4 },
    gtidMode: '',
    executedGtidSet: '',
    gtidPurged: '',
    gtidCurrentPos: '',
    semiSync: NO_SEMI_SYNC,
    masterKey: s.master,
    replication,
    replicaKeys: s.replicas,
    isBinlogServer: false,
    dataCenter: '',
    region: '',
    physicalEnvironment: '',
    promotionRule: 'neutral',
    instanceAlias: '',
    suggestedClusterAlias: s.alias,
    clusterDomain: '',
  };
}

export class FakeWorld implements Prober {
  readonly servers = new Map<InstanceKey, FakeServer>();
  readonly probes: InstanceKey[] = [];
  readonly held: (() => void)[] = [];
  inFlight = 0;
  maxInFlight = 0;
  throwOn: InstanceKey | null = null;
  closed = false;

  add(key: string, master: string | null, extra: Partial<FakeServer> = {}): this {
    const kk = k(key);
    this.servers.set(kk, {
      master: master === null ? null : k(master),
      replicas: [],
      io: 'Yes',
      sql: true,
      ioError: '',
      readOnly: master !== null,
      failWith: null,
      hang: false,
      alias: '',
      ...extra,
    });
    if (master !== null) this.servers.get(k(master))?.replicas.push(kk);
    return this;
  }

  server(key: string): FakeServer {
    const s = this.servers.get(k(key));
    if (s === undefined) throw new Error(`no fake server ${key}`);
    return s;
  }

  count(key: string): number {
    return this.probes.filter((p) => p === k(key)).length;
  }

  async probe(key: InstanceKey): Promise<ProbeOutcome> {
    this.probes.push(key);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.throwOn === key) throw new Error('prober bug');
      const s = this.servers.get(key);
      if (s?.hang === true) await new Promise<void>((resolve) => this.held.push(resolve));
      if (s === undefined) {
        return {
          ok: false,
          key,
          error: new TopologyError('UNRESOLVABLE_HOST', `${key} does not resolve`),
          isPartialSuccess: false,
        };
      }
      if (s.failWith !== null) {
        return {
          ok: false,
          key,
          error: new TopologyError(s.failWith, `${key}: ${s.failWith}`),
          isPartialSuccess: false,
        };
      }
      return { ok: true, key, findings: findingsOf(key, s), warnings: [] };
    } finally {
      this.inFlight--;
    }
  }

  releaseAll(): void {
    for (const r of this.held.splice(0)) r();
  }

  forget(): void {}

  async close(): Promise<void> {
    this.closed = true;
  }
}

/**
 * The chained world the discovery tests share: p <- im <- r2, p <- r1 (p and im have replicas,
 * r1 and r2 do not).
 *
 * @example
 * ```ts
 * const world = chainWorld();
 * ```
 */
export function chainWorld(): FakeWorld {
  return new FakeWorld()
    .add('p:3306', null)
    .add('im:3306', 'p:3306')
    .add('r1:3306', 'p:3306')
    .add('r2:3306', 'im:3306');
}

/**
 * A discovery loop over `world` on a manual clock and an in-memory store, with `config` validated.
 *
 * @example
 * ```ts
 * const { clock, loop } = discoveryOver(chainWorld(), { discoverySeeds: ['p:3306'] });
 * await loop.start();
 * ```
 */
export function discoveryOver(world: FakeWorld, config: TopologyConfigInput) {
  const clock = new ManualClock();
  const store = new InMemoryInstanceStore();
  const loop = new DiscoveryLoop({ config: validateTopologyConfig(config), prober: world, store, clock });
  return { clock, store, loop };
}
