// The Raft log and stable state in one SQLite database file of their own (WAL, synchronous=FULL).
// Writes are group-committed: every write requested in one synchronous run (flushed in a microtask) goes into one
// transaction, so one WAL sync covers many entries; each promise resolves once that sync is done.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfState, Entry, EntryType, HardState, LogIndex, Term } from '../core/types.js';
import type { LogStore, StableStore, StoredState } from '../ports.js';
import { RaftError } from '../errors.js';
import { errorField, noopLogger, type Logger } from '../logger.js';
import { checkAppend, checkCompact } from './log-checks.js';
import { SqliteCheckpointer } from './sqlite-checkpointer.js';
import { entryChecksum, LOG_FORMAT, migrateLog, verifyEntry } from './sqlite-log-schema.js';
import { openLogDatabase, type SqliteDatabase, type SqliteStatement } from './sqlite-types.js';

/** Options of {@link SqliteLogStore.open}. */
export interface SqliteLogStoreOptions {
  /** Directory that holds the database file; created when missing. */
  readonly dir: string;
  /** File name inside `dir`. Default `raft-log.db`. */
  readonly fileName?: string;
  /**
   * SQLite's `synchronous` setting. `FULL` (default) syncs the WAL on every commit: a write is
   * durable when its promise resolves. `OFF` is for benchmarks of the CPU path only: NOT durable.
   */
  readonly synchronous?: 'FULL' | 'NORMAL' | 'OFF';
  /**
   * Run WAL checkpoints on a worker thread instead of inside commits (SQLite's automatic
   * checkpoint). Removes an occasional multi-millisecond stall from the write path at the cost
   * of a second connection and a worker thread (~20 MB of resident memory). Default false.
   */
  readonly backgroundCheckpoint?: boolean;
  readonly logger?: Logger;
}

type Op =
  | { readonly kind: 'append'; readonly entries: readonly Entry[] }
  | { readonly kind: 'hardState'; readonly state: HardState }
  | { readonly kind: 'conf'; readonly conf: ConfState }
  | { readonly kind: 'compact'; readonly index: number; readonly term: number }
  | { readonly kind: 'reset'; readonly index: number; readonly term: number };

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

const asBuffer = (u: Uint8Array): Buffer =>
  Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/**
 * A durable `LogStore` and `StableStore` on SQLite (better-sqlite3).
 *
 * @example
 * ```ts
 * const store = SqliteLogStore.open({ dir: '/var/lib/app/raft' });
 * const raft = await Raft.create({ ..., logStore: store, stableStore: store });
 * ```
 */
export class SqliteLogStore implements LogStore, StableStore {
  readonly #db: SqliteDatabase;
  readonly #logger: Logger;
  readonly #file: string;
  // What is committed (visible to reads) and what will be after the queued writes (for checks).
  #compactedIndex = 0;
  #compactedTerm = 0;
  #lastIndex = 0;
  #projectedCompacted = 0;
  #projectedLast = 0;
  #queue: Op[] = [];
  #waiters: Waiter[] = [];
  #scheduled = false;
  #closed = false;
  #groups = 0;
  #groupedOps = 0;
  readonly #stmt: {
    insert: SqliteStatement;
    truncateFrom: SqliteStatement;
    deleteUpTo: SqliteStatement;
    deleteAll: SqliteStatement;
    range: SqliteStatement;
    term: SqliteStatement;
    maxIdx: SqliteStatement;
    getMeta: SqliteStatement;
    putMeta: SqliteStatement;
  };
  readonly #flushTx: (ops: readonly Op[]) => void;
  readonly #checkpointer: SqliteCheckpointer | null;

  private constructor(db: SqliteDatabase, file: string, logger: Logger, backgroundCheckpoint: boolean) {
    this.#db = db;
    this.#file = file;
    this.#logger = logger;
    this.#stmt = {
      insert: db.prepare('INSERT OR REPLACE INTO raft_log (idx, term, type, data, crc) VALUES (?, ?, ?, ?, ?)'),
      truncateFrom: db.prepare('DELETE FROM raft_log WHERE idx >= ?'),
      deleteUpTo: db.prepare('DELETE FROM raft_log WHERE idx <= ?'),
      deleteAll: db.prepare('DELETE FROM raft_log'),
      range: db
        .prepare('SELECT idx, term, type, data, crc FROM raft_log WHERE idx >= ? AND idx < ? ORDER BY idx')
        .raw(true),
      term: db.prepare('SELECT idx, term, type, data, crc FROM raft_log WHERE idx = ?').raw(true),
      maxIdx: db.prepare('SELECT MAX(idx) FROM raft_log').pluck(true),
      getMeta: db.prepare('SELECT v FROM raft_meta WHERE k = ?').pluck(true),
      putMeta: db.prepare('INSERT OR REPLACE INTO raft_meta (k, v) VALUES (?, ?)'),
    };
    this.#flushTx = db.transaction((ops: readonly Op[]) => {
      for (const op of ops) this.#execute(op);
    });
    this.#checkpointer = backgroundCheckpoint
      ? new SqliteCheckpointer(file, () => db.pragma('wal_checkpoint(PASSIVE)'), logger)
      : null;
    const compacted = this.#getMeta<{ index: number; term: number }>('compacted');
    this.#compactedIndex = compacted?.index ?? 0;
    this.#compactedTerm = compacted?.term ?? 0;
    const max = this.#stmt.maxIdx.get() as number | null;
    this.#lastIndex = max ?? this.#compactedIndex;
    this.#projectedCompacted = this.#compactedIndex;
    this.#projectedLast = this.#lastIndex;
  }

  /**
   * Opens (or creates) the store in `options.dir`, migrating a log written by an earlier version
   * to the current format. Opening writes (and syncs) once, so a directory or file that cannot be
   * written is refused here, with its path and the reason, not at the node's first append.
   * Throws a `STORAGE` RaftError on failure (`CORRUPTED` never: entries are checked when read).
   */
  static open(options: SqliteLogStoreOptions): SqliteLogStore {
    const logger = options.logger ?? noopLogger;
    const file = join(options.dir, options.fileName ?? 'raft-log.db');
    let db: SqliteDatabase | undefined;
    try {
      mkdirSync(options.dir, { recursive: true });
      db = openLogDatabase(file);
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
      // With background checkpoints a worker thread runs them (SqliteCheckpointer), not our commits.
      if (options.backgroundCheckpoint === true) db.pragma('wal_autocheckpoint = 0');
      // One write transaction: a fresh store costs one sync, a migration is all or nothing, and a
      // store that cannot be written fails now.
      const opened = db;
      const format = db.transaction(() => migrateLog(opened, file)).immediate();
      if (format.from < LOG_FORMAT)
        logger.info('raft log store migrated', { file, fromFormat: format.from, entries: format.migrated });
      const store = new SqliteLogStore(db, file, logger, options.backgroundCheckpoint === true);
      logger.info('raft log store opened', {
        file,
        firstIndex: store.#compactedIndex + 1,
        lastIndex: store.#lastIndex,
      });
      return store;
    } catch (err) {
      if (db?.open === true) db.close();
      const reason = errorField(err);
      throw new RaftError('STORAGE', `cannot open the SQLite log store at ${file}: ${reason}`, {
        cause: err,
        details: [{ path: file, message: reason }],
      });
    }
  }

  /** How many transactions were committed and how many writes they carried (group commit). */
  get groupCommitStats(): { readonly transactions: number; readonly writes: number } {
    return { transactions: this.#groups, writes: this.#groupedOps };
  }

  /** With `backgroundCheckpoint`: WAL checkpoints done by the worker thread and (as a fallback) inline. */
  get checkpointStats(): { readonly background: number; readonly inline: number } {
    return { background: this.#checkpointer?.checkpoints ?? 0, inline: this.#checkpointer?.inlineCheckpoints ?? 0 };
  }

  async firstIndex(): Promise<LogIndex> {
    this.#check();
    return (this.#compactedIndex + 1) as LogIndex;
  }

  async lastIndex(): Promise<LogIndex> {
    this.#check();
    return this.#lastIndex as LogIndex;
  }

  async entries(lo: LogIndex, hi: LogIndex, maxBytes = Infinity): Promise<Entry[]> {
    this.#check();
    const out: Entry[] = [];
    let bytes = 0;
    for (const row of this.#stmt.range.iterate(Math.max(lo, this.#compactedIndex + 1), hi)) {
      const [idx, t, type, data, crc] = row as [number, number, number, Buffer, number];
      verifyEntry(this.#file, idx, t, type, data, crc);
      bytes += data.byteLength;
      if (out.length > 0 && bytes > maxBytes) break;
      out.push({ index: idx as LogIndex, term: t as Term, type: type as EntryType, data });
    }
    return out;
  }

  async term(index: LogIndex): Promise<Term | undefined> {
    this.#check();
    if (index === this.#compactedIndex) return this.#compactedTerm as Term;
    if (index < this.#compactedIndex || index > this.#lastIndex) return undefined;
    const row = this.#stmt.term.get(index) as [number, number, number, Buffer, number] | undefined;
    if (row === undefined) return undefined;
    verifyEntry(this.#file, ...row);
    return row[1] as Term;
  }

  append(entries: readonly Entry[]): Promise<void> {
    const first = entries[0];
    if (first === undefined) return Promise.resolve();
    try {
      this.#check();
      checkAppend(entries, this.#projectedCompacted, this.#projectedLast);
    } catch (err) {
      return Promise.reject(err);
    }
    this.#projectedLast = first.index + entries.length - 1;
    return this.#enqueue({ kind: 'append', entries });
  }

  compact(index: LogIndex, termAtIndex: Term): Promise<void> {
    if (index <= this.#projectedCompacted) return Promise.resolve();
    try {
      this.#check();
      checkCompact(index, this.#projectedLast);
    } catch (err) {
      return Promise.reject(err);
    }
    this.#projectedCompacted = index;
    return this.#enqueue({ kind: 'compact', index, term: termAtIndex });
  }

  reset(index: LogIndex, termAtIndex: Term): Promise<void> {
    try {
      this.#check();
    } catch (err) {
      return Promise.reject(err);
    }
    this.#projectedCompacted = index;
    this.#projectedLast = index;
    return this.#enqueue({ kind: 'reset', index, term: termAtIndex });
  }

  async load(): Promise<StoredState | null> {
    this.#check();
    const hardState = this.#getMeta<HardState>('hardState');
    const conf = this.#getMeta<ConfState>('conf');
    if (hardState === undefined && conf === undefined) return null;
    return { hardState: hardState ?? { term: 0 as Term, vote: null, commit: 0 as LogIndex }, conf: conf ?? null };
  }

  saveHardState(state: HardState): Promise<void> {
    return this.#closed ? Promise.reject(closedError()) : this.#enqueue({ kind: 'hardState', state });
  }

  saveConf(conf: ConfState): Promise<void> {
    return this.#closed ? Promise.reject(closedError()) : this.#enqueue({ kind: 'conf', conf });
  }

  /** Writes what is queued, then closes the database. Later calls fail with `SHUTDOWN`. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#flush();
    this.#closed = true;
    await this.#checkpointer?.close();
    this.#db.close();
  }

  #enqueue(op: Op): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#queue.push(op);
      this.#waiters.push({ resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        // Writes requested together (e.g. a Ready's entries and hard state) share a transaction and its sync.
        queueMicrotask(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const ops = this.#queue;
    const waiters = this.#waiters;
    if (ops.length === 0) return;
    this.#queue = [];
    this.#waiters = [];
    try {
      this.#flushTx(ops);
      this.#groups++;
      this.#groupedOps += ops.length;
      this.#checkpointer?.committed();
    } catch (err) {
      const reason = errorField(err);
      this.#logger.error('raft log store write failed', { file: this.#file, ops: ops.length, reason });
      // Re-read what is on disk so later checks start from the truth.
      this.#reload();
      // The reason in the message: it becomes the node's FATAL error, often the only line an
      // embedding service logs before it exits (the store's own logger is optional).
      const error = new RaftError('STORAGE', `SQLite log store write failed at ${this.#file}: ${reason}`, {
        cause: err,
        details: [{ path: this.#file, message: reason }],
      });
      for (const w of waiters) w.reject(error);
      return;
    }
    for (const w of waiters) w.resolve();
  }

  #execute(op: Op): void {
    switch (op.kind) {
      case 'append': {
        const first = op.entries[0]!;
        if (first.index <= this.#lastIndex) this.#stmt.truncateFrom.run(first.index);
        for (const e of op.entries)
          this.#stmt.insert.run(
            e.index,
            e.term,
            e.type,
            asBuffer(e.data),
            entryChecksum(e.index, e.term, e.type, e.data),
          );
        this.#lastIndex = first.index + op.entries.length - 1;
        return;
      }
      case 'hardState':
        this.#stmt.putMeta.run('hardState', JSON.stringify(op.state));
        return;
      case 'conf':
        this.#stmt.putMeta.run('conf', JSON.stringify(op.conf));
        return;
      case 'compact':
        this.#stmt.deleteUpTo.run(op.index);
        this.#setCompacted(op.index, op.term);
        return;
      case 'reset':
        this.#stmt.deleteAll.run();
        this.#setCompacted(op.index, op.term);
        this.#lastIndex = op.index;
        return;
    }
  }

  #setCompacted(index: number, term: number): void {
    this.#stmt.putMeta.run('compacted', JSON.stringify({ index, term }));
    this.#compactedIndex = index;
    this.#compactedTerm = term;
  }

  #reload(): void {
    const compacted = this.#getMeta<{ index: number; term: number }>('compacted');
    this.#compactedIndex = compacted?.index ?? 0;
    this.#compactedTerm = compacted?.term ?? 0;
    this.#lastIndex = (this.#stmt.maxIdx.get() as number | null) ?? this.#compactedIndex;
    this.#projectedCompacted = this.#compactedIndex;
    this.#projectedLast = this.#lastIndex;
  }

  #getMeta<T>(key: string): T | undefined {
    const v = this.#stmt.getMeta.get(key) as string | undefined;
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }

  #check(): void {
    if (this.#closed) throw closedError();
  }
}

function closedError(): RaftError {
  return new RaftError('SHUTDOWN', 'SQLite log store is closed');
}
