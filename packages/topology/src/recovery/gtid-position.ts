// Comparing executed positions between replicas. Uses the GTID parsers already in the package
// (analysis/errant-gtid.ts); it holds no parser of its own.
import { mysqlErrantGtid, parseMariaDbGtidList } from '../analysis/errant-gtid.js';

/** How a position is expressed: MariaDB `domain-server-seq` lists or MySQL UUID sets. */
export type GtidFlavor = 'mariadb' | 'mysql';

function mariaDbByDomain(position: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const [id, seq] of parseMariaDbGtidList(position)) {
    const domain = id.split('-')[0] ?? '';
    out.set(domain, Math.max(out.get(domain) ?? 0, seq));
  }
  return out;
}

/**
 * Whether position `a` holds every transaction of position `b`: on MariaDB, per replication
 * domain, `a`'s sequence number is at least `b`'s; on MySQL, `a`'s set contains `b`'s.
 *
 * @example
 * positionCovers('mariadb', '0-1-10,1-2-5', '0-1-9,1-2-5'); // true
 * positionCovers('mariadb', '0-1-10', '0-1-9,1-2-1');      // false: domain 1 is missing
 */
export function positionCovers(flavor: GtidFlavor, a: string, b: string): boolean {
  if (flavor === 'mysql') return mysqlErrantGtid(b, a, '') === '';
  const left = mariaDbByDomain(a);
  for (const [domain, seq] of mariaDbByDomain(b)) {
    if ((left.get(domain) ?? -1) < seq) return false;
  }
  return true;
}

/**
 * What `a` lacks of `b`, for the audit: MariaDB `domain:seqA<seqB` entries, MySQL the missing set.
 *
 * @example
 * positionGap('mariadb', '0-1-8', '0-1-10'); // '0:8<10'
 */
export function positionGap(flavor: GtidFlavor, a: string, b: string): string {
  if (flavor === 'mysql') return mysqlErrantGtid(b, a, '');
  const left = mariaDbByDomain(a);
  const gaps: string[] = [];
  for (const [domain, seq] of mariaDbByDomain(b)) {
    const have = left.get(domain);
    if (have === undefined || have < seq) gaps.push(`${domain}:${have ?? 'none'}<${seq}`);
  }
  return gaps.join(',');
}
