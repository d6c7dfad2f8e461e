// Snapshot work of the driver: taking one from the state machine and compacting the log,
// receiving a leader's chunks into the snapshot store, and reading chunks to send.
import type { SnapshotMeta } from '../core/types.js';
import type { IncomingSnapshotChunk } from '../core/ready-types.js';
import type { LogMirror } from './log-mirror.js';
import type { LogStore, SnapshotSink, SnapshotSource, SnapshotStore, StateMachine } from '../ports.js';
import { RaftError } from '../errors.js';
import { errorField, type Logger } from '../logger.js';

export interface SnapshotterDeps {
  readonly store: SnapshotStore;
  readonly logStore: LogStore;
  readonly storage: LogMirror;
  readonly stateMachine: StateMachine;
  readonly logger: Logger;
  readonly trailing: number;
}

export class Snapshotter {
  readonly #d: SnapshotterDeps;
  #incoming: { sink: SnapshotSink; index: number; term: number } | null = null;
  #source: SnapshotSource | null = null;
  #sourceOpening: Promise<SnapshotSource | null> | null = null;
  /** Index of the newest snapshot held, and of the one before (the log is kept back to it). */
  lastIndex = 0;
  #previousIndex = 0;
  #taking = false;

  constructor(deps: SnapshotterDeps, lastIndex: number) {
    this.#d = deps;
    this.lastIndex = lastIndex;
    this.#previousIndex = lastIndex;
  }

  get isTaking(): boolean {
    return this.#taking;
  }

  /**
   * Captures the state machine now (no apply may run until this resolves), then writes the
   * snapshot and compacts the log in the background; `done` reports the outcome.
   */
  async take(meta: SnapshotMeta, done: (err: unknown, compactedTo: number) => void): Promise<void> {
    if (this.#taking) throw new RaftError('BUSY', 'a snapshot is already being taken');
    this.#taking = true;
    let capture;
    try {
      capture = await this.#d.stateMachine.snapshot();
    } catch (err) {
      this.#taking = false;
      throw err;
    }
    void this.#persist(meta, capture).then(
      (compactedTo) => done(null, compactedTo),
      (err: unknown) => done(err, 0),
    );
  }

  async #persist(meta: SnapshotMeta, capture: Awaited<ReturnType<StateMachine['snapshot']>>): Promise<number> {
    const d = this.#d;
    try {
      const sink = await d.store.create(meta);
      try {
        await capture.persist(sink);
        await sink.commit();
      } catch (err) {
        await sink.abort().catch(() => undefined);
        throw err;
      }
    } finally {
      capture.release?.();
      this.#taking = false;
    }
    this.#previousIndex = this.lastIndex;
    this.lastIndex = meta.index;
    await this.#dropSource();
    d.storage.setSnapshot(meta);
    // Keep the log back to the previous snapshot too: if the newest one turns out damaged on
    // restart, the older one plus the log still rebuild the state.
    const target = Math.min(meta.index - d.trailing, this.#previousIndex);
    const compactTo = Math.min(target, d.storage.lastIndex());
    const t = d.storage.term(compactTo as never);
    if (compactTo >= d.storage.firstIndex() && t !== undefined) {
      await d.logStore.compact(compactTo as never, t);
      d.storage.compact(compactTo as never);
      return compactTo;
    }
    return d.storage.firstIndex() - 1;
  }

  /** Writes a received chunk; the last one commits the snapshot (installed by the next Ready.snapshot). */
  async receive(chunk: IncomingSnapshotChunk): Promise<void> {
    if (chunk.offset === 0) {
      await this.#incoming?.sink.abort().catch(() => undefined);
      this.#incoming = { sink: await this.#d.store.create(chunk.meta), index: chunk.meta.index, term: chunk.meta.term };
    }
    const inc = this.#incoming;
    if (inc === null || inc.index !== chunk.meta.index || inc.term !== chunk.meta.term) {
      throw new RaftError('STORAGE', 'snapshot chunk does not continue the snapshot being received', {
        details: [{ path: 'chunk.offset', message: `${chunk.offset} for snapshot ${chunk.meta.index}` }],
      });
    }
    await inc.sink.write(chunk.data);
    if (chunk.done) {
      this.#incoming = null;
      await inc.sink.commit();
    }
  }

  /** Restores the state machine from the stored snapshot `meta` names, and resets the log after it. */
  async install(meta: SnapshotMeta): Promise<void> {
    const d = this.#d;
    await this.#dropSource();
    const src = await d.store.latest();
    if (src === null || src.meta.index !== meta.index || src.meta.term !== meta.term) {
      await src?.close();
      throw new RaftError('STORAGE', 'the snapshot to install is not the newest valid one in the snapshot store', {
        details: [{ path: 'snapshot.index', message: `wanted ${meta.index}, store has ${src?.meta.index ?? 'none'}` }],
      });
    }
    try {
      await d.stateMachine.restore(src);
    } finally {
      await src.close();
    }
    await d.logStore.reset(meta.index, meta.term);
    d.storage.applySnapshot(meta);
    this.#previousIndex = meta.index;
    this.lastIndex = meta.index;
  }

  /** Reads the bytes of an outgoing chunk, or null when that snapshot is no longer held. */
  async readChunk(
    meta: SnapshotMeta,
    offset: number,
    length: number,
  ): Promise<{ data: Uint8Array; size: number } | null> {
    let src = this.#source;
    if (src === null || src.meta.index !== meta.index) {
      this.#sourceOpening ??= this.#d.store.latest();
      const opened = await this.#sourceOpening;
      this.#sourceOpening = null;
      if (opened !== null && opened !== this.#source) {
        await this.#source?.close().catch(() => undefined);
        this.#source = opened;
      }
      src = this.#source;
    }
    if (src === null || src.meta.index !== meta.index || src.meta.term !== meta.term) return null;
    return { data: await src.read(offset, length), size: src.size };
  }

  async #dropSource(): Promise<void> {
    const s = this.#source;
    this.#source = null;
    await s
      ?.close()
      .catch((err: unknown) => this.#d.logger.debug('raft snapshot source close failed', { reason: errorField(err) }));
  }

  async close(): Promise<void> {
    await this.#incoming?.sink.abort().catch(() => undefined);
    this.#incoming = null;
    await this.#dropSource();
  }
}
