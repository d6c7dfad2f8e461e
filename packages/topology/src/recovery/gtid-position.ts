// Comparing executed positions between replicas, on the strict GTID module (../gtid).
import { MariaDbGtidList } from '../gtid/mariadb-gtid-list.js';
import { MysqlGtidSet } from '../gtid/mysql-gtid-set.js';

/** How a position is expressed: MariaDB `domain-server-seq` lists or MySQL UUID sets. */
export type GtidFlavor = 'mariadb' | 'mysql';

/**
 * Whether position `a` holds every transaction of position `b`: on MariaDB, per replication
 * domain (`gtid_slave_pos`), a higher seq_no or the same one from the same server; on MySQL,
 * `a`'s set contains `b`'s. A malformed position throws `INVALID_GTID_SET`.
 *
 * @example
 * positionCovers('mariadb', '0-1-10,1-2-5', '0-1-9,1-2-5'); // true
 * positionCovers('mariadb', '0-1-10', '0-1-9,1-2-1');      // false: domain 1 is missing
 */
export function positionCovers(flavor: GtidFlavor, a: string, b: string): boolean {
  if (flavor === 'mysql') return MysqlGtidSet.parse(a).contains(MysqlGtidSet.parse(b));
  return MariaDbGtidList.parse(a, 'gtid_slave_pos').isAtLeastAsAdvancedAs(MariaDbGtidList.parse(b, 'gtid_slave_pos'));
}

/**
 * What `a` lacks of `b`, for the audit: MariaDB `domain:seqA<seqB` entries (or `diverged`), MySQL
 * the missing set.
 *
 * @example
 * positionGap('mariadb', '0-1-8', '0-1-10'); // '0:8<10'
 */
export function positionGap(flavor: GtidFlavor, a: string, b: string): string {
  if (flavor === 'mysql') return MysqlGtidSet.parse(b).subtract(MysqlGtidSet.parse(a)).toString();
  const seq = (g: readonly { seqNo: bigint }[]): string => (g[0] === undefined ? 'none' : String(g[0].seqNo));
  return MariaDbGtidList.parse(a, 'gtid_slave_pos')
    .compare(MariaDbGtidList.parse(b, 'gtid_slave_pos'))
    .filter((d) => d.standing === 'BEHIND' || d.standing === 'MISSING' || d.standing === 'DIVERGED')
    .map((d) => (d.standing === 'DIVERGED' ? `${d.domainId}:diverged` : `${d.domainId}:${seq(d.a)}<${seq(d.b)}`))
    .join(',');
}
