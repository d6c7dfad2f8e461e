/**
 * Closed intervals of transaction numbers, kept normalized: sorted, disjoint and never adjacent
 * (`1-3` and `4-5` are one interval `1-5`). Every operation takes and returns normalized lists,
 * so equality of two sets is equality of their lists. Numbers are bigint because MySQL's GNO and
 * MariaDB's seq_no are 64-bit.
 */
/**
 * One closed interval of transaction numbers, `start` to `end` inclusive.
 *
 * @example
 * ```ts
 * set.ranges()[0]?.intervals; // [{ start: 1n, end: 5n }] for 'uuid:1-5'
 * ```
 */
export interface GtidInterval {
  readonly start: bigint;
  readonly end: bigint;
}

export type Intervals = readonly GtidInterval[];

/** Sorts and merges overlapping or adjacent intervals. */
export function normalizeIntervals(list: Iterable<GtidInterval>): GtidInterval[] {
  const sorted = [...list].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: GtidInterval[] = [];
  for (const iv of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && iv.start <= last.end + 1n) {
      if (iv.end > last.end) out[out.length - 1] = { start: last.start, end: iv.end };
    } else {
      out.push({ start: iv.start, end: iv.end });
    }
  }
  return out;
}

/** A ∪ B. */
export function unionIntervals(a: Intervals, b: Intervals): GtidInterval[] {
  return normalizeIntervals([...a, ...b]);
}

/** A ∖ B: one pass over both sorted lists. */
export function subtractIntervals(a: Intervals, b: Intervals): GtidInterval[] {
  const out: GtidInterval[] = [];
  let j = 0;
  for (const iv of a) {
    let start = iv.start;
    while (j < b.length && b[j]!.end < start) j++;
    let k = j;
    while (k < b.length && b[k]!.start <= iv.end && start <= iv.end) {
      const cut = b[k]!;
      if (cut.start > start) out.push({ start, end: cut.start - 1n });
      start = cut.end + 1n;
      k++;
    }
    if (start <= iv.end) out.push({ start, end: iv.end });
  }
  return out;
}

/** A ∩ B. */
export function intersectIntervals(a: Intervals, b: Intervals): GtidInterval[] {
  const out: GtidInterval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const start = x.start > y.start ? x.start : y.start;
    const end = x.end < y.end ? x.end : y.end;
    if (start <= end) out.push({ start, end });
    if (x.end < y.end) i++;
    else j++;
  }
  return out;
}

/** Whether every number of B is in A. */
export function containsIntervals(a: Intervals, b: Intervals): boolean {
  return subtractIntervals(b, a).length === 0;
}

/** Whether two normalized lists are the same set. */
export function equalIntervals(a: Intervals, b: Intervals): boolean {
  return a.length === b.length && a.every((x, i) => x.start === b[i]!.start && x.end === b[i]!.end);
}

/** MySQL's text for a list: `1-5:7:9-10`. */
export function formatIntervals(list: Intervals): string {
  return list.map((r) => (r.start === r.end ? `${r.start}` : `${r.start}-${r.end}`)).join(':');
}

/** How many numbers the list holds. */
export function countIntervals(list: Intervals): bigint {
  return list.reduce((n, r) => n + (r.end - r.start + 1n), 0n);
}
