import { GtidProblems, parseUnsigned, quotePart } from './gtid-errors.js';
import {
  type GtidInterval,
  type Intervals,
  containsIntervals,
  countIntervals,
  equalIntervals,
  formatIntervals,
  intersectIntervals,
  normalizeIntervals,
  subtractIntervals,
  unionIntervals,
} from './gtid-intervals.js';

/**
 * The largest transaction number (GNO) accepted: 2^63 - 1.
 *
 * @example
 * ```ts
 * MysqlGtidSet.parse(`${uuid}:${MYSQL_MAX_GNO + 1n}`); // throws INVALID_GTID_SET
 * ```
 */
export const MYSQL_MAX_GNO = 2n ** 63n - 1n;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// MySQL 8.4: 1 to 32 characters, a letter or '_' first, then letters, digits or '_'; case-insensitive.
const TAG = /^[a-z_][a-z0-9_]{0,31}$/i;
const INTERVAL = /^(\d+)(?:\s*-\s*(\d+))?$/;

/**
 * One run of transactions of a MySQL GTID set: a source uuid, a tag (`''` for untagged GTIDs),
 * and its normalized intervals.
 *
 * @example
 * ```ts
 * MysqlGtidSet.parse(`${uuid}:1-5:ops:7`).ranges(); // [{ uuid, tag: '', ... }, { uuid, tag: 'ops', ... }]
 * ```
 */
export interface MysqlGtidRange {
  readonly uuid: string;
  readonly tag: string;
  readonly intervals: readonly GtidInterval[];
}

type SourceMap = ReadonlyMap<string, ReadonlyMap<string, Intervals>>;

/**
 * A MySQL GTID set (`@@gtid_executed`, `@@gtid_purged`, `Retrieved_Gtid_Set`): an immutable,
 * normalized set of GTIDs keyed by source uuid and MySQL 8.4 tag. Tagged GTIDs (`uuid:tag:7`)
 * are kept apart from the untagged ones of the same uuid (`uuid:7`): they are different
 * transactions. Uuids and tags are compared lowercase, as MySQL does.
 *
 * @example
 * ```ts
 * const primary = MysqlGtidSet.parse('3e11fa47-71ca-11e1-9e33-c80aa9429562:1-100:batch:1-5');
 * const replica = MysqlGtidSet.parse('3e11fa47-71ca-11e1-9e33-c80aa9429562:1-90');
 * primary.contains(replica); // true
 * primary.subtract(replica).toString(); // '3e11fa47-71ca-11e1-9e33-c80aa9429562:91-100:batch:1-5'
 * ```
 */
export class MysqlGtidSet {
  /** The empty set (`''`). */
  static readonly EMPTY = new MysqlGtidSet(new Map());

  readonly #sources: SourceMap;

  private constructor(sources: SourceMap) {
    this.#sources = sources;
  }

  /**
   * Parses MySQL's text form: uuid sets separated by `,`, each `uuid[:interval...][:tag:interval...]`,
   * whitespace and newlines around parts allowed (MySQL prints `,\n` between uuids). A uuid may
   * appear in several parts; overlapping intervals merge. Throws `INVALID_GTID_SET` naming every
   * malformed part; nothing is skipped.
   */
  static parse(text: string): MysqlGtidSet {
    const problems = new GtidProblems(`MySQL GTID set ${quotePart(text)}`);
    const sources = new Map<string, Map<string, GtidInterval[]>>();
    if (text.trim() === '') return MysqlGtidSet.EMPTY;
    text.split(',').forEach((rawPart, index) => {
      const part = rawPart.trim();
      const path = String(index);
      if (part === '') {
        problems.add(path, 'empty part (two commas in a row, or a comma at an end)');
        return;
      }
      const tokens = part.split(':').map((t) => t.trim());
      const uuid = tokens[0]!;
      if (!UUID.test(uuid)) {
        problems.add(path, `${quotePart(uuid)} is not a uuid (8-4-4-4-12 hex digits)`);
        return;
      }
      if (tokens.length === 1) {
        problems.add(path, `${quotePart(part)} has no interval after the uuid`);
        return;
      }
      const byTag = sources.get(uuid.toLowerCase()) ?? new Map<string, GtidInterval[]>();
      let tag = '';
      let tagHasInterval = true;
      const endTag = (): void => {
        if (!tagHasInterval)
          problems.add(`${path}.${tag}`, `tag ${quotePart(tag)} in ${quotePart(part)} has no interval`);
      };
      for (const token of tokens.slice(1)) {
        const interval = INTERVAL.exec(token);
        if (interval !== null) {
          const start = parseUnsigned(interval[1]!)!;
          const end = interval[2] === undefined ? start : parseUnsigned(interval[2])!;
          if (start < 1n || end < start || end > MYSQL_MAX_GNO) {
            problems.add(
              path,
              `interval ${quotePart(token)} in ${quotePart(part)} must be n or n-m with 1 <= n <= m <= 2^63-1`,
            );
            continue;
          }
          const list = byTag.get(tag) ?? [];
          list.push({ start, end });
          byTag.set(tag, list);
          tagHasInterval = true;
        } else if (TAG.test(token)) {
          endTag();
          tag = token.toLowerCase();
          tagHasInterval = false;
        } else {
          problems.add(path, `${quotePart(token)} in ${quotePart(part)} is neither an interval nor a tag`);
        }
      }
      endTag();
      sources.set(uuid.toLowerCase(), byTag);
    });
    problems.throwIfAny();
    return MysqlGtidSet.#build(sources);
  }

  /**
   * Builds a set from ranges (intervals in any order; overlapping ones merge). Throws
   * `INVALID_GTID_SET` for a bad uuid, tag or interval, like {@link MysqlGtidSet.parse}.
   *
   * @example
   * ```ts
   * MysqlGtidSet.of([{ uuid: U, tag: '', intervals: [{ start: 1n, end: 5n }] }]);
   * ```
   */
  static of(ranges: Iterable<MysqlGtidRange>): MysqlGtidSet {
    return MysqlGtidSet.parse(
      [...ranges]
        .filter((r) => r.intervals.length > 0)
        .map((r) => `${r.uuid}${r.tag === '' ? '' : `:${r.tag}`}:${formatIntervals(r.intervals)}`)
        .join(','),
    );
  }

  static #build(raw: ReadonlyMap<string, ReadonlyMap<string, Intervals>>): MysqlGtidSet {
    const sources = new Map<string, Map<string, Intervals>>();
    for (const uuid of [...raw.keys()].sort()) {
      const byTag = new Map<string, Intervals>();
      const tags = raw.get(uuid)!;
      for (const tag of [...tags.keys()].sort()) {
        const list = normalizeIntervals(tags.get(tag)!);
        if (list.length > 0) byTag.set(tag, Object.freeze(list));
      }
      if (byTag.size > 0) sources.set(uuid, byTag);
    }
    return sources.size === 0 ? MysqlGtidSet.EMPTY : new MysqlGtidSet(sources);
  }

  static #combine(a: MysqlGtidSet, b: MysqlGtidSet, op: (x: Intervals, y: Intervals) => Intervals): MysqlGtidSet {
    const out = new Map<string, Map<string, Intervals>>();
    for (const uuid of new Set([...a.#sources.keys(), ...b.#sources.keys()])) {
      const ta = a.#sources.get(uuid);
      const tb = b.#sources.get(uuid);
      const byTag = new Map<string, Intervals>();
      for (const tag of new Set([...(ta?.keys() ?? []), ...(tb?.keys() ?? [])])) {
        byTag.set(tag, op(ta?.get(tag) ?? [], tb?.get(tag) ?? []));
      }
      out.set(uuid, byTag);
    }
    return MysqlGtidSet.#build(out);
  }

  /** Whether the set holds no GTID. */
  get isEmpty(): boolean {
    return this.#sources.size === 0;
  }

  /** Every GTID in this set or in `other`. */
  union(other: MysqlGtidSet): MysqlGtidSet {
    return MysqlGtidSet.#combine(this, other, unionIntervals);
  }

  /** The GTIDs of this set that `other` lacks (MySQL's `GTID_SUBTRACT(this, other)`). */
  subtract(other: MysqlGtidSet): MysqlGtidSet {
    return MysqlGtidSet.#combine(this, other, subtractIntervals);
  }

  /** The GTIDs in both sets. */
  intersect(other: MysqlGtidSet): MysqlGtidSet {
    return MysqlGtidSet.#combine(this, other, intersectIntervals);
  }

  /** Whether every GTID of `other` is in this set (MySQL's `GTID_SUBSET(other, this)`). */
  contains(other: MysqlGtidSet): boolean {
    for (const [uuid, tags] of other.#sources) {
      const mine = this.#sources.get(uuid);
      for (const [tag, list] of tags) if (!containsIntervals(mine?.get(tag) ?? [], list)) return false;
    }
    return true;
  }

  /**
   * Whether a server that executed this set has applied everything one that executed `other`
   * has: the same as {@link contains}, since a GTID set is a set and has no order.
   */
  isAtLeastAsAdvancedAs(other: MysqlGtidSet): boolean {
    return this.contains(other);
  }

  /** Whether both hold the same GTIDs (however each was written). */
  equals(other: MysqlGtidSet): boolean {
    if (this.#sources.size !== other.#sources.size) return false;
    for (const [uuid, tags] of this.#sources) {
      const theirs = other.#sources.get(uuid);
      if (theirs === undefined || theirs.size !== tags.size) return false;
      for (const [tag, list] of tags) if (!equalIntervals(list, theirs.get(tag) ?? [])) return false;
    }
    return true;
  }

  /** This set without any GTID (tagged or not) of the given source uuids. */
  withoutSources(uuids: Iterable<string>): MysqlGtidSet {
    const drop = new Set([...uuids].map((u) => u.toLowerCase()));
    return MysqlGtidSet.#build(new Map([...this.#sources].filter(([uuid]) => !drop.has(uuid))));
  }

  /** The ranges, by uuid then tag (untagged first), as {@link toString} prints them. */
  ranges(): MysqlGtidRange[] {
    const out: MysqlGtidRange[] = [];
    for (const [uuid, tags] of this.#sources) for (const [tag, intervals] of tags) out.push({ uuid, tag, intervals });
    return out;
  }

  /** How many GTIDs the set holds. */
  get size(): bigint {
    let n = 0n;
    for (const tags of this.#sources.values()) for (const list of tags.values()) n += countIntervals(list);
    return n;
  }

  /**
   * The normalized text: uuids lowercase and sorted, per uuid the untagged intervals first and
   * then each tag (lowercase, sorted) with its intervals, as MySQL 8.4 prints a set. `separator`
   * defaults to `,`; pass `',\n'` for the form `@@gtid_executed` shows.
   */
  toString(separator = ','): string {
    const parts: string[] = [];
    for (const [uuid, tags] of this.#sources) {
      let text = uuid;
      for (const [tag, list] of tags) text += `${tag === '' ? '' : `:${tag}`}:${formatIntervals(list)}`;
      parts.push(text);
    }
    return parts.join(separator);
  }
}

/**
 * Parses a MySQL GTID set; see {@link MysqlGtidSet.parse}.
 *
 * @example
 * ```ts
 * parseMysqlGtidSet('3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5,\n4e11fa47-71ca-11e1-9e33-c80aa9429562:tag:1').size; // 6n
 * ```
 */
export function parseMysqlGtidSet(text: string): MysqlGtidSet {
  return MysqlGtidSet.parse(text);
}
