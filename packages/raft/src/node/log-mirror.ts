// The driver's in-memory mirror of the durable log, stored compactly. The core reads the log
// synchronously, so the driver keeps the entries since the last compaction in memory (up to
// snapshotThreshold x 2 + snapshotTrailing of them). Held as one object graph per entry (the
// entry, its data buffer, that buffer's ArrayBuffer), every entry survives two young-generation
// collections before it is dropped; under a steady write rate that stream of survivors makes V8
// grow its young generation to the maximum (2 x 64 MB semi-spaces with Node's defaults) and a
// node's RSS to 160-280 MB while ~10 MB is live (ADR 0212). Here an entry costs no JS object
// while held: terms and types sit in typed arrays and payload bytes are copied into segment
// buffers; `entries()` builds short-lived entry objects with views into them on demand.
// Segments emptied by compaction are reused, so steady writing allocates no external memory
// either (dead buffers would otherwise pile up to V8's external limit, ~64 MB, between full GCs).
import { StorageState, type MemoryStorageInit, type RaftStorage } from '../core/storage.js';
import {
  logIndex,
  term as toTerm,
  type Entry,
  type EntryType,
  type LogIndex,
  type SnapshotMeta,
  type Term,
} from '../core/types.js';

/** Entries per segment. */
const SEGMENT_ENTRIES = 2048;
/** Payload bytes of a standard segment; a larger entry gets a segment of its own size. */
const SEGMENT_BYTES = 256 * 1024;
/** Emptied standard segments kept for reuse (~2.3 MB): steady writing then allocates nothing. */
const SPARE_SEGMENTS = 8;

/** A run of consecutive entries: metadata in typed arrays, payloads packed in one buffer. */
class Segment {
  /** Index of slot 0. */
  first = 0;
  count = 0;
  /** Set when a conflicting suffix was cut off: later entries go to a new segment. */
  sealed = false;
  readonly terms = new Float64Array(SEGMENT_ENTRIES);
  readonly types = new Uint8Array(SEGMENT_ENTRIES);
  /** End offset in `data` of each slot's payload (its start is the previous slot's end). */
  readonly ends = new Uint32Array(SEGMENT_ENTRIES);
  readonly data: Buffer;

  constructor(dataBytes: number) {
    this.data = Buffer.allocUnsafeSlow(dataBytes);
  }

  get isStandard(): boolean {
    return this.data.length === SEGMENT_BYTES;
  }

  get bytes(): number {
    return this.count === 0 ? 0 : this.ends[this.count - 1]!;
  }

  get last(): number {
    return this.first + this.count - 1;
  }

  reset(first: number): this {
    this.first = first;
    this.count = 0;
    this.sealed = false;
    return this;
  }

  fits(n: number): boolean {
    return !this.sealed && this.count < SEGMENT_ENTRIES && this.bytes + n <= this.data.length;
  }

  push(e: Entry): void {
    const at = this.bytes;
    this.data.set(e.data, at);
    this.terms[this.count] = e.term;
    this.types[this.count] = e.type;
    this.ends[this.count] = at + e.data.byteLength;
    this.count++;
  }

  entry(index: number): Entry {
    const k = index - this.first;
    const start = k === 0 ? 0 : this.ends[k - 1]!;
    return {
      index: logIndex(index),
      term: toTerm(this.terms[k]!),
      type: this.types[k] as EntryType,
      data: this.data.subarray(start, this.ends[k]),
    };
  }

  size(index: number): number {
    const k = index - this.first;
    return this.ends[k]! - (k === 0 ? 0 : this.ends[k - 1]!);
  }
}

/** What a `LogMirror` starts from: the same as the core's `MemoryStorage`. */
export type LogMirrorInit = MemoryStorageInit;

/**
 * A `RaftStorage` the driver writes to after making each Ready durable, with the semantics of
 * the core's `MemoryStorage` (append replacing a conflicting suffix, compact, snapshot install)
 * and a compact representation. Entry data returned by `entries()` are views into segment
 * buffers that are reused once every entry in them is compacted away or replaced: use them
 * before that (the driver encodes them into messages at once, and hands the state machine copies).
 */
export class LogMirror extends StorageState implements RaftStorage {
  #lastIndex: number;
  /** Consecutive segments; the first may still hold slots at or before `offsetIndex`. */
  #segments: Segment[] = [];
  #spare: Segment[] = [];

  constructor(init: LogMirrorInit) {
    super(init);
    this.#lastIndex = this.offsetIndex;
    if (init.entries !== undefined && init.entries.length > 0) this.append(init.entries);
  }

  lastIndex(): LogIndex {
    return logIndex(this.#lastIndex);
  }

  /** Entries held (between the compaction point and the last index). */
  get size(): number {
    return this.#lastIndex - this.offsetIndex;
  }

  term(index: LogIndex): Term | undefined {
    if (index === this.offsetIndex) return toTerm(this.offsetTerm);
    if (index < this.offsetIndex || index > this.#lastIndex) return undefined;
    const seg = this.#segmentOf(index);
    return toTerm(seg.terms[index - seg.first]!);
  }

  entries(lo: LogIndex, hi: LogIndex, maxBytes: number): readonly Entry[] {
    if (lo <= this.offsetIndex || hi > this.#lastIndex + 1 || lo > hi) {
      throw new RangeError(`LogMirror.entries(${lo}, ${hi}): outside [${this.firstIndex()}, ${this.#lastIndex + 1})`);
    }
    const out: Entry[] = [];
    let size = 0;
    let s = lo < hi ? this.#segmentPos(lo) : this.#segments.length;
    for (let i: number = lo; i < hi; s++) {
      const seg = this.#segments[s]!;
      const end = Math.min(hi, seg.first + seg.count);
      for (; i < end; i++) {
        size += seg.size(i);
        if (out.length > 0 && size > maxBytes) return out;
        out.push(seg.entry(i));
      }
    }
    return out;
  }

  /**
   * Appends entries made durable, replacing any held entries at or after the first new index
   * (a new leader overwrote an uncommitted suffix). Entries at or before the compaction point are skipped.
   */
  append(entries: readonly Entry[]): void {
    const skip = this.firstFresh(entries, 'LogMirror');
    if (skip >= entries.length) return;
    this.#truncateAfter(entries[skip]!.index - 1);
    for (let k = skip; k < entries.length; k++) {
      const e = entries[k]!;
      let seg = this.#segments[this.#segments.length - 1];
      if (seg === undefined || !seg.fits(e.data.byteLength)) {
        seg = this.#newSegment(this.#lastIndex + 1, e.data.byteLength);
        this.#segments.push(seg);
      }
      seg.push(e);
      this.#lastIndex++;
    }
  }

  /** Drops entries up to and including `index`, which must be held. */
  compact(index: LogIndex): void {
    if (index <= this.offsetIndex) return;
    const t = this.term(index);
    if (t === undefined) throw new RangeError(`LogMirror.compact(${index}): beyond last index ${this.#lastIndex}`);
    this.offsetIndex = index;
    this.offsetTerm = t;
    let drop = 0;
    while (drop < this.#segments.length && this.#segments[drop]!.last <= index) this.#recycle(this.#segments[drop++]!);
    if (drop > 0) this.#segments = this.#segments.slice(drop);
  }

  /** Installs a snapshot received from the leader: the whole log is replaced by it. */
  applySnapshot(meta: SnapshotMeta): void {
    this.installSnapshot(meta);
    for (const seg of this.#segments) this.#recycle(seg);
    this.#segments = [];
    this.#lastIndex = meta.index;
  }

  /** Keeps the entries up to `index` (>= the compaction point). */
  #truncateAfter(index: number): void {
    if (index >= this.#lastIndex) return;
    const segs = this.#segments;
    while (segs.length > 0 && segs[segs.length - 1]!.first > index) this.#recycle(segs.pop()!);
    const tail = segs[segs.length - 1];
    if (tail !== undefined && tail.last > index) {
      tail.count = index - tail.first + 1;
      tail.sealed = true;
    }
    this.#lastIndex = index;
  }

  #newSegment(first: number, bytes: number): Segment {
    if (bytes > SEGMENT_BYTES) return new Segment(bytes).reset(first);
    return (this.#spare.pop() ?? new Segment(SEGMENT_BYTES)).reset(first);
  }

  #recycle(seg: Segment): void {
    if (seg.isStandard && this.#spare.length < SPARE_SEGMENTS) this.#spare.push(seg);
  }

  /** Position in `#segments` of the segment holding `index` (which must be held). */
  #segmentPos(index: number): number {
    const segs = this.#segments;
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segs[mid]!.first <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  #segmentOf(index: number): Segment {
    return this.#segments[this.#segmentPos(index)]!;
  }
}
