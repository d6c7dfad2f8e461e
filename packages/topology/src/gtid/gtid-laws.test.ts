// Property tests: random sets from a seeded generator, checked against a brute-force model (a
// plain Set of single GTIDs over a small universe) and against the laws of union, subtraction
// and containment. A failure names its seed; rerun one with GTID_LAW_SEED=<seed>.
import { describe, expect, it } from '@jest/globals';
import { MariaDbGtidList, type MariaDbGtid } from './mariadb-gtid-list.js';
import { MysqlGtidSet } from './mysql-gtid-set.js';

/** xorshift32: small, seeded, and the same sequence on every machine. */
function rng(seed: number): (n: number) => number {
  let x = seed >>> 0 || 0x9e3779b9;
  return (n: number) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}

const RUNS = 300;
const seeds =
  process.env['GTID_LAW_SEED'] === undefined
    ? Array.from({ length: RUNS }, (_, i) => i + 1)
    : [Number(process.env['GTID_LAW_SEED'])];

const UUIDS = [
  '3e11fa47-71ca-11e1-9e33-c80aa9429562',
  '4e11fa47-71ca-11e1-9e33-c80aa9429562',
  'a0000000-0000-0000-0000-00000000000b',
];
const TAGS = ['', 'alpha', 'b_2'];
const MAX = 24;

/** A random MySQL set as MySQL might print it (mixed case, overlaps, newlines), with its model. */
function randomMysql(next: (n: number) => number): { text: string; model: Set<string> } {
  const model = new Set<string>();
  const parts: string[] = [];
  for (let p = next(5); p > 0; p--) {
    const uuid = UUIDS[next(UUIDS.length)]!;
    let text = next(4) === 0 ? uuid.toUpperCase() : uuid;
    const tags = TAGS.filter(() => next(2) === 0);
    for (const tag of tags.length === 0 ? [''] : tags) {
      if (tag !== '') text += `:${next(3) === 0 ? tag.toUpperCase() : tag}`;
      for (let k = 1 + next(3); k > 0; k--) {
        const start = 1 + next(MAX);
        const end = start + next(Math.min(6, MAX - start + 1));
        text += start === end && next(2) === 0 ? `:${start}` : `:${start}-${end}`;
        for (let n = start; n <= end; n++) model.add(`${uuid}|${tag}|${n}`);
      }
    }
    parts.push(text);
  }
  return { text: parts.join(next(2) === 0 ? ',\n' : ','), model };
}

function modelOf(set: MysqlGtidSet): Set<string> {
  const out = new Set<string>();
  for (const r of set.ranges()) {
    for (const iv of r.intervals) for (let n = iv.start; n <= iv.end; n++) out.add(`${r.uuid}|${r.tag}|${n}`);
  }
  return out;
}

const sorted = (s: Set<string>): string[] => [...s].sort();

/** What the set laws below need of a GTID set, MySQL's or MariaDB's. */
interface LawfulSet<S> {
  union(other: S): S;
  subtract(other: S): S;
  contains(other: S): boolean;
  equals(other: S): boolean;
  readonly isEmpty: boolean;
}

/**
 * The laws both GTID set kinds obey. Union: commutative, associative, idempotent, containing both
 * sides. Subtraction: A ∖ B lies in A, and B ∪ (A ∖ B) = A ∪ B. Containment: A ⊇ B exactly when
 * B ∖ A is empty and when A ∪ B = A; transitive.
 */
function expectSetLaws<S extends LawfulSet<S>>(a: S, b: S, c: S): void {
  expect(a.union(b).equals(b.union(a))).toBe(true);
  expect(
    a
      .union(b)
      .union(c)
      .equals(a.union(b.union(c))),
  ).toBe(true);
  expect(a.union(a).equals(a)).toBe(true);
  expect(a.union(b).contains(a) && a.union(b).contains(b)).toBe(true);
  expect(a.contains(a.subtract(b))).toBe(true);
  expect(b.union(a.subtract(b)).equals(a.union(b))).toBe(true);
  expect(a.contains(b)).toBe(b.subtract(a).isEmpty);
  expect(a.contains(b)).toBe(a.union(b).equals(a));
  if (a.contains(b) && b.contains(c)) expect(a.contains(c)).toBe(true);
}

describe('MySQL GTID set laws', () => {
  it.each(seeds)('seed %i', (seed) => {
    const next = rng(seed);
    const ga = randomMysql(next);
    const gb = randomMysql(next);
    const gc = randomMysql(next);
    const [a, b, c] = [ga, gb, gc].map((g) => MysqlGtidSet.parse(g.text)) as [MysqlGtidSet, MysqlGtidSet, MysqlGtidSet];

    // Against the model.
    expect(sorted(modelOf(a))).toEqual(sorted(ga.model));
    expect(sorted(modelOf(a.union(b)))).toEqual(sorted(new Set([...ga.model, ...gb.model])));
    expect(sorted(modelOf(a.subtract(b)))).toEqual(sorted(new Set([...ga.model].filter((g) => !gb.model.has(g)))));
    expect(sorted(modelOf(a.intersect(b)))).toEqual(sorted(new Set([...ga.model].filter((g) => gb.model.has(g)))));
    expect(a.contains(b)).toBe([...gb.model].every((g) => ga.model.has(g)));
    expect(a.size).toBe(BigInt(ga.model.size));

    // Printing is normal: it parses back to the same set and prints the same again.
    expect(MysqlGtidSet.parse(a.toString()).equals(a)).toBe(true);
    expect(MysqlGtidSet.parse(a.toString(',\n')).toString()).toBe(a.toString());

    expectSetLaws(a, b, c);
    // The empty set is the identity of union; with the intersection, subtraction rebuilds A.
    expect(a.union(MysqlGtidSet.EMPTY).equals(a)).toBe(true);
    const d = a.subtract(b);
    expect(d.intersect(b).isEmpty).toBe(true);
    expect(d.union(a.intersect(b)).equals(a)).toBe(true);
    expect(a.subtract(a).isEmpty).toBe(true);
    // Containment is a partial order (antisymmetric too); a MySQL set is as advanced as it contains.
    expect(a.contains(a)).toBe(true);
    if (a.contains(b) && b.contains(a)) expect(a.equals(b)).toBe(true);
    expect(a.isAtLeastAsAdvancedAs(b)).toBe(a.contains(b));
  });
});

/** A random MariaDB binlog state (one GTID per domain and server), with its model. */
function randomMaria(next: (n: number) => number, asPosition: boolean): { text: string; model: Map<string, number> } {
  const model = new Map<string, number>();
  const parts: string[] = [];
  for (let domain = 0; domain < 3; domain++) {
    for (let server = 1; server <= 3; server++) {
      if (next(3) === 0 || (asPosition && [...model.keys()].some((k) => k.startsWith(`${domain}-`)))) continue;
      const seq = 1 + next(6);
      model.set(`${domain}-${server}`, seq);
      parts.push(`${domain}-${server}-${seq}`);
    }
  }
  for (let i = parts.length - 1; i > 0; i--) {
    const j = next(i + 1);
    [parts[i], parts[j]] = [parts[j]!, parts[i]!];
  }
  return { text: parts.join(next(2) === 0 ? ',\n' : ', '), model };
}

function mapOf(list: MariaDbGtidList): Map<string, number> {
  return new Map(list.entries().map((g: MariaDbGtid) => [`${g.domainId}-${g.serverId}`, Number(g.seqNo)]));
}

const entriesOf = (m: Map<string, number>): [string, number][] => [...m].sort(([x], [y]) => (x < y ? -1 : 1));

describe('MariaDB GTID list laws', () => {
  it.each(seeds)('seed %i', (seed) => {
    const next = rng(seed);
    const [ga, gb, gc] = [randomMaria(next, false), randomMaria(next, false), randomMaria(next, false)];
    const [a, b, c] = [ga, gb, gc].map((g) => MariaDbGtidList.parse(g.text, 'gtid_binlog_state')) as [
      MariaDbGtidList,
      MariaDbGtidList,
      MariaDbGtidList,
    ];

    // Against the model: per (domain, server) the maximum; subtraction keeps strict surpluses.
    const union = new Map(ga.model);
    for (const [k, v] of gb.model) union.set(k, Math.max(v, union.get(k) ?? 0));
    expect(entriesOf(mapOf(a.union(b)))).toEqual(entriesOf(union));
    const diff = new Map([...ga.model].filter(([k, v]) => v > (gb.model.get(k) ?? 0)));
    expect(entriesOf(mapOf(a.subtract(b)))).toEqual(entriesOf(diff));
    expect(a.contains(b)).toBe([...gb.model].every(([k, v]) => (ga.model.get(k) ?? 0) >= v));
    expect(MariaDbGtidList.parse(a.toString(), 'gtid_binlog_state').equals(a)).toBe(true);

    // The laws of the set view, as for MySQL sets.
    expectSetLaws(a, b, c);

    // The position view: containment implies "at least as advanced"; the order is reflexive,
    // transitive, and two positions each at least as advanced as the other are equal.
    if (a.contains(b)) expect(a.isAtLeastAsAdvancedAs(b)).toBe(true);
    const [p, q, r] = [randomMaria(next, true), randomMaria(next, true), randomMaria(next, true)].map((g) =>
      MariaDbGtidList.parse(g.text, 'gtid_current_pos'),
    ) as [MariaDbGtidList, MariaDbGtidList, MariaDbGtidList];
    expect(p.isAtLeastAsAdvancedAs(p)).toBe(true);
    if (p.isAtLeastAsAdvancedAs(q) && q.isAtLeastAsAdvancedAs(r)) expect(p.isAtLeastAsAdvancedAs(r)).toBe(true);
    if (p.isAtLeastAsAdvancedAs(q) && q.isAtLeastAsAdvancedAs(p)) expect(p.equals(q)).toBe(true);
    const standings = p.compare(q).map((d) => d.standing);
    const reversed = q.compare(p).map((d) => d.standing);
    const mirror = {
      EQUAL: 'EQUAL',
      AHEAD: 'BEHIND',
      BEHIND: 'AHEAD',
      DIVERGED: 'DIVERGED',
      MISSING: 'EXTRA',
      EXTRA: 'MISSING',
    };
    expect(reversed).toEqual(standings.map((s) => mirror[s]));
  });
});
