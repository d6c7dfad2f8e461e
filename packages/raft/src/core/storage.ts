// The core reads the persisted log through a synchronous `RaftStorage`: the core is pure and
// cannot await. The driver backs it with an in-memory mirror of what it has made durable
// (`MemoryStorage`), or directly with a synchronous store (better-sqlite3 is synchronous).
// The core never writes to it: the driver does, after persisting each Ready.
import type { ConfState, Entry, HardState, LogIndex, SnapshotMeta, Term } from './types.js';
import { logIndex, term as toTerm } from './types.js';

/**
 * A read-only, synchronous view of the durable log and state, as of the last `advance`.
 * Entries (firstIndex-1, lastIndex] are held; `term(firstIndex - 1)` is known (it is the
 * compacted or snapshot index), so the core can match appends against it.
 */
export interface RaftStorage {
  /** The durable hard state and membership, read once when a core is built. */
  initialState(): { readonly hardState: HardState; readonly conf: ConfState };
  /** The first index held; `snapshot.index + 1` just after a snapshot was installed. */
  firstIndex(): LogIndex;
  /** The last index held, or `firstIndex - 1` when the log is empty. */
  lastIndex(): LogIndex;
  /** The term at `index` for index in [firstIndex - 1, lastIndex]; undefined outside. */
  term(index: LogIndex): Term | undefined;
  /** Entries [lo, hi) with lo >= firstIndex and hi <= lastIndex + 1; at most `maxBytes` of data, but at least one entry. */
  entries(lo: LogIndex, hi: LogIndex, maxBytes: number): readonly Entry[];
  /** The newest durable snapshot's metadata, or null when none was taken or received. */
  snapshot(): SnapshotMeta | null;
}

/** Sum of entry payload sizes, used for batching limits. */
export function entriesSize(entries: readonly Entry[]): number {
  let n = 0;
  for (const e of entries) n += e.data.length;
  return n;
}

/** Keeps a prefix of `entries` whose data fits `maxBytes`, always at least one entry. */
export function limitSize(entries: readonly Entry[], maxBytes: number): readonly Entry[] {
  if (entries.length <= 1) return entries;
  let size = entries[0]?.data.length ?? 0;
  let n = 1;
  for (; n < entries.length; n++) {
    size += entries[n]?.data.length ?? 0;
    if (size > maxBytes) break;
  }
  return n === entries.length ? entries : entries.slice(0, n);
}

/** What a `MemoryStorage` starts from. */
export interface MemoryStorageInit {
  readonly hardState?: HardState;
  readonly conf: ConfState;
  readonly snapshot?: SnapshotMeta | null;
  /** Entries that follow the snapshot (or index 0), contiguous. */
  readonly entries?: readonly Entry[];
}

/** The hard state of a node that has never voted nor committed. */
export const emptyHardState: HardState = Object.freeze({ term: toTerm(0), vote: null, commit: logIndex(0) });

/**
 * What the in-memory storages share: the durable hard state and membership beside the log, the
 * latest snapshot, and the compaction point; subclasses hold the entries after it.
 *
 * @example
 * ```ts
 * class MyStorage extends StorageState implements RaftStorage { ... }
 * ```
 */
export abstract class StorageState {
  protected hardState: HardState;
  protected conf: ConfState;
  protected latestSnapshot: SnapshotMeta | null;
  /** Index and term of the entry before the first held one (the compacted or snapshot point). */
  protected offsetIndex: number;
  protected offsetTerm: number;

  constructor(init: MemoryStorageInit) {
    this.hardState = init.hardState ?? emptyHardState;
    this.conf = init.conf;
    this.latestSnapshot = init.snapshot ?? null;
    this.offsetIndex = this.latestSnapshot?.index ?? 0;
    this.offsetTerm = this.latestSnapshot?.term ?? 0;
  }

  abstract lastIndex(): LogIndex;

  initialState(): { hardState: HardState; conf: ConfState } {
    return { hardState: this.hardState, conf: this.conf };
  }

  firstIndex(): LogIndex {
    return logIndex(this.offsetIndex + 1);
  }

  snapshot(): SnapshotMeta | null {
    return this.latestSnapshot;
  }

  /** Records the durable hard state. */
  setHardState(hs: HardState): void {
    this.hardState = hs;
  }

  /** Records the durable membership (used by the next core built on this storage). */
  setConf(conf: ConfState): void {
    this.conf = conf;
  }

  /**
   * Records a snapshot the driver took (its data is durable in the snapshot store) without
   * dropping log entries; call `compact` to drop them.
   */
  setSnapshot(meta: SnapshotMeta): void {
    if (this.latestSnapshot === null || meta.index >= this.latestSnapshot.index) this.latestSnapshot = meta;
  }

  /**
   * Where in `entries` (to be appended) the entries after the compaction point start:
   * `entries.length` when there are none. A gap after the last held index is an error naming `who`.
   */
  protected firstFresh(entries: readonly Entry[], who: string): number {
    const first = entries[0];
    if (first === undefined) return 0;
    if (first.index > this.lastIndex() + 1) {
      throw new RangeError(`${who}.append: gap, last index ${this.lastIndex()}, first new ${first.index}`);
    }
    return Math.max(0, this.offsetIndex + 1 - first.index);
  }

  /** Makes `meta` the snapshot, membership and compaction point; the subclass drops its entries. */
  protected installSnapshot(meta: SnapshotMeta): void {
    this.latestSnapshot = meta;
    this.conf = meta.conf;
    this.offsetIndex = meta.index;
    this.offsetTerm = meta.term;
  }
}

/**
 * An in-memory `RaftStorage` that the driver writes to after making each Ready durable: the
 * mirror of the persisted log. Compaction after snapshots keeps it bounded.
 *
 * @example
 * ```ts
 * const storage = new MemoryStorage({ conf: { voters: [a, b, c], learners: [], votersOutgoing: [] } });
 * // after persisting a Ready:
 * if (rd.snapshot) storage.applySnapshot(rd.snapshot);
 * storage.append(rd.entries);
 * if (rd.hardState) storage.setHardState(rd.hardState);
 * ```
 */
export class MemoryStorage extends StorageState implements RaftStorage {
  #entries: Entry[];

  constructor(init: MemoryStorageInit) {
    super(init);
    this.#entries = [];
    if (init.entries !== undefined && init.entries.length > 0) this.append(init.entries);
  }

  lastIndex(): LogIndex {
    return logIndex(this.offsetIndex + this.#entries.length);
  }

  term(index: LogIndex): Term | undefined {
    if (index === this.offsetIndex) return toTerm(this.offsetTerm);
    return this.#entries[index - this.offsetIndex - 1]?.term;
  }

  entries(lo: LogIndex, hi: LogIndex, maxBytes: number): readonly Entry[] {
    if (lo <= this.offsetIndex || hi > this.lastIndex() + 1 || lo > hi) {
      throw new RangeError(
        `MemoryStorage.entries(${lo}, ${hi}): outside [${this.firstIndex()}, ${this.lastIndex() + 1})`,
      );
    }
    return limitSize(this.#entries.slice(lo - this.offsetIndex - 1, hi - this.offsetIndex - 1), maxBytes);
  }

  /**
   * Appends entries made durable, replacing any held entries at or after the first new index
   * (a new leader overwrote an uncommitted suffix). Entries at or before the compaction point are skipped.
   */
  append(entries: readonly Entry[]): void {
    const skip = this.firstFresh(entries, 'MemoryStorage');
    const fresh = skip > 0 ? entries.slice(skip) : entries;
    const head = fresh[0];
    if (head === undefined) return;
    this.#entries.length = head.index - this.offsetIndex - 1;
    for (const e of fresh) this.#entries.push(e);
  }

  /** Drops entries up to and including `index`, which must be held. */
  compact(index: LogIndex): void {
    if (index <= this.offsetIndex) return;
    const t = this.term(index);
    if (t === undefined) throw new RangeError(`MemoryStorage.compact(${index}): beyond last index ${this.lastIndex()}`);
    this.#entries = this.#entries.slice(index - this.offsetIndex);
    this.offsetIndex = index;
    this.offsetTerm = t;
  }

  /** Installs a snapshot received from the leader: the whole log is replaced by it. */
  applySnapshot(meta: SnapshotMeta): void {
    this.installSnapshot(meta);
    this.#entries = [];
  }
}
