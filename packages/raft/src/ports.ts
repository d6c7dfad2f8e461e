// Narrow storage and I/O ports. The node driver is the only caller; adapters implement them.
import type { ConfState, Entry, HardState, LogIndex, NodeId, SnapshotMeta, Term } from './core/types.js';

/**
 * The durable log. `append` must be durable (synced) when its promise resolves: the driver
 * sends messages that depend on these entries only afterwards.
 */
export interface LogStore {
  /** Index of the first entry still held, or `lastIndex + 1` when the log is empty. */
  firstIndex(): Promise<LogIndex>;
  /** Index of the last entry held, or the compacted index when the log is empty. */
  lastIndex(): Promise<LogIndex>;
  /** Entries in [lo, hi), at most `maxBytes` of data in all (at least one entry when any exists). */
  entries(lo: LogIndex, hi: LogIndex, maxBytes?: number): Promise<Entry[]>;
  /** The term of the entry at `index`, or undefined when it is not held. */
  term(index: LogIndex): Promise<Term | undefined>;
  /**
   * Appends entries, first removing any held entry at or after the first new index
   * (a leader's log overrides a follower's conflicting suffix). Durable on resolve.
   */
  append(entries: readonly Entry[]): Promise<void>;
  /** Drops every entry up to and including `index` (after a snapshot covers them). */
  compact(index: LogIndex, termAtIndex: Term): Promise<void>;
  /** Drops the whole log and starts it after `index` (a snapshot was installed). */
  reset(index: LogIndex, termAtIndex: Term): Promise<void>;
  close(): Promise<void>;
}

/** What a `StableStore` holds. */
export interface StoredState {
  readonly hardState: HardState;
  readonly conf: ConfState | null;
}

/**
 * Durable small state: hard state and membership. Durable on resolve. One object may implement
 * both `LogStore` and `StableStore` (the SQLite store does, so one sync covers both).
 */
export interface StableStore {
  /** The saved state, or null for a node that never saved any. */
  load(): Promise<StoredState | null>;
  saveHardState(state: HardState): Promise<void>;
  saveConf(conf: ConfState): Promise<void>;
  close(): Promise<void>;
}

/** A snapshot being written: the state machine streams its bytes, then commits or aborts it. */
export interface SnapshotSink {
  write(chunk: Uint8Array): Promise<void>;
  /** Makes the snapshot durable and visible; the newest snapshots are kept, older ones pruned. */
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export interface SnapshotSource {
  readonly meta: SnapshotMeta;
  readonly size: number;
  /** Reads `length` bytes at `offset`; fewer only at the end. */
  read(offset: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

export interface SnapshotStore {
  create(meta: SnapshotMeta): Promise<SnapshotSink>;
  /** The newest snapshot that verifies (checksum), or null. */
  latest(): Promise<SnapshotSource | null>;
  list(): Promise<SnapshotMeta[]>;
}

/**
 * Cancels one timer set by `Clock.setTimer`; cancelling a timer that already ran does nothing.
 *
 * @example
 * ```ts
 * const handle: TimerHandle = clock.setTimer(50, retry);
 * handle.cancel();
 * ```
 */
export interface TimerHandle {
  cancel(): void;
}

/**
 * Injected time, of the one shape every orc package declares (ADR 0002), so one object (the
 * exported `systemClock`, or a test's `ManualClock`) drives them all. The driver ticks the core
 * from it; tests pass a manual clock.
 *
 * @example
 * ```ts
 * const clock: Clock = systemClock;
 * const started = clock.now();
 * clock.setTimer(100, () => console.log('elapsed', clock.now() - started));
 * ```
 */
export interface Clock {
  /** Monotonic milliseconds: for timeouts and durations, never for timestamps. */
  now(): number;
  /** Epoch milliseconds: for timestamps. */
  wallNow(): number;
  /** Runs `fn` once after `ms`; the handle cancels it. Real timers are unref'd. */
  setTimer(ms: number, fn: () => void): TimerHandle;
}

/** Injected randomness in [0, 1): election timeouts are drawn from it. */
export type RandomSource = () => number;

/** What a transport tells its owner. */
export interface TransportHandlers {
  /**
   * Receives each payload with its (authenticated) sender. Throwing refuses the payload: the
   * transport logs the reason and closes that connection (e.g. an undecodable message).
   */
  onFrame(from: NodeId, payload: Uint8Array): void;
  /** A peer could not be reached, or a payload to it was dropped (queue full). Raft retries. */
  onPeerUnreachable?(peer: NodeId, reason: string): void;
}

/** Moves encoded messages between nodes. Delivery is best effort and in order per peer; Raft retries. */
export interface Transport {
  readonly localId: NodeId;
  /** The address other nodes reach this one at (known after `listen` for port 0). */
  readonly localAddress: string;
  /** Starts accepting connections and delivering payloads to `handlers`. */
  listen(handlers: TransportHandlers): Promise<void>;
  /**
   * Queues a payload to a peer. Never throws for an unreachable peer or a full queue; reports
   * through `onPeerUnreachable`. The payload must not be modified after the call.
   */
  send(to: NodeId, payload: Uint8Array): void;
  /** Sets or replaces a peer's address (membership changes at run time). */
  setPeer(id: NodeId, address: string): void;
  removePeer(id: NodeId): void;
  close(): Promise<void>;
}

/** A committed command as the state machine sees it. */
export interface AppliedEntry {
  readonly index: LogIndex;
  readonly term: Term;
  readonly data: Uint8Array;
}

/** A point-in-time capture of the state machine, written out while applies continue. */
export interface StateMachineSnapshot {
  /** Streams the captured state into `sink` (do not commit or abort it: the driver does). */
  persist(sink: SnapshotWriter): Promise<void>;
  /** Frees what the capture holds; called after `persist`, whether it succeeded or not. */
  release?(): void;
}

/** Where a state machine writes its snapshot bytes. */
export interface SnapshotWriter {
  write(chunk: Uint8Array): Promise<void>;
}

/**
 * The user's replicated state machine. It must be deterministic: every node applies the same
 * entries in the same order and must reach the same state and results.
 *
 * @example
 * ```ts
 * const kv = new Map<string, string>();
 * const sm: StateMachine<string | null> = {
 *   apply: (e) => { const { k, v } = JSON.parse(Buffer.from(e.data).toString()); const old = kv.get(k) ?? null; kv.set(k, v); return old; },
 *   snapshot: () => { const copy = JSON.stringify([...kv]); return { persist: (w) => w.write(Buffer.from(copy)) }; },
 *   restore: async (src) => { kv.clear(); for (const [k, v] of JSON.parse(Buffer.from(await src.read(0, src.size)).toString())) kv.set(k, v); },
 * };
 * ```
 */
export interface StateMachine<R = unknown> {
  /**
   * Applies one committed command; its return value settles the `apply()` call that proposed
   * it. A throw is deterministic too: it rejects that call with the thrown value.
   */
  apply(entry: AppliedEntry): R | Promise<R>;
  /** Captures the state as of the last applied entry; no apply runs until this returns. */
  snapshot(): StateMachineSnapshot | Promise<StateMachineSnapshot>;
  /** Replaces the whole state with a snapshot's. */
  restore(source: SnapshotSource): Promise<void>;
}
