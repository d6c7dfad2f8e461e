// The statements recovery sends, by flavour and version: MariaDB (MASTER_USE_GTID=slave_pos,
// MASTER_GTID_WAIT), MySQL 5.7/8.0 (MASTER_AUTO_POSITION, SLAVE words) and MySQL 8.0.22+/8.4
// (REPLICA words, CHANGE REPLICATION SOURCE TO ... SOURCE_AUTO_POSITION). Pure: the engine sends them.
import type { ServerVersion } from '../probe/probe-dialect.js';
import { replicaStatusStatements } from '../probe/probe-dialect.js';

/** A string literal for SQL (hosts and GTID positions only; never user data). */
export function sqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function atLeast(v: ServerVersion, major: number, minor: number, patch: number): boolean {
  if (v.major !== major) return v.major > major;
  if (v.minor !== minor) return v.minor > minor;
  return v.patch >= patch;
}

const isMariaDb = (v: ServerVersion): boolean => v.flavor === 'mariadb';
/** MySQL 8.0.22 renamed SLAVE to REPLICA in START/STOP/RESET/SHOW; 8.4 removed the old words. */
const usesReplicaWords = (v: ServerVersion): boolean => !isMariaDb(v) && atLeast(v, 8, 0, 22);
/** MySQL 8.0.23 added CHANGE REPLICATION SOURCE TO. */
const usesSourceWords = (v: ServerVersion): boolean => !isMariaDb(v) && atLeast(v, 8, 0, 23);

/**
 * The statements of one server's version.
 *
 * @example
 * const d = recoveryDialect(parseServerVersion('8.4.2'));
 * d.changeSource('db2', 3306); // "CHANGE REPLICATION SOURCE TO SOURCE_HOST='db2', SOURCE_PORT=3306, SOURCE_AUTO_POSITION=1"
 */
export interface RecoveryDialect {
  readonly version: ServerVersion;
  readonly gtidFlavor: 'mariadb' | 'mysql';
  /** Statements that read the replica status, best first. */
  readonly replicaStatus: readonly string[];
  readonly stopReplica: string;
  readonly stopIoThread: string;
  /** Undoes `stopIoThread` when a recovery fails before it changed anything else. */
  readonly startIoThread: string;
  readonly startReplica: string;
  readonly resetReplicaAll: string;
  /** Points the server at a new source by GTID, keeping its credentials. */
  changeSource(host: string, port: number): string;
  /** Sets the replication user of a server that has none yet (a demoted primary). */
  sourceCredentials(user: string, password: string): string;
  /** Detaches a lost replica the way orchestrator does: its source host prefixed with `//`. */
  detachSource(host: string): string;
  /**
   * Changes only the source host (detach-replica and reattach-replica). A file:pos replica passes
   * its executed coordinates, since a host change alone would reset them; a GTID replica passes
   * none, since naming a file would turn MariaDB's `MASTER_USE_GTID` off.
   */
  setSourceHost(host: string, coordinates?: { readonly file: string; readonly position: number }): string;
  /** Sets (or clears) read_only; on MySQL super_read_only with it. */
  setReadOnly(on: boolean): readonly string[];
  /** One row: `pos` = executed position (MariaDB gtid_slave_pos, MySQL gtid_executed), `binlog_pos` = own binlog position. */
  readonly positionQuery: string;
  /** One row, column `r`: 0 once `position` is executed; else the wait timed out. */
  waitForPosition(position: string, timeoutSeconds: number): string;
  /** One row: `read_only` (and `super_read_only` on MySQL). */
  readonly readOnlyQuery: string;
}

function setSourceHost(
  v: ServerVersion,
  host: string,
  coordinates?: { readonly file: string; readonly position: number },
): string {
  const w = usesSourceWords(v)
    ? { change: 'CHANGE REPLICATION SOURCE TO', p: 'SOURCE' }
    : { change: 'CHANGE MASTER TO', p: 'MASTER' };
  const at =
    coordinates === undefined
      ? ''
      : `, ${w.p}_LOG_FILE=${sqlString(coordinates.file)}, ${w.p}_LOG_POS=${Math.trunc(coordinates.position)}`;
  return `${w.change} ${w.p}_HOST=${sqlString(host)}${at}`;
}

/**
 * The {@link RecoveryDialect} of a server version.
 *
 * @example
 * recoveryDialect(parseServerVersion('10.11.6-MariaDB')).changeSource('10.0.0.2', 3306);
 * // "CHANGE MASTER TO MASTER_HOST='10.0.0.2', MASTER_PORT=3306, MASTER_USE_GTID=slave_pos"
 */
export function recoveryDialect(v: ServerVersion): RecoveryDialect {
  const maria = isMariaDb(v);
  const word = usesReplicaWords(v) ? 'REPLICA' : 'SLAVE';
  return {
    version: v,
    gtidFlavor: maria ? 'mariadb' : 'mysql',
    replicaStatus: replicaStatusStatements(v),
    stopReplica: `STOP ${word}`,
    stopIoThread: `STOP ${word} IO_THREAD`,
    startIoThread: `START ${word} IO_THREAD`,
    startReplica: `START ${word}`,
    resetReplicaAll: `RESET ${word} ALL`,
    changeSource: (host, port) =>
      maria
        ? `CHANGE MASTER TO MASTER_HOST=${sqlString(host)}, MASTER_PORT=${port}, MASTER_USE_GTID=slave_pos`
        : usesSourceWords(v)
          ? `CHANGE REPLICATION SOURCE TO SOURCE_HOST=${sqlString(host)}, SOURCE_PORT=${port}, SOURCE_AUTO_POSITION=1`
          : `CHANGE MASTER TO MASTER_HOST=${sqlString(host)}, MASTER_PORT=${port}, MASTER_AUTO_POSITION=1`,
    sourceCredentials: (user, password) =>
      usesSourceWords(v)
        ? `CHANGE REPLICATION SOURCE TO SOURCE_USER=${sqlString(user)}, SOURCE_PASSWORD=${sqlString(password)}`
        : `CHANGE MASTER TO MASTER_USER=${sqlString(user)}, MASTER_PASSWORD=${sqlString(password)}`,
    detachSource: (host) => setSourceHost(v, `//${host}`),
    setSourceHost: (host, coordinates) => setSourceHost(v, host, coordinates),
    setReadOnly: (on) =>
      maria
        ? [`SET GLOBAL read_only=${on ? 1 : 0}`]
        : on
          ? ['SET GLOBAL super_read_only=1']
          : ['SET GLOBAL super_read_only=0', 'SET GLOBAL read_only=0'],
    positionQuery: maria
      ? 'SELECT @@GLOBAL.gtid_slave_pos AS pos, @@GLOBAL.gtid_binlog_pos AS binlog_pos'
      : 'SELECT @@GLOBAL.gtid_executed AS pos, @@GLOBAL.gtid_executed AS binlog_pos',
    waitForPosition: (position, timeoutSeconds) =>
      maria
        ? `SELECT MASTER_GTID_WAIT(${sqlString(position)}, ${timeoutSeconds}) AS r`
        : `SELECT WAIT_FOR_EXECUTED_GTID_SET(${sqlString(position)}, ${timeoutSeconds}) AS r`,
    readOnlyQuery: maria
      ? 'SELECT @@GLOBAL.read_only AS read_only'
      : 'SELECT @@GLOBAL.read_only AS read_only, @@GLOBAL.super_read_only AS super_read_only',
  };
}

/** The write probe: orc's own table, so that it proves writability without touching user data. */
export const WRITE_PROBE_STATEMENTS: readonly string[] = [
  'CREATE DATABASE IF NOT EXISTS orc_meta',
  'CREATE TABLE IF NOT EXISTS orc_meta.write_probe (server_id INT UNSIGNED NOT NULL PRIMARY KEY, probed_at DATETIME(6) NOT NULL, recovery_uid VARCHAR(128) NOT NULL) ENGINE=InnoDB',
];

/** The probe's row write, stamped with the recovery's uid. */
export function writeProbeStatement(uid: string): string {
  return `REPLACE INTO orc_meta.write_probe (server_id, probed_at, recovery_uid) VALUES (@@server_id, NOW(6), ${sqlString(uid)})`;
}
