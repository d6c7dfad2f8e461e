// Snapshots as files: each one a directory holding `state.bin` and `meta.json` (index, term,
// membership, size, sha256). Written under a temporary name, synced, renamed, and the parent
// directory synced, so a crash leaves either the whole snapshot or none. The newest N are kept.
import { createHash, type Hash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { open, readdir, readFile, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { SnapshotMeta } from '../core/types.js';
import type { SnapshotSink, SnapshotSource, SnapshotStore } from '../ports.js';
import { RaftError } from '../errors.js';
import { errorField, noopLogger, type Logger } from '../logger.js';

/** Options of {@link FileSnapshotStore}. */
export interface FileSnapshotStoreOptions {
  /** Directory that holds the snapshots; created when missing. */
  readonly dir: string;
  /** How many snapshots to keep. Default 2 (one spare when the newest turns out damaged). */
  readonly retain?: number;
  readonly logger?: Logger;
}

interface MetaFile {
  readonly version: 1;
  readonly meta: SnapshotMeta;
  readonly size: number;
  readonly sha256: string;
}

const TMP_SUFFIX = '.tmp';
const nameOf = (meta: SnapshotMeta): string =>
  `snapshot-${String(meta.index).padStart(16, '0')}-${String(meta.term).padStart(10, '0')}`;

async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * A durable, checksummed `SnapshotStore` in a directory.
 *
 * @example
 * ```ts
 * const snapshots = new FileSnapshotStore({ dir: '/var/lib/app/raft/snapshots', retain: 2 });
 * ```
 */
export class FileSnapshotStore implements SnapshotStore {
  readonly #dir: string;
  readonly #retain: number;
  readonly #logger: Logger;
  #cleaned = false;

  constructor(options: FileSnapshotStoreOptions) {
    const retain = options.retain ?? 2;
    if (!Number.isInteger(retain) || retain < 1) {
      throw new RaftError('INVALID_ARGUMENT', 'FileSnapshotStore: retain must be an integer >= 1', {
        details: [{ path: 'retain', message: `is ${retain}` }],
      });
    }
    this.#dir = options.dir;
    this.#retain = retain;
    this.#logger = options.logger ?? noopLogger;
    mkdirSync(this.#dir, { recursive: true });
  }

  async create(meta: SnapshotMeta): Promise<SnapshotSink> {
    await this.#cleanTemporaries();
    const name = nameOf(meta);
    const tmp = join(this.#dir, name + TMP_SUFFIX);
    await rm(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    const fh = await open(join(tmp, 'state.bin'), 'w');
    return new FileSnapshotSink(this, fh, tmp, join(this.#dir, name), meta);
  }

  async latest(): Promise<SnapshotSource | null> {
    for (const name of await this.#names()) {
      const source = await this.#openVerified(name);
      if (source !== null) return source;
    }
    return null;
  }

  async list(): Promise<SnapshotMeta[]> {
    const out: SnapshotMeta[] = [];
    for (const name of await this.#names()) {
      try {
        out.push((JSON.parse(await readFile(join(this.#dir, name, 'meta.json'), 'utf8')) as MetaFile).meta);
      } catch (err) {
        this.#logger.warn('raft snapshot metadata unreadable', { snapshot: name, reason: errorField(err) });
      }
    }
    return out;
  }

  /** @internal Called by a sink once its snapshot is in place. */
  async prune(): Promise<void> {
    const names = await this.#names();
    for (const name of names.slice(this.#retain)) {
      await rm(join(this.#dir, name), { recursive: true, force: true });
      this.#logger.debug('raft snapshot pruned', { snapshot: name });
    }
  }

  /** Snapshot directory names, newest first. */
  async #names(): Promise<string[]> {
    const all = await readdir(this.#dir);
    return all
      .filter((n) => n.startsWith('snapshot-') && !n.endsWith(TMP_SUFFIX))
      .sort()
      .reverse();
  }

  async #cleanTemporaries(): Promise<void> {
    if (this.#cleaned) return;
    this.#cleaned = true;
    for (const n of await readdir(this.#dir)) {
      if (n.endsWith(TMP_SUFFIX)) await rm(join(this.#dir, n), { recursive: true, force: true });
    }
  }

  async #openVerified(name: string): Promise<SnapshotSource | null> {
    const path = join(this.#dir, name);
    let file: MetaFile;
    try {
      file = JSON.parse(await readFile(join(path, 'meta.json'), 'utf8')) as MetaFile;
    } catch (err) {
      this.#logger.warn('raft snapshot skipped: metadata unreadable', { snapshot: name, reason: errorField(err) });
      return null;
    }
    let fh: FileHandle | undefined;
    try {
      fh = await open(join(path, 'state.bin'), 'r');
      const { size } = await fh.stat();
      if (size !== file.size) {
        this.#logger.warn('raft snapshot skipped: size mismatch', {
          snapshot: name,
          expected: file.size,
          actual: size,
        });
        await fh.close();
        return null;
      }
      const hash = createHash('sha256');
      const buf = Buffer.allocUnsafe(1 << 20);
      for (let offset = 0; offset < size;) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
        if (bytesRead === 0) break;
        hash.update(buf.subarray(0, bytesRead));
        offset += bytesRead;
      }
      const digest = hash.digest('hex');
      if (digest !== file.sha256) {
        this.#logger.warn('raft snapshot skipped: checksum mismatch', {
          snapshot: name,
          expected: file.sha256,
          actual: digest,
        });
        await fh.close();
        return null;
      }
      return new FileSnapshotSource(fh, file.meta, size);
    } catch (err) {
      await fh?.close().catch(() => undefined);
      this.#logger.warn('raft snapshot skipped: unreadable', { snapshot: name, reason: errorField(err) });
      return null;
    }
  }
}

class FileSnapshotSink implements SnapshotSink {
  readonly #store: FileSnapshotStore;
  readonly #fh: FileHandle;
  readonly #tmp: string;
  readonly #final: string;
  readonly #meta: SnapshotMeta;
  readonly #hash: Hash = createHash('sha256');
  #size = 0;
  #done = false;

  constructor(store: FileSnapshotStore, fh: FileHandle, tmp: string, final: string, meta: SnapshotMeta) {
    this.#store = store;
    this.#fh = fh;
    this.#tmp = tmp;
    this.#final = final;
    this.#meta = meta;
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.#done) throw new RaftError('INVALID_ARGUMENT', 'snapshot sink: write after commit or abort');
    let written = 0;
    while (written < chunk.byteLength) {
      const { bytesWritten } = await this.#fh.write(chunk, written, chunk.byteLength - written);
      written += bytesWritten;
    }
    this.#hash.update(chunk);
    this.#size += chunk.byteLength;
  }

  async commit(): Promise<void> {
    if (this.#done) throw new RaftError('INVALID_ARGUMENT', 'snapshot sink: commit after commit or abort');
    this.#done = true;
    try {
      await this.#fh.sync();
      await this.#fh.close();
      const file: MetaFile = { version: 1, meta: this.#meta, size: this.#size, sha256: this.#hash.digest('hex') };
      const metaPath = join(this.#tmp, 'meta.json');
      await writeFile(metaPath, JSON.stringify(file));
      const mh = await open(metaPath, 'r+');
      await mh.sync();
      await mh.close();
      await syncDir(this.#tmp);
      await rm(this.#final, { recursive: true, force: true });
      await rename(this.#tmp, this.#final);
      await syncDir(join(this.#final, '..'));
    } catch (err) {
      await rm(this.#tmp, { recursive: true, force: true }).catch(() => undefined);
      throw new RaftError('STORAGE', 'snapshot commit failed', { cause: err });
    }
    await this.#store.prune();
  }

  async abort(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    await this.#fh.close().catch(() => undefined);
    await rm(this.#tmp, { recursive: true, force: true });
  }
}

class FileSnapshotSource implements SnapshotSource {
  readonly meta: SnapshotMeta;
  readonly size: number;
  readonly #fh: FileHandle;

  constructor(fh: FileHandle, meta: SnapshotMeta, size: number) {
    this.#fh = fh;
    this.meta = meta;
    this.size = size;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const n = Math.max(0, Math.min(length, this.size - offset));
    const buf = Buffer.allocUnsafe(n);
    let got = 0;
    while (got < n) {
      const { bytesRead } = await this.#fh.read(buf, got, n - got, offset + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  }

  async close(): Promise<void> {
    await this.#fh.close();
  }
}
