import { createConnection } from 'mysql2';
import type { Connection } from 'mysql2';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { TopologyError } from '../errors.js';
import type { Instance, PromotionRule, ReplicationStatus } from '../instance/instance.js';
import type { InstanceKey } from '../instance/instance-key.js';
import { instanceKey, splitInstanceKey } from '../instance/instance-key.js';
import type { Logger } from '../logger.js';
import { noopLogger } from '../logger.js';
import { placementFromHostname } from '../cluster/cluster-resolver.js';
import {
  PROCESSLIST_REPLICAS_QUERY,
  STATUS_QUERY,
  VARIABLES_QUERY,
  binlogStatusStatements,
  heartbeatStatements,
  isOn,
  nameValueRows,
  parseBinlogStatus,
  parseReplicaHosts,
  parseReplicationStatus,
  parseServerVersion,
  replicaHostsStatements,
  replicaStatusStatements,
  withMysqlHeartbeats,
} from './probe-dialect.js';
import { probeError } from './probe-errors.js';
import { FIRST_PROBE_PLAN, ProbeSession } from './probe-session.js';
import type { ProbeSettings } from './probe-settings.js';
import { connectBounded, discardConnection } from './discard-connection.js';

/** What one successful probe learns: the instance fields a server can tell about itself. */
export type ProbeFindings = Omit<
  Instance,
  | 'key'
  | 'clusterName'
  | 'replicationDepth'
  | 'isCoMaster'
  | 'lastCheckedAt'
  | 'lastSeenAt'
  | 'lastAttemptedCheckAt'
  | 'isLastCheckPartialSuccess'
  | 'lastProbeError'
  | 'binlogCoordinatesUnchangedSince'
  | 'replicationHeardAt'
>;

/** The outcome of probing one server. Never thrown: a failed probe is a value. */
export type ProbeOutcome =
  | {
      readonly ok: true;
      readonly key: InstanceKey;
      readonly findings: ProbeFindings;
      readonly warnings: readonly string[];
    }
  | {
      readonly ok: false;
      readonly key: InstanceKey;
      readonly error: TopologyError;
      /** The server answered the identity query before failing (orchestrator's partial success). */
      readonly isPartialSuccess: boolean;
    };

/** Something that probes servers: {@link InstanceProber} on real servers, fakes in tests. */
export interface Prober {
  probe(key: InstanceKey): Promise<ProbeOutcome>;
  /** Drops any connection kept to the server. */
  forget(key: InstanceKey): void;
  close(): Promise<void>;
}

const PROMOTION_RULES: readonly PromotionRule[] = ['must', 'prefer', 'neutral', 'prefer_not', 'must_not'];

/**
 * Probes servers over mysql2 under connect and read timeouts, keeping one idle connection per
 * server between probes. When a kept connection closes by itself (the server died or restarted),
 * `onConnectionLost` fires at once: the discovery loop uses it to re-probe without waiting for the
 * next poll.
 */
export class InstanceProber implements Prober {
  readonly #settings: ProbeSettings;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #onConnectionLost: (key: InstanceKey) => void;
  readonly #idle = new Map<InstanceKey, Connection>();
  /** Per server, the statements its last probe ran successfully: sent as one batch next time. */
  readonly #plans = new Map<InstanceKey, readonly string[]>();
  #closed = false;
  /** Leaf connections whose polite `end()` is still under way: close() must not leave them open. */
  readonly #ending = new Set<Connection>();

  constructor(
    settings: ProbeSettings,
    options: { logger?: Logger; clock?: Clock; onConnectionLost?: (key: InstanceKey) => void } = {},
  ) {
    this.#settings = Object.freeze({ ...settings });
    this.#logger = options.logger ?? noopLogger;
    this.#clock = options.clock ?? systemClock;
    this.#onConnectionLost = options.onConnectionLost ?? (() => {});
  }

  async probe(key: InstanceKey): Promise<ProbeOutcome> {
    if (this.#closed)
      return { ok: false, key, error: new TopologyError('STOPPED', 'prober closed'), isPartialSuccess: false };
    let conn: Connection;
    try {
      conn = this.#idle.get(key) ?? (await this.#connect(key));
      this.#idle.delete(key);
    } catch (error) {
      return { ok: false, key, error: probeError(error, key, 'connect'), isPartialSuccess: false };
    }
    const session = new ProbeSession(conn, this.#clock, this.#settings);
    let identified = false;
    try {
      if (!(await session.prefetch(this.#plans.get(key) ?? FIRST_PROBE_PLAN))) this.#plans.set(key, []);
      const vars = nameValueRows(await session.query(VARIABLES_QUERY));
      if (!vars.has('server_id') || !vars.has('version')) {
        throw new TopologyError('UNEXPECTED_RESPONSE', `probe of ${key}: server_id/version missing from variables`);
      }
      identified = true;
      const warnings: string[] = [];
      const findings = await this.#readAll(session, key, vars, warnings);
      session.finish();
      this.#plans.set(key, session.used.length >= 2 ? session.used : []);
      this.#keep(key, conn, findings.replication === null || findings.replicaKeys.length > 0);
      return { ok: true, key, findings, warnings };
    } catch (error) {
      session.finish();
      discardConnection(conn);
      return {
        ok: false,
        key,
        error: probeError(error, key, identified ? 'query' : 'identity'),
        isPartialSuccess: identified,
      };
    }
  }

  forget(key: InstanceKey): void {
    const conn = this.#idle.get(key);
    this.#idle.delete(key);
    this.#plans.delete(key);
    if (conn !== undefined) discardConnection(conn);
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const conn of this.#idle.values()) discardConnection(conn);
    this.#idle.clear();
    for (const conn of this.#ending) discardConnection(conn);
    this.#ending.clear();
  }

  /**
   * Keeps the connection of a server whose death matters at once (a primary, or a server with
   * replicas): its closing is the fastest failure signal there is. A leaf replica's connection is
   * closed after the probe: one connection per server would cost memory (about 25 KB each in
   * mysql2) for no faster detection, since no analysis waits on a leaf replica.
   */
  #keep(key: InstanceKey, conn: Connection, isWatched: boolean): void {
    if (this.#closed) {
      discardConnection(conn);
      return;
    }
    if (!isWatched) {
      this.#ending.add(conn);
      conn.end((error: unknown) => {
        this.#ending.delete(conn);
        if (error) discardConnection(conn);
      });
      return;
    }
    this.#idle.set(key, conn);
  }

  async #connect(key: InstanceKey): Promise<Connection> {
    const { host, port } = splitInstanceKey(key);
    const timeoutMs = this.#settings.connectTimeoutMs;
    const conn = createConnection({
      host,
      port,
      user: this.#settings.user,
      password: this.#settings.password,
      connectTimeout: timeoutMs,
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: true,
      // The probe never prepares statements; mysql2's per-connection statement cache would
      // otherwise preallocate about half a megabyte per connection (16,000 slots).
      maxPreparedStatements: 1,
      // Only for the probe's own batch of constant statements (see #prefetch).
      multipleStatements: true,
    });
    conn.on('error', (error: unknown) => {
      // An idle kept connection that breaks: the server went away. Errors during a query reach
      // the query's callback too; this handler only has to notice idle losses.
      if (this.#idle.get(key) === conn) {
        this.#idle.delete(key);
        discardConnection(conn);
        this.#logger.info('probe connection lost', { key, error: String(error) });
        this.#onConnectionLost(key);
      }
    });
    conn.on('end', () => {
      if (this.#idle.get(key) === conn) {
        this.#idle.delete(key);
        this.#onConnectionLost(key);
      }
    });
    await connectBounded(conn, this.#clock, timeoutMs, {
      onTimeout: () => Object.assign(new Error(`connect timed out after ${timeoutMs} ms`), { code: 'ETIMEDOUT' }),
      onError: (error) => error,
    });
    return conn;
  }

  async #readAll(
    session: ProbeSession,
    key: InstanceKey,
    vars: Map<string, string>,
    warnings: string[],
  ): Promise<ProbeFindings> {
    const s = this.#settings;
    const version = parseServerVersion(vars.get('version') ?? '', vars.get('version_comment') ?? '');
    const status = nameValueRows(await session.firstUsable([STATUS_QUERY], warnings));
    const hasLogBin = isOn(vars.get('log_bin'));
    const binlogRows = hasLogBin ? await session.firstUsable(binlogStatusStatements(version), warnings) : [];
    const replRows = await session.firstUsable(replicaStatusStatements(version), warnings);
    let replication = replRows[0] === undefined ? null : withHeartbeats(parseReplicationStatus(replRows[0]), status);
    const heartbeatQueries = heartbeatStatements(version);
    if (replication !== null && heartbeatQueries.length > 0) {
      const [row] = await session.firstUsable(heartbeatQueries, warnings);
      replication = withMysqlHeartbeats(replication, row);
    }
    let masterKey: InstanceKey | null = null;
    if (replication !== null && replication.masterHost !== '' && replication.masterPort > 0) {
      try {
        masterKey = instanceKey(replication.masterHost, replication.masterPort);
      } catch {
        warnings.push(`unusable source host ${JSON.stringify(replication.masterHost)}`);
      }
    }
    if (replication !== null && s.replicationLagQuery) {
      const lag = await session.singleValue(s.replicationLagQuery, warnings);
      if (lag !== '' && Number.isFinite(Number(lag))) {
        Object.assign(replication, { secondsBehindMaster: Number(lag) });
      }
    }
    const replicaKeys = await this.#replicas(session, key, version, status.get('slaves_connected'), warnings);

    const { host } = splitInstanceKey(key);
    const byPattern = placementFromHostname(host, s);
    const dataCenter = (await session.singleValue(s.detectDataCenterQuery, warnings)) || byPattern.dataCenter;
    const region = (await session.singleValue(s.detectRegionQuery, warnings)) || byPattern.region;
    const physicalEnvironment =
      (await session.singleValue(s.detectPhysicalEnvironmentQuery, warnings)) || byPattern.physicalEnvironment;
    const rule = await session.singleValue(s.detectPromotionRuleQuery, warnings);
    if (rule !== '' && !PROMOTION_RULES.includes(rule as PromotionRule)) {
      warnings.push(`DetectPromotionRuleQuery answered ${JSON.stringify(rule)}: not a promotion rule`);
    }
    const suggestedClusterAlias = await session.singleValue(s.detectClusterAliasQuery, warnings);
    const clusterDomain = replication === null ? await session.singleValue(s.detectClusterDomainQuery, warnings) : '';
    const instanceAlias = await session.singleValue(s.detectInstanceAliasQuery, warnings);

    const isMaria = version.flavor === 'mariadb';
    const semiMasterEnabled = isOn(
      vars.get('rpl_semi_sync_master_enabled') ?? vars.get('rpl_semi_sync_source_enabled'),
    );
    const waitCount = Number(
      vars.get('rpl_semi_sync_master_wait_for_slave_count') ??
        vars.get('rpl_semi_sync_source_wait_for_replica_count') ??
        '1',
    );
    return {
      hostname: vars.get('hostname') ?? '',
      reportHost: vars.get('report_host') ?? '',
      serverId: Number(vars.get('server_id') ?? 0),
      serverUuid: vars.get('server_uuid') ?? '',
      version: vars.get('version') ?? '',
      versionComment: vars.get('version_comment') ?? '',
      flavor: version.flavor,
      majorVersion: version.majorVersion,
      uptimeSeconds: Number(status.get('uptime') ?? 0),
      isReadOnly: isOn(vars.get('read_only')),
      hasLogBin,
      hasLogReplicaUpdates: isOn(vars.get('log_slave_updates') ?? vars.get('log_replica_updates')),
      binlogFormat: (vars.get('binlog_format') ?? '').toUpperCase(),
      selfBinlogCoordinates: parseBinlogStatus(binlogRows[0]),
      gtidMode: isMaria ? '' : (vars.get('gtid_mode') ?? ''),
      executedGtidSet: isMaria ? (vars.get('gtid_binlog_state') ?? '') : (vars.get('gtid_executed') ?? ''),
      gtidPurged: vars.get('gtid_purged') ?? '',
      gtidCurrentPos: vars.get('gtid_current_pos') ?? '',
      semiSync: {
        isMasterEnabled: semiMasterEnabled,
        isMasterActive: isOn(status.get('rpl_semi_sync_master_status') ?? status.get('rpl_semi_sync_source_status')),
        masterWaitForReplicaCount: semiMasterEnabled ? (Number.isFinite(waitCount) ? waitCount : 1) : 0,
        masterClients: Number(
          status.get('rpl_semi_sync_master_clients') ?? status.get('rpl_semi_sync_source_clients') ?? 0,
        ),
        isReplicaEnabled: isOn(vars.get('rpl_semi_sync_slave_enabled') ?? vars.get('rpl_semi_sync_replica_enabled')),
        isReplicaActive: isOn(status.get('rpl_semi_sync_slave_status') ?? status.get('rpl_semi_sync_replica_status')),
      },
      masterKey,
      replication,
      replicaKeys,
      isBinlogServer: false,
      dataCenter,
      region,
      physicalEnvironment,
      promotionRule: PROMOTION_RULES.includes(rule as PromotionRule) ? (rule as PromotionRule) : 'neutral',
      instanceAlias,
      suggestedClusterAlias,
      clusterDomain,
    };
  }

  /**
   * Replicas by SHOW SLAVE HOSTS / SHOW REPLICAS (report_host, report_port). Replicas that do not
   * report a host, or a server that refuses the statement, fall back to the processlist, where
   * only the address is known: the replica's port is assumed to be this server's, and this
   * server's own key is never listed as its replica (all servers on one address would otherwise
   * make the primary its own replica).
   */
  async #replicas(
    session: ProbeSession,
    key: InstanceKey,
    version: ReturnType<typeof parseServerVersion>,
    slavesConnected: string | undefined,
    warnings: string[],
  ): Promise<InstanceKey[]> {
    // MariaDB's Slaves_connected says when no replica is connected: then neither SHOW SLAVE HOSTS
    // nor the processlist can list one, and the probe saves a query on every leaf replica.
    if (slavesConnected === '0') return [];
    const out = new Set<InstanceKey>();
    const reported = parseReplicaHosts(await session.firstUsable(replicaHostsStatements(version), warnings));
    let needFallback = reported.length === 0 || reported.some((r) => r.host === '');
    for (const r of reported) {
      if (r.host === '' || r.port <= 0) continue;
      try {
        out.add(instanceKey(r.host, r.port));
      } catch {
        needFallback = true;
      }
    }
    if (needFallback) {
      const { port } = splitInstanceKey(key);
      const rows = await session.firstUsable([PROCESSLIST_REPLICAS_QUERY], warnings);
      for (const row of rows) {
        const host = String(row['host'] ?? row['HOST'] ?? '');
        if (host === '') continue;
        const candidate = instanceKey(host, port);
        if (candidate !== key && ![...out].some((k) => splitInstanceKey(k).host === host)) out.add(candidate);
      }
    }
    out.delete(key);
    return [...out].sort();
  }
}

/**
 * MariaDB's SHOW SLAVE STATUS lacks the heartbeat columns SHOW ALL SLAVES STATUS has; its global
 * status carries them for the default connection, which is the one orc manages.
 */
function withHeartbeats(rep: ReplicationStatus, status: Map<string, string>): ReplicationStatus {
  const fromStatus = (name: string): number | null => {
    const v = status.get(name);
    if (v === undefined || v === '') return null;
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  };
  return {
    ...rep,
    receivedHeartbeats: rep.receivedHeartbeats ?? fromStatus('slave_received_heartbeats'),
    heartbeatPeriodSeconds: rep.heartbeatPeriodSeconds ?? fromStatus('slave_heartbeat_period'),
  };
}
