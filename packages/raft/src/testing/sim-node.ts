// One simulated server: a RawNode driven the way a real driver drives it, over an in-memory
// "disk" (log, hard state, snapshots) that survives crashes, and a KV state machine that does not.
import type { RaftCoreConfigInput } from '../core/config.js';
import type { Message, SnapshotChunk } from '../core/messages.js';
import { fillSnapshotChunk } from '../core/messages.js';
import { RawNode } from '../core/raw-node.js';
import type { ReadState, Ready, SoftState } from '../core/ready-types.js';
import { MemoryStorage } from '../core/storage.js';
import type { ConfState, Entry, NodeId, SnapshotMeta } from '../core/types.js';
import { logIndex } from '../core/types.js';
import type { Prng } from './prng.js';
import { KvStateMachine } from './kv-state-machine.js';

/** A snapshot on the simulated disk. */
export interface StoredSnapshot {
  readonly meta: SnapshotMeta;
  readonly data: Uint8Array;
}

/** What survives a crash: the log and hard state (as persisted), and the snapshots. */
export interface SimDisk {
  readonly storage: MemoryStorage;
  latestSnapshot: StoredSnapshot | null;
}

/** Something a node did while processing a Ready, for checkers and golden output. */
export type SimEvent =
  | { readonly kind: 'softState'; readonly soft: SoftState }
  /**
   * A Ready announcing leadership was taken (reported before it is persisted): `termAt` answers
   * for the leader's whole log at that moment, durable part and the Ready's new entries.
   */
  | { readonly kind: 'leaderElected'; readonly term: number; readonly termAt: (index: number) => number | undefined }
  | { readonly kind: 'persisted'; readonly entries: readonly Entry[]; readonly prevTerm: number | undefined }
  | { readonly kind: 'applied'; readonly entry: Entry }
  | { readonly kind: 'read'; readonly read: ReadState }
  | { readonly kind: 'snapshotInstalled'; readonly meta: SnapshotMeta }
  | { readonly kind: 'conf'; readonly conf: ConfState };

/** Options of a simulated node. */
export interface SimNodeOptions {
  readonly id: NodeId;
  /** Core config (id is filled in). */
  readonly config?: Omit<RaftCoreConfigInput, 'id' | 'applied'>;
  /** The membership a fresh disk starts with (empty for a node that joins later). */
  readonly initialConf: ConfState;
  readonly rng: Prng;
  /** Bytes per snapshot chunk sent (small in simulations to exercise chunking). */
  readonly snapshotChunkSize?: number;
  /**
   * Probability that a Ready's writes complete within the step it was taken in; below 1 the
   * node keeps stepping and ticking while a Ready is outstanding (as a driver with asynchronous
   * fsync does), and a crash loses the outstanding Ready. Default 1.
   */
  readonly persistChance?: number;
  /**
   * Let a leader whose term and vote are unchanged send a Ready's messages before its writes are
   * durable (Raft thesis 10.2.1, as the node driver does); its own commit counting only becomes
   * visible through later Readies. Default false.
   */
  readonly leaderSendsBeforePersist?: boolean;
}

function emptyDisk(conf: ConfState): SimDisk {
  return { storage: new MemoryStorage({ conf }), latestSnapshot: null };
}

/**
 * A simulated server. `processReady` runs the driver loop: persist, then hand out messages,
 * then apply; a crash loses everything but the disk.
 */
export class SimNode {
  readonly id: NodeId;
  readonly #opts: SimNodeOptions;
  #disk: SimDisk;
  #node: RawNode | null = null;
  #kv = new KvStateMachine();
  #incoming: { meta: SnapshotMeta; parts: Uint8Array[]; size: number } | null = null;
  /** The membership a restart without a snapshot falls back to. */
  #restartConf: ConfState;
  /** A Ready taken but not yet persisted (asynchronous persistence). */
  #pending: Ready | null = null;
  /** The pending Ready's messages went out already (leader fast path). */
  #pendingSent = false;
  /** What the driver has seen made durable / reported: for the leader fast path. */
  #knownRole: SoftState['role'] = 'follower';
  #durableTerm = -1;
  #durableVote: NodeId | null = null;
  /** The membership as of the state machine's applied index (for snapshots). */
  #appliedConf: ConfState;
  readonly #persistRng: Prng;

  constructor(opts: SimNodeOptions) {
    this.id = opts.id;
    this.#opts = opts;
    this.#restartConf = opts.initialConf;
    this.#appliedConf = opts.initialConf;
    this.#persistRng = opts.rng.fork();
    this.#disk = emptyDisk(opts.initialConf);
    this.start();
  }

  get isUp(): boolean {
    return this.#node !== null;
  }

  /** The running core; throws when the node is down. */
  get raw(): RawNode {
    if (this.#node === null) throw new Error(`sim: node ${this.id} is down`);
    return this.#node;
  }

  get kv(): KvStateMachine {
    return this.#kv;
  }

  get disk(): SimDisk {
    return this.#disk;
  }

  /** Builds the core from the disk, as a restarted process would. */
  start(): void {
    const snap = this.#disk.latestSnapshot;
    this.#kv = new KvStateMachine();
    this.#appliedConf = snap?.meta.conf ?? this.#restartConf;
    if (snap !== null) this.#kv.restore(snap.data);
    this.#disk.storage.setConf(this.#appliedConf);
    this.#incoming = null;
    const hs = this.#disk.storage.initialState().hardState;
    this.#durableTerm = hs.term;
    this.#durableVote = hs.vote;
    this.#knownRole = 'follower';
    this.#node = new RawNode(
      { ...this.#opts.config, id: this.id, applied: snap?.meta.index ?? 0 },
      this.#disk.storage,
      this.#opts.rng.next,
    );
  }

  /** Stops the process: only the disk remains. */
  crash(): void {
    this.#node = null;
    this.#incoming = null;
    this.#pending = null; // never made durable: lost with the process
    this.#knownRole = 'follower';
  }

  /** Crashes and loses the disk too (a replaced machine); restarts with an empty membership. */
  wipe(conf: ConfState = { voters: [], learners: [], votersOutgoing: [] }): void {
    this.crash();
    this.#disk = emptyDisk(conf);
    this.#restartConf = conf;
  }

  /**
   * Takes a snapshot of the state machine at its applied index and compacts the log, keeping
   * `keep` entries before it for slow followers. Returns the snapshot's metadata, or null when
   * there is nothing new to snapshot.
   */
  takeSnapshot(keep: number): SnapshotMeta | null {
    const applied = this.#kv.applied;
    const prev = this.#disk.latestSnapshot;
    if (applied === 0 || (prev !== null && prev.meta.index >= applied)) return null;
    const t = this.#disk.storage.term(logIndex(applied));
    if (t === undefined) return null;
    // The membership as of `applied`, not the core's (which may include changes handed out in a
    // Ready still being persisted).
    const meta: SnapshotMeta = { index: logIndex(applied), term: t, conf: this.#appliedConf };
    this.#disk.latestSnapshot = { meta, data: this.#kv.snapshot() };
    this.#disk.storage.setSnapshot(meta);
    const compactTo = applied - keep;
    if (compactTo >= this.#disk.storage.firstIndex()) this.#disk.storage.compact(logIndex(compactTo));
    return meta;
  }

  /**
   * Runs the driver loop: takes Readies and completes them (persist, send, apply, advance)
   * until the core has nothing more, or, with `persistChance` below 1, until a Ready's writes
   * are still "in flight" at the end of this step. Returns messages to send and events.
   */
  processReady(): { messages: Message[]; events: SimEvent[] } {
    const messages: Message[] = [];
    const events: SimEvent[] = [];
    const node = this.#node;
    if (node === null) return { messages, events };
    const chance = this.#opts.persistChance ?? 1;
    for (;;) {
      if (this.#pending === null) {
        if (!node.hasReady()) break;
        const rd = node.ready();
        this.#pending = rd;
        if (rd.softState?.role === 'leader') events.push(this.#leaderEvent(rd));
        this.#pendingSent = false;
        const unchanged =
          rd.hardState === null || (rd.hardState.term === this.#durableTerm && rd.hardState.vote === this.#durableVote);
        if (
          this.#opts.leaderSendsBeforePersist === true &&
          this.#knownRole === 'leader' &&
          rd.softState === null &&
          rd.snapshot === null &&
          unchanged
        ) {
          this.#send(node, rd, messages);
          this.#pendingSent = true;
        }
      }
      if (chance < 1 && !this.#persistRng.chance(chance)) break;
      const rd = this.#pending;
      const sent = this.#pendingSent;
      this.#pending = null;
      this.#handle(node, rd, messages, events, sent);
      node.advance(rd);
    }
    return { messages, events };
  }

  #leaderEvent(rd: Ready): SimEvent {
    const storage = this.#disk.storage;
    const fresh = new Map<number, number>();
    for (const e of rd.entries) fresh.set(e.index, e.term);
    const first = rd.entries[0]?.index ?? Infinity;
    return {
      kind: 'leaderElected',
      term: rd.softState?.term ?? 0,
      termAt: (i) => (i >= first ? fresh.get(i) : storage.term(logIndex(i))),
    };
  }

  #send(node: RawNode, rd: Ready, messages: Message[]): void {
    for (const m of rd.messages) {
      if (m.type === 'snapshot') {
        const filled = this.#fillChunk(m);
        if (filled === null) node.reportSnapshot(m.to, false);
        else messages.push(filled);
      } else {
        messages.push(m);
      }
    }
  }

  #handle(node: RawNode, rd: Ready, messages: Message[], events: SimEvent[], alreadySent: boolean): void {
    const storage = this.#disk.storage;
    for (const c of rd.snapshotChunks) {
      if (c.offset === 0) this.#incoming = { meta: c.meta, parts: [], size: 0 };
      const inc = this.#incoming;
      if (inc === null || inc.size !== c.offset || inc.meta.index !== c.meta.index) {
        throw new Error(`sim: snapshot chunk at ${c.offset} does not follow what was written`);
      }
      inc.parts.push(c.data);
      inc.size += c.data.length;
      if (c.done) {
        const data = new Uint8Array(inc.size);
        let off = 0;
        for (const p of inc.parts) {
          data.set(p, off);
          off += p.length;
        }
        this.#disk.latestSnapshot = { meta: inc.meta, data };
        this.#incoming = null;
      }
    }
    if (rd.snapshot !== null) {
      const snap = this.#disk.latestSnapshot;
      if (snap === null || snap.meta.index !== rd.snapshot.index)
        throw new Error('sim: installing a snapshot that was not received');
      this.#kv.restore(snap.data);
      this.#appliedConf = rd.snapshot.conf;
      storage.applySnapshot(rd.snapshot);
      events.push({ kind: 'snapshotInstalled', meta: rd.snapshot });
    }
    const first = rd.entries[0];
    if (first !== undefined) {
      storage.append(rd.entries);
      // The term before them as of this write (a later Ready may overwrite it).
      events.push({ kind: 'persisted', entries: rd.entries, prevTerm: storage.term(logIndex(first.index - 1)) });
    }
    if (rd.hardState !== null) {
      storage.setHardState(rd.hardState);
      this.#durableTerm = rd.hardState.term;
      this.#durableVote = rd.hardState.vote;
    }
    if (rd.softState !== null) {
      events.push({ kind: 'softState', soft: rd.softState });
      this.#knownRole = rd.softState.role;
    }
    if (!alreadySent) this.#send(node, rd, messages);
    for (const e of rd.committedEntries) {
      if (e.index <= this.#kv.applied) continue; // covered by a snapshot installed in this Ready
      this.#kv.apply(e);
      events.push({ kind: 'applied', entry: e });
    }
    for (const r of rd.readStates) events.push({ kind: 'read', read: r });
    if (rd.confState !== null) {
      this.#appliedConf = rd.confState;
      storage.setConf(rd.confState);
      events.push({ kind: 'conf', conf: rd.confState });
    }
  }

  #fillChunk(m: SnapshotChunk): SnapshotChunk | null {
    const snap = this.#disk.latestSnapshot;
    if (snap === null || snap.meta.index !== m.meta.index) return null;
    const size = this.#opts.snapshotChunkSize ?? 64;
    return fillSnapshotChunk(m, snap.data.subarray(m.offset, m.offset + size), snap.data.length);
  }
}
