// Snapshots held in memory: for tests and for nodes that keep nothing on disk.
import type { SnapshotMeta } from '../core/types.js';
import type { SnapshotSink, SnapshotSource, SnapshotStore } from '../ports.js';
import { RaftError } from '../errors.js';

interface Held {
  readonly meta: SnapshotMeta;
  readonly data: Uint8Array;
}

/**
 * A `SnapshotStore` in memory that keeps the newest `retain` snapshots.
 *
 * @example
 * ```ts
 * const snapshots = new MemorySnapshotStore();
 * ```
 */
export class MemorySnapshotStore implements SnapshotStore {
  #held: Held[] = [];
  readonly #retain: number;

  constructor(options: { readonly retain?: number } = {}) {
    this.#retain = Math.max(1, options.retain ?? 2);
  }

  async create(meta: SnapshotMeta): Promise<SnapshotSink> {
    const chunks: Uint8Array[] = [];
    let done = false;
    return {
      write: async (chunk) => {
        if (done) throw new RaftError('INVALID_ARGUMENT', 'snapshot sink: write after commit or abort');
        chunks.push(chunk.slice());
      },
      commit: async () => {
        if (done) throw new RaftError('INVALID_ARGUMENT', 'snapshot sink: commit after commit or abort');
        done = true;
        const data = Buffer.concat(chunks);
        this.#held = [
          { meta, data },
          ...this.#held.filter((h) => h.meta.index !== meta.index || h.meta.term !== meta.term),
        ]
          .sort((a, b) => b.meta.index - a.meta.index || b.meta.term - a.meta.term)
          .slice(0, this.#retain);
      },
      abort: async () => {
        done = true;
      },
    };
  }

  async latest(): Promise<SnapshotSource | null> {
    const h = this.#held[0];
    if (h === undefined) return null;
    return {
      meta: h.meta,
      size: h.data.byteLength,
      read: async (offset, length) => h.data.subarray(offset, Math.min(h.data.byteLength, offset + length)),
      close: async () => {},
    };
  }

  async list(): Promise<SnapshotMeta[]> {
    return this.#held.map((h) => h.meta);
  }
}
