/**
 * Errant GTID detection: transactions a replica executed that its primary never had. Such a
 * replica, promoted, would serve data the rest of the topology lacks. Pure functions over the
 * GTID texts the probe reads, on the strict sets of ../gtid: a malformed text throws
 * `INVALID_GTID_SET`, it is never read as "nothing errant".
 */
import { MariaDbGtidList } from '../gtid/mariadb-gtid-list.js';
import { MysqlGtidSet } from '../gtid/mysql-gtid-set.js';

/**
 * MySQL: the replica's `gtid_executed` minus the primary's, ignoring every GTID (tagged or not)
 * of the primary's own uuid: the replica cannot have executed more of the primary's transactions
 * than the primary, so an apparent surplus is only the two probes' different moments. Returns
 * the errant set's normalized text, '' when nothing is errant.
 *
 * @example
 * ```ts
 * mysqlErrantGtid(`${u1}:1-10,${u2}:1-5`, `${u1}:1-8,${u2}:1-3`, u1); // `${u2}:4-5`
 * ```
 */
export function mysqlErrantGtid(replicaExecuted: string, masterExecuted: string, masterUuid: string): string {
  const replica = MysqlGtidSet.parse(replicaExecuted);
  const master = MysqlGtidSet.parse(masterExecuted);
  return replica.withoutSources([masterUuid]).subtract(master).toString();
}

/**
 * MariaDB, over `@@gtid_binlog_state` (one entry per domain and server id): a replica entry is
 * errant when the primary has no entry for that domain and server at all, or when it is the
 * replica's own server id and goes beyond what the primary has (the replica wrote locally).
 * An entry of another server that is only ahead of the primary's is the probes' different
 * moments, not errant. Returns the errant entries' normalized text, '' when nothing is errant.
 *
 * @example
 * ```ts
 * mariaDbErrantGtid('0-1-100,0-2-3', '0-1-120', 2); // '0-2-3'
 * ```
 */
export function mariaDbErrantGtid(replicaState: string, masterState: string, replicaServerId: number): string {
  const replica = MariaDbGtidList.parse(replicaState, 'gtid_binlog_state');
  const master = MariaDbGtidList.parse(masterState, 'gtid_binlog_state');
  const known = new Set(master.entries().map((g) => `${g.domainId}-${g.serverId}`));
  const beyond = replica.subtract(master).entries();
  return MariaDbGtidList.of(
    beyond.filter((g) => !known.has(`${g.domainId}-${g.serverId}`) || g.serverId === replicaServerId),
  ).toString();
}
