import { GtidProblems, parseUnsigned, quotePart } from './gtid-errors.js';

/**
 * The largest domain id and server id MariaDB accepts (32-bit unsigned).
 *
 * @example
 * ```ts
 * MariaDbGtidList.parse(`0-${MARIADB_MAX_ID + 1}-1`, 'gtid_slave_pos'); // throws INVALID_GTID_SET
 * ```
 */
export const MARIADB_MAX_ID = 2 ** 32 - 1;
/**
 * The largest seq_no MariaDB accepts (64-bit unsigned).
 *
 * @example
 * ```ts
 * MariaDbGtidList.parse(`0-1-${MARIADB_MAX_SEQ}`, 'gtid_slave_pos').entries()[0]?.seqNo === MARIADB_MAX_SEQ; // true
 * ```
 */
export const MARIADB_MAX_SEQ = 2n ** 64n - 1n;

/**
 * One MariaDB GTID, `domain-server-seq`.
 *
 * @example
 * ```ts
 * MariaDbGtidList.parse('0-1-100', 'gtid_current_pos').entries(); // [{ domainId: 0, serverId: 1, seqNo: 100n }]
 * ```
 */
export interface MariaDbGtid {
  readonly domainId: number;
  readonly serverId: number;
  readonly seqNo: bigint;
}

/**
 * Which variable a list was read from, which fixes how many entries a domain may have:
 * the positions (`gtid_slave_pos`, `gtid_binlog_pos`, `gtid_current_pos`) hold one GTID per
 * domain, the last one applied or logged; `gtid_binlog_state` holds the last GTID per domain
 * AND server id that the binlogs contain.
 *
 * @example
 * ```ts
 * const variable: MariaDbGtidVariable = 'gtid_binlog_state';
 * ```
 */
export type MariaDbGtidVariable = 'gtid_slave_pos' | 'gtid_binlog_pos' | 'gtid_current_pos' | 'gtid_binlog_state';

/**
 * How one domain of A stands against the same domain of B in {@link MariaDbGtidList.compare}.
 *
 * @example
 * ```ts
 * const blocking: MariaDbDomainStanding[] = ['BEHIND', 'DIVERGED', 'MISSING'];
 * ```
 */
export type MariaDbDomainStanding =
  /** Same seq_no and the same server id(s) at it. */
  | 'EQUAL'
  /** A's seq_no is higher. */
  | 'AHEAD'
  /** A's seq_no is lower. */
  | 'BEHIND'
  /** Same seq_no written by different servers: two histories, neither contains the other. */
  | 'DIVERGED'
  /** B has the domain, A has none. */
  | 'MISSING'
  /** A has the domain, B has none. */
  | 'EXTRA';

/**
 * One domain's verdict of {@link MariaDbGtidList.compare}.
 *
 * @example
 * ```ts
 * for (const d of candidate.compare(lost)) if (d.standing === 'BEHIND') log.warn('candidate behind', { domain: d.domainId });
 * ```
 */
export interface MariaDbDomainComparison {
  readonly domainId: number;
  readonly standing: MariaDbDomainStanding;
  /** A's last GTID(s) in the domain (several only for a `gtid_binlog_state`-shaped list). */
  readonly a: readonly MariaDbGtid[];
  readonly b: readonly MariaDbGtid[];
}

const ENTRY = /^(\d+)-(\d+)-(\d+)$/;
const keyOf = (g: MariaDbGtid): string => `${g.domainId}-${g.serverId}`;
const byDomainServer = (x: MariaDbGtid, y: MariaDbGtid): number => x.domainId - y.domainId || x.serverId - y.serverId;
const formatGtid = (g: MariaDbGtid): string => `${g.domainId}-${g.serverId}-${g.seqNo}`;

/**
 * A MariaDB GTID list, immutable: at most one GTID per (domain, server id), the last one. It
 * holds a position (`gtid_slave_pos`, `gtid_binlog_pos`, `gtid_current_pos`: one GTID per
 * domain) or a binlog state (`gtid_binlog_state`: one per domain and server).
 *
 * Two views, on purpose:
 * - **As a set** (`union`, `subtract`, `contains`, `equals`): per (domain, server id), the
 *   higher seq_no covers the lower. This is the view for `gtid_binlog_state`, where it is exact.
 * - **As a position** (`compare`, `isAtLeastAsAdvancedAs`): per domain, seq_no decides, since
 *   MariaDB numbers a domain's transactions in one sequence whichever server writes them. The
 *   server id matters only at an equal seq_no: `0-1-100` and `0-2-100` are two different
 *   transactions at the same place, so neither position is at least as advanced as the other
 *   (`DIVERGED`). A higher seq_no from another server counts as ahead; a position cannot show
 *   whether that history holds the other server's transaction (compare binlog states for that).
 *
 * @example
 * ```ts
 * const candidate = MariaDbGtidList.parse('0-1-120,1-3-7', 'gtid_current_pos');
 * const lost = MariaDbGtidList.parse('0-1-118', 'gtid_binlog_pos');
 * candidate.isAtLeastAsAdvancedAs(lost); // true
 * ```
 */
export class MariaDbGtidList {
  /** The empty list (`''`). */
  static readonly EMPTY = new MariaDbGtidList([]);

  /** Sorted by domain, then server id. */
  readonly #entries: readonly MariaDbGtid[];

  private constructor(entries: readonly MariaDbGtid[]) {
    this.#entries = Object.freeze(entries);
  }

  /**
   * Parses `domain-server-seq` entries separated by `,` (whitespace and newlines around them
   * allowed). For a position variable a second entry for a domain is an error, for
   * `gtid_binlog_state` a second entry for a (domain, server id). Throws `INVALID_GTID_SET`
   * naming every malformed part; nothing is skipped.
   */
  static parse(text: string, variable: MariaDbGtidVariable): MariaDbGtidList {
    const problems = new GtidProblems(`MariaDB ${variable} ${quotePart(text)}`);
    if (text.trim() === '') return MariaDbGtidList.EMPTY;
    const isState = variable === 'gtid_binlog_state';
    const seen = new Map<string, number>();
    const entries: MariaDbGtid[] = [];
    text.split(',').forEach((rawPart, index) => {
      const part = rawPart.trim();
      const path = String(index);
      const m = ENTRY.exec(part);
      if (m === null) {
        problems.add(
          path,
          part === ''
            ? 'empty part (two commas in a row, or a comma at an end)'
            : `${quotePart(part)} is not domain-server-seq`,
        );
        return;
      }
      const domainId = Number(m[1]);
      const serverId = Number(m[2]);
      const seqNo = parseUnsigned(m[3]!)!;
      if (domainId > MARIADB_MAX_ID || serverId > MARIADB_MAX_ID || seqNo > MARIADB_MAX_SEQ) {
        problems.add(path, `${quotePart(part)}: domain and server id must be < 2^32, seq_no < 2^64`);
        return;
      }
      const key = isState ? `${domainId}-${serverId}` : `${domainId}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        const what = isState ? `domain ${domainId} and server ${serverId}` : `domain ${domainId}`;
        problems.add(
          path,
          `${quotePart(part)} repeats ${what} of part ${earlier}; ${variable} holds one GTID per ${isState ? 'domain and server' : 'domain'}`,
        );
        return;
      }
      seen.set(key, index);
      entries.push({ domainId, serverId, seqNo });
    });
    problems.throwIfAny();
    return new MariaDbGtidList(entries.sort(byDomainServer));
  }

  /**
   * A list from GTIDs; per (domain, server id) the highest seq_no is kept.
   *
   * @example
   * ```ts
   * MariaDbGtidList.of([{ domainId: 0, serverId: 1, seqNo: 5n }]).toString(); // '0-1-5'
   * ```
   */
  static of(gtids: Iterable<MariaDbGtid>): MariaDbGtidList {
    const best = new Map<string, MariaDbGtid>();
    for (const g of gtids) {
      const k = keyOf(g);
      const prev = best.get(k);
      if (prev === undefined || g.seqNo > prev.seqNo)
        best.set(k, { domainId: g.domainId, serverId: g.serverId, seqNo: g.seqNo });
    }
    return best.size === 0 ? MariaDbGtidList.EMPTY : new MariaDbGtidList([...best.values()].sort(byDomainServer));
  }

  /** Whether the list holds no GTID. */
  get isEmpty(): boolean {
    return this.#entries.length === 0;
  }

  /** The GTIDs, sorted by domain then server id. */
  entries(): readonly MariaDbGtid[] {
    return this.#entries;
  }

  /** The domain ids present, ascending. */
  domains(): number[] {
    return [...new Set(this.#entries.map((g) => g.domainId))];
  }

  /** The last GTID(s) of a domain: those at its highest seq_no (one, unless histories diverged). */
  headOf(domainId: number): MariaDbGtid[] {
    const inDomain = this.#entries.filter((g) => g.domainId === domainId);
    const top = inDomain.reduce<bigint | null>((m, g) => (m === null || g.seqNo > m ? g.seqNo : m), null);
    return inDomain.filter((g) => g.seqNo === top);
  }

  /** Per (domain, server id), the higher seq_no of the two lists. */
  union(other: MariaDbGtidList): MariaDbGtidList {
    return MariaDbGtidList.of([...this.#entries, ...other.#entries]);
  }

  /** The GTIDs of this list whose (domain, server id) `other` lacks or holds at a lower seq_no. */
  subtract(other: MariaDbGtidList): MariaDbGtidList {
    const theirs = new Map(other.#entries.map((g) => [keyOf(g), g.seqNo]));
    const rest = this.#entries.filter((g) => {
      const seq = theirs.get(keyOf(g));
      return seq === undefined || g.seqNo > seq;
    });
    return rest.length === 0 ? MariaDbGtidList.EMPTY : new MariaDbGtidList(rest);
  }

  /** Whether, per (domain, server id) of `other`, this list holds it at the same or a higher seq_no. */
  contains(other: MariaDbGtidList): boolean {
    return other.subtract(this).isEmpty;
  }

  /** Whether both hold the same GTIDs. */
  equals(other: MariaDbGtidList): boolean {
    return this.toString() === other.toString();
  }

  /**
   * Each domain of either list, with how this list (A) stands against `other` (B): see the class
   * comment for how seq_no and server id are weighed.
   *
   * @example
   * ```ts
   * a.compare(b).filter((d) => d.standing === 'BEHIND' || d.standing === 'DIVERGED');
   * ```
   */
  compare(other: MariaDbGtidList): MariaDbDomainComparison[] {
    const domains = [...new Set([...this.domains(), ...other.domains()])].sort((x, y) => x - y);
    return domains.map((domainId) => {
      const a = this.headOf(domainId);
      const b = other.headOf(domainId);
      return { domainId, a, b, standing: standingOf(a, b) };
    });
  }

  /**
   * Whether a server at this position has everything a server at `other` has, domain by domain:
   * every domain of `other` is here, at a higher seq_no or at the same one from the same server.
   * This is the check that a failover candidate lost nothing the old primary had.
   *
   * @example
   * ```ts
   * MariaDbGtidList.parse('0-1-10', 'gtid_current_pos')
   *   .isAtLeastAsAdvancedAs(MariaDbGtidList.parse('0-2-10', 'gtid_binlog_pos')); // false: diverged
   * ```
   */
  isAtLeastAsAdvancedAs(other: MariaDbGtidList): boolean {
    return this.compare(other).every((d) => d.standing === 'EQUAL' || d.standing === 'AHEAD' || d.standing === 'EXTRA');
  }

  /** The normalized text: entries sorted by domain, then server id, joined by `,`. */
  toString(): string {
    return this.#entries.map(formatGtid).join(',');
  }
}

function standingOf(a: readonly MariaDbGtid[], b: readonly MariaDbGtid[]): MariaDbDomainStanding {
  if (a.length === 0) return 'MISSING';
  if (b.length === 0) return 'EXTRA';
  const sa = a[0]!.seqNo;
  const sb = b[0]!.seqNo;
  if (sa > sb) return 'AHEAD';
  if (sa < sb) return 'BEHIND';
  const servers = new Set(a.map((g) => g.serverId));
  return b.every((g) => servers.has(g.serverId)) ? 'EQUAL' : 'DIVERGED';
}

/**
 * MariaDB's `@@gtid_current_pos` from the two positions it is made of: per domain, the
 * `gtid_binlog_pos` GTID when this server (`serverId`) wrote it and it is beyond
 * `gtid_slave_pos`, else the `gtid_slave_pos` GTID. For checking a probe, or deriving the
 * position of a server whose variable was not read.
 *
 * @example
 * ```ts
 * mariaDbCurrentPos(MariaDbGtidList.parse('0-2-12', 'gtid_binlog_pos'),
 *   MariaDbGtidList.parse('0-1-10', 'gtid_slave_pos'), 2).toString(); // '0-2-12'
 * ```
 */
export function mariaDbCurrentPos(
  binlogPos: MariaDbGtidList,
  slavePos: MariaDbGtidList,
  serverId: number,
): MariaDbGtidList {
  const out: MariaDbGtid[] = [];
  for (const domainId of new Set([...binlogPos.domains(), ...slavePos.domains()])) {
    const logged = binlogPos.headOf(domainId)[0];
    const applied = slavePos.headOf(domainId)[0];
    if (
      logged !== undefined &&
      logged.serverId === serverId &&
      (applied === undefined || logged.seqNo > applied.seqNo)
    ) {
      out.push(logged);
    } else if (applied !== undefined) {
      out.push(applied);
    }
  }
  return MariaDbGtidList.of(out);
}

/**
 * Parses a MariaDB GTID list; see {@link MariaDbGtidList.parse}.
 *
 * @example
 * ```ts
 * parseMariaDbGtidList('0-1-100,\n1-2-7', 'gtid_slave_pos').domains(); // [0, 1]
 * ```
 */
export function parseMariaDbGtidList(text: string, variable: MariaDbGtidVariable): MariaDbGtidList {
  return MariaDbGtidList.parse(text, variable);
}
