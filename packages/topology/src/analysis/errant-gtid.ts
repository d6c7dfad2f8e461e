/**
 * Errant GTID detection: transactions a replica executed that its primary never had. Such a
 * replica, promoted, would serve data the rest of the topology lacks. Pure functions over the GTID
 * state strings the probe reads.
 */

interface Interval {
  start: number;
  end: number;
}

/** Parses a MySQL GTID set (`uuid:1-5:7,uuid2:1-3`) into sorted intervals per UUID. */
export function parseMysqlGtidSet(set: string): Map<string, Interval[]> {
  const out = new Map<string, Interval[]>();
  for (const part of set.replace(/\s+/g, '').split(',')) {
    if (part === '') continue;
    const [uuid, ...ranges] = part.split(':');
    if (uuid === undefined || uuid === '') continue;
    const list = out.get(uuid.toLowerCase()) ?? [];
    for (const r of ranges) {
      const [a, b] = r.split('-');
      const start = Number(a);
      const end = b === undefined ? start : Number(b);
      if (Number.isFinite(start) && Number.isFinite(end)) list.push({ start, end });
    }
    list.sort((x, y) => x.start - y.start);
    out.set(uuid.toLowerCase(), list);
  }
  return out;
}

function subtractIntervals(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const iv of a) {
    let pieces: Interval[] = [{ ...iv }];
    for (const cut of b) {
      const next: Interval[] = [];
      for (const p of pieces) {
        if (cut.end < p.start || cut.start > p.end) next.push(p);
        else {
          if (cut.start > p.start) next.push({ start: p.start, end: cut.start - 1 });
          if (cut.end < p.end) next.push({ start: cut.end + 1, end: p.end });
        }
      }
      pieces = next;
    }
    out.push(...pieces);
  }
  return out;
}

/**
 * MySQL: the replica's executed set minus the primary's, ignoring the primary's own UUID (the
 * replica cannot have executed more of the primary's transactions than the primary; an apparent
 * surplus is only the two probes' different moments). Returns '' when nothing is errant.
 */
export function mysqlErrantGtid(replicaExecuted: string, masterExecuted: string, masterUuid: string): string {
  const replica = parseMysqlGtidSet(replicaExecuted);
  const master = parseMysqlGtidSet(masterExecuted);
  const parts: string[] = [];
  for (const [uuid, intervals] of replica) {
    if (uuid === masterUuid.toLowerCase()) continue;
    const rest = subtractIntervals(intervals, master.get(uuid) ?? []);
    if (rest.length > 0) {
      parts.push(`${uuid}:${rest.map((r) => (r.start === r.end ? `${r.start}` : `${r.start}-${r.end}`)).join(':')}`);
    }
  }
  return parts.join(',');
}

/** Parses a MariaDB GTID list (`domain-server-seq,...`) into a map `domain-server` -> highest seq. */
export function parseMariaDbGtidList(list: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of list.replace(/\s+/g, '').split(',')) {
    const m = /^(\d+)-(\d+)-(\d+)$/.exec(part);
    if (!m) continue;
    const id = `${m[1]}-${m[2]}`;
    out.set(id, Math.max(out.get(id) ?? 0, Number(m[3])));
  }
  return out;
}

/**
 * MariaDB, over `@@gtid_binlog_state` (one entry per domain and server id): a replica entry is
 * errant when the primary has no entry for that domain and server at all, or when the entry is the
 * replica's own server id and goes beyond what the primary has. Returns '' when nothing is errant.
 */
export function mariaDbErrantGtid(replicaState: string, masterState: string, replicaServerId: number): string {
  const replica = parseMariaDbGtidList(replicaState);
  const master = parseMariaDbGtidList(masterState);
  const errant: string[] = [];
  for (const [id, seq] of replica) {
    const masterSeq = master.get(id);
    const serverId = Number(id.split('-')[1]);
    if (masterSeq === undefined || (serverId === replicaServerId && seq > masterSeq)) errant.push(`${id}-${seq}`);
  }
  return errant.join(',');
}
