// The log as the core sees it: durable entries through `RaftStorage`, followed by the
// unstable tail (entries and possibly a snapshot) not yet handed to the driver to persist.
import type { RaftStorage } from './storage.js';
import { limitSize } from './storage.js';
import { nextConf } from './conf-change.js';
import type { ConfState, Entry, LogIndex, SnapshotMeta, Term } from './types.js';
import { EntryType, logIndex, term as toTerm } from './types.js';

/** The unstable part: a received snapshot to install and/or entries to persist. */
class Unstable {
  snapshot: SnapshotMeta | null = null;
  entries: Entry[] = [];
  /** Index of entries[0] (or where it will be). */
  offset: number;

  constructor(offset: number) {
    this.offset = offset;
  }

  firstIndex(): number | undefined {
    return this.snapshot === null ? undefined : this.snapshot.index + 1;
  }

  lastIndex(): number | undefined {
    if (this.entries.length > 0) return this.offset + this.entries.length - 1;
    return this.snapshot === null ? undefined : this.snapshot.index;
  }

  term(i: number): number | undefined {
    if (i < this.offset) {
      return this.snapshot !== null && this.snapshot.index === i ? this.snapshot.term : undefined;
    }
    return this.entries[i - this.offset]?.term;
  }

  stableTo(i: number, t: number): void {
    const got = this.term(i);
    if (got === undefined || got !== t || i < this.offset) return;
    this.entries = this.entries.slice(i + 1 - this.offset);
    this.offset = i + 1;
  }

  stableSnapTo(i: number): void {
    if (this.snapshot !== null && this.snapshot.index === i) this.snapshot = null;
  }

  restore(meta: SnapshotMeta): void {
    this.offset = meta.index + 1;
    this.entries = [];
    this.snapshot = meta;
  }

  truncateAndAppend(ents: readonly Entry[]): void {
    const first = ents[0];
    if (first === undefined) return;
    const after = first.index;
    if (after === this.offset + this.entries.length) {
      for (const e of ents) this.entries.push(e);
    } else if (after <= this.offset) {
      // Replaces the whole unstable tail (and part of the durable log).
      this.offset = after;
      this.entries = [...ents];
    } else {
      this.entries = this.entries.slice(0, after - this.offset);
      for (const e of ents) this.entries.push(e);
    }
  }
}

/**
 * The core's log: durable storage plus the unstable tail, with commit and apply positions, and
 * the membership: the configuration in force is the one of the LAST membership change in the
 * log, committed or not (Raft dissertation, 4.1). A node whose commit index lags therefore
 * never campaigns or counts votes with a configuration older than its log shows.
 */
export class RaftLog {
  readonly storage: RaftStorage;
  readonly unstable: Unstable;
  committed: number;
  applied: number;
  /** The configuration before the first change below; the changes found in the log, by index. */
  #confBase: ConfState;
  #confs: { readonly index: number; readonly conf: ConfState }[] = [];

  constructor(storage: RaftStorage, applied: number | null) {
    this.storage = storage;
    this.unstable = new Unstable(storage.lastIndex() + 1);
    const first = storage.firstIndex();
    this.committed = first - 1;
    this.applied = applied ?? first - 1;
    this.#confBase = storage.snapshot()?.conf ?? storage.initialState().conf;
    const last = storage.lastIndex();
    if (last >= first) this.#trackConfs(storage.entries(logIndex(first), logIndex(last + 1), Infinity));
  }

  /** The configuration in force: the latest one in the log. */
  latestConf(): ConfState {
    return this.#confs[this.#confs.length - 1]?.conf ?? this.#confBase;
  }

  /** Index of the latest membership change in the log (0 when there is none after the base). */
  latestConfIndex(): number {
    return this.#confs[this.#confs.length - 1]?.index ?? 0;
  }

  #trackConfs(ents: readonly Entry[]): void {
    const first = ents[0];
    if (first === undefined) return;
    while ((this.#confs[this.#confs.length - 1]?.index ?? 0) >= first.index) this.#confs.pop();
    for (const e of ents) {
      if (e.type === EntryType.ConfChange)
        this.#confs.push({ index: e.index, conf: nextConf(this.latestConf(), e.data) });
    }
  }

  firstIndex(): number {
    return this.unstable.firstIndex() ?? this.storage.firstIndex();
  }

  lastIndex(): number {
    return this.unstable.lastIndex() ?? this.storage.lastIndex();
  }

  lastTerm(): number {
    return this.term(this.lastIndex()) ?? 0;
  }

  /** The term at `i`, or undefined when compacted away or beyond the end. */
  term(i: number): number | undefined {
    if (i > this.lastIndex()) return undefined;
    const u = this.unstable.term(i);
    if (u !== undefined) return u;
    if (i < this.firstIndex() - 1) return undefined;
    return this.storage.term(logIndex(i));
  }

  matchTerm(i: number, t: number): boolean {
    return this.term(i) === t;
  }

  /** Whether a candidate whose log ends at (lastIdx, lastTerm) is at least as up to date as ours. */
  isUpToDate(lastIdx: number, lastTerm: number): boolean {
    const myTerm = this.lastTerm();
    return lastTerm > myTerm || (lastTerm === myTerm && lastIdx >= this.lastIndex());
  }

  /**
   * Entries [lo, hi) of at most `maxBytes` (at least one), or null when lo was compacted away
   * (the caller sends a snapshot).
   */
  slice(lo: number, hi: number, maxBytes: number): readonly Entry[] | null {
    if (lo >= hi) return [];
    if (lo < this.firstIndex()) return null;
    const uOff = this.unstable.offset;
    let out: Entry[] = [];
    if (lo < uOff) {
      const stored = this.storage.entries(logIndex(lo), logIndex(Math.min(hi, uOff)), maxBytes);
      out = [...stored];
      if (stored.length < Math.min(hi, uOff) - lo) return out;
    }
    if (hi > uOff) {
      const from = Math.max(lo, uOff) - uOff;
      const unst = this.unstable.entries.slice(from, hi - uOff);
      out = out.length === 0 ? unst : out.concat(unst);
    }
    return limitSize(out, maxBytes);
  }

  /** Index of the first entry of `ents` that conflicts with the log, 0 when none does. */
  #findConflict(ents: readonly Entry[]): number {
    for (const e of ents) {
      if (!this.matchTerm(e.index, e.term)) return e.index;
    }
    return 0;
  }

  /**
   * The last index at or below `index` whose term is at most `t` (fast backtracking: the
   * follower's hint, or the leader's next probe).
   */
  findConflictByTerm(index: number, t: number): { index: number; term: number } {
    let i = Math.min(index, this.lastIndex());
    for (; i > 0; i--) {
      const ti = this.term(i);
      if (ti === undefined) return { index: i, term: 0 };
      if (ti <= t) return { index: i, term: ti };
    }
    return { index: 0, term: 0 };
  }

  /**
   * Follower side of append: when (prevIndex, prevTerm) matches, appends what is new
   * (truncating a conflicting suffix), advances commit, and returns the last new index.
   * Returns null on mismatch.
   */
  maybeAppend(prevIndex: number, prevTerm: number, commit: number, ents: readonly Entry[]): number | null {
    if (!this.matchTerm(prevIndex, prevTerm)) return null;
    const lastNew = prevIndex + ents.length;
    const ci = this.#findConflict(ents);
    if (ci !== 0) {
      if (ci <= this.committed) {
        throw new Error(`raft log: entry ${ci} conflicts with committed entry (committed ${this.committed})`);
      }
      const first = ents[0]?.index ?? ci;
      this.append(ents.slice(ci - first));
    }
    this.commitTo(Math.min(commit, lastNew));
    return lastNew;
  }

  append(ents: readonly Entry[]): number {
    const first = ents[0];
    if (first === undefined) return this.lastIndex();
    if (first.index - 1 < this.committed) {
      throw new Error(`raft log: append at ${first.index} would overwrite committed ${this.committed}`);
    }
    this.unstable.truncateAndAppend(ents);
    this.#trackConfs(ents);
    return this.lastIndex();
  }

  commitTo(c: number): void {
    if (c > this.committed) {
      if (c > this.lastIndex()) throw new Error(`raft log: commit ${c} beyond last index ${this.lastIndex()}`);
      this.committed = c;
    }
  }

  /** Commits `maxIndex` if it is from term `t` (a leader commits only entries of its own term by counting). */
  maybeCommit(maxIndex: number, t: number): boolean {
    if (maxIndex > this.committed && this.term(maxIndex) === t) {
      this.commitTo(maxIndex);
      return true;
    }
    return false;
  }

  /** Committed entries not yet handed to the driver, bounded by `maxBytes`. */
  nextCommitted(maxBytes: number): readonly Entry[] {
    const lo = Math.max(this.applied + 1, this.firstIndex());
    if (this.committed + 1 <= lo) return [];
    return this.slice(lo, this.committed + 1, maxBytes) ?? [];
  }

  hasNextCommitted(): boolean {
    return this.committed > Math.max(this.applied, this.firstIndex() - 1);
  }

  restore(meta: SnapshotMeta): void {
    this.committed = meta.index;
    this.applied = Math.max(this.applied, meta.index);
    this.unstable.restore(meta);
    this.#confBase = meta.conf;
    this.#confs = [];
  }

  /** The newest snapshot's metadata (an unstable one being installed first). */
  snapshot(): SnapshotMeta | null {
    return this.unstable.snapshot ?? this.storage.snapshot();
  }

  stableTo(i: number, t: number): void {
    this.unstable.stableTo(i, t);
  }

  toLogIndex(i: number): LogIndex {
    return logIndex(i);
  }

  toTerm(t: number): Term {
    return toTerm(t);
  }
}
