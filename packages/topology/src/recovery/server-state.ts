import type { Clock } from '../clock.js';
// Reading a server's live state during a recovery (the discovery snapshot may be seconds old),
// and waiting on conditions with deadlines through the injected clock.
import type { ReplicationStatus } from '../instance/instance.js';
import type { ServerVersion } from '../probe/probe-dialect.js';
import { isOn, parseReplicationStatus, parseServerVersion } from '../probe/probe-dialect.js';
import { isUnusableStatement } from '../probe/probe-errors.js';
import type { RecoveryDialect } from './recovery-dialect.js';
import { recoveryDialect } from './recovery-dialect.js';
import type { ServerSession, SqlRow } from './recovery-ports.js';

/** What recovery needs to know of a server, read now. */
export interface LiveServerState {
  readonly version: ServerVersion;
  readonly serverId: number;
  readonly isReadOnly: boolean;
  readonly hasLogBin: boolean;
  readonly hasLogReplicaUpdates: boolean;
  readonly binlogFormat: string;
  /** Executed position (MariaDB gtid_slave_pos, MySQL gtid_executed). */
  readonly position: string;
  /** The server's own binlog GTID position (MariaDB gtid_binlog_pos). */
  readonly binlogPosition: string;
  readonly replication: ReplicationStatus | null;
}

const str = (row: SqlRow | undefined, name: string): string => {
  const v = row?.[name];
  return v === null || v === undefined ? '' : String(v);
};

/** The first replica-status statement the server accepts; null when it does not replicate. */
export async function readReplicationStatus(
  session: ServerSession,
  dialect: RecoveryDialect,
): Promise<ReplicationStatus | null> {
  let last: unknown;
  for (const sql of dialect.replicaStatus) {
    try {
      const rows = await session.query(sql);
      return rows[0] === undefined ? null : parseReplicationStatus(rows[0]);
    } catch (error) {
      if (!isUnusableStatement(error)) throw error;
      last = error;
    }
  }
  throw last;
}

/** Reads the version first (it decides the statements), then the rest. */
export async function readServerState(
  session: ServerSession,
): Promise<{ state: LiveServerState; dialect: RecoveryDialect }> {
  const [v] = await session.query('SELECT @@GLOBAL.version AS version, @@GLOBAL.version_comment AS version_comment');
  const version = parseServerVersion(str(v, 'version'), str(v, 'version_comment'));
  const dialect = recoveryDialect(version);
  // MySQL 8.4 knows only log_replica_updates; MariaDB and older MySQL only log_slave_updates.
  const updates =
    version.flavor !== 'mariadb' && version.major * 100 + version.minor >= 804
      ? 'log_replica_updates'
      : 'log_slave_updates';
  const [ident] = await session.query(
    `SELECT @@GLOBAL.server_id AS server_id, @@GLOBAL.read_only AS read_only, @@GLOBAL.log_bin AS log_bin, @@GLOBAL.${updates} AS log_slave_updates, @@GLOBAL.binlog_format AS binlog_format`,
  );
  const [pos] = await session.query(dialect.positionQuery);
  const replication = await readReplicationStatus(session, dialect);
  return {
    dialect,
    state: {
      version,
      serverId: Number(str(ident, 'server_id')),
      isReadOnly: isOn(str(ident, 'read_only')),
      hasLogBin: isOn(str(ident, 'log_bin')),
      hasLogReplicaUpdates: isOn(str(ident, 'log_slave_updates')),
      binlogFormat: str(ident, 'binlog_format'),
      position: str(pos, 'pos').replace(/\s+/g, ''),
      binlogPosition: str(pos, 'binlog_pos').replace(/\s+/g, ''),
      replication,
    },
  };
}

/** The SQL thread has executed everything the IO thread read (coordinates of the source's binlog). */
export function hasAppliedRelayLog(r: ReplicationStatus | null): boolean {
  if (r === null) return true;
  const read = r.readBinlogCoordinates;
  const exec = r.execBinlogCoordinates;
  if (read === null || exec === null) return read === exec;
  return read.file === exec.file && read.position === exec.position;
}

/** Resolves after `ms` on the injected clock. */
export function pause(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimer(ms, resolve));
}

/**
 * Polls `probe` until it returns a value or the monotonic `deadline` passes (then undefined).
 * The pause between tries is a poll interval, never the condition itself.
 *
 * @example
 * const ok = await waitUntil(clock, clock.now() + 5000, 50, async () => ((await isCaughtUp()) ? true : undefined));
 */
export async function waitUntil<T>(
  clock: Clock,
  deadline: number,
  intervalMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T | undefined> {
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    const left = deadline - clock.now();
    if (left <= 0) return undefined;
    await pause(clock, Math.min(intervalMs, left));
  }
}
