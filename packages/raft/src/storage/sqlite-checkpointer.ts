// WAL checkpoints off the main thread. SQLite's automatic checkpoint runs inside a committing
// write and syncs the database file there: a multi-millisecond stall of the node's event loop
// every ~1000 pages. Here a worker thread with its own connection runs PASSIVE checkpoints,
// which proceed alongside the main connection's writes; the main thread checkpoints itself only
// if the worker falls far behind or fails.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { errorField, type Logger } from '../logger.js';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { timeout: 5000 });
db.pragma('synchronous = FULL');
parentPort.on('message', (m) => {
  if (m === 'close') { db.close(); parentPort.close(); return; }
  try { db.pragma('wal_checkpoint(PASSIVE)'); parentPort.postMessage({ ok: true }); }
  catch (e) { parentPort.postMessage({ ok: false, error: String(e && e.message || e) }); }
});
`;

/** Asks a worker for a checkpoint every `every` commits; checkpoints inline past `maxBehind`. */
export class SqliteCheckpointer {
  readonly #worker: Worker | null;
  readonly #logger: Logger;
  readonly #every: number;
  readonly #maxBehind: number;
  readonly #inline: () => void;
  #sinceLast = 0;
  #busy = false;
  #failed = false;
  checkpoints = 0;
  inlineCheckpoints = 0;

  constructor(file: string, inline: () => void, logger: Logger, every = 256, maxBehind = 8192) {
    this.#logger = logger;
    this.#every = every;
    this.#maxBehind = maxBehind;
    this.#inline = inline;
    let worker: Worker | null = null;
    try {
      const module = createRequire(import.meta.url).resolve('better-sqlite3');
      worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, module } });
      worker.unref();
      worker.on('message', (m: { ok: boolean; error?: string }) => {
        this.#busy = false;
        if (m.ok) {
          this.checkpoints++;
          this.#sinceLast = 0;
        } else this.#fail(m.error ?? 'unknown error');
      });
      worker.on('error', (err) => this.#fail(errorField(err)));
    } catch (err) {
      logger.warn('raft log store: checkpoint worker unavailable, checkpointing inline', { reason: errorField(err) });
      this.#failed = true;
    }
    this.#worker = worker;
  }

  /** Called after each committed transaction. */
  committed(): void {
    this.#sinceLast++;
    if (this.#failed || this.#worker === null) {
      if (this.#sinceLast >= this.#every * 4) this.#checkpointInline();
      return;
    }
    if (!this.#busy && this.#sinceLast >= this.#every) {
      this.#busy = true;
      this.#worker.postMessage('checkpoint');
    } else if (this.#sinceLast >= this.#maxBehind) {
      this.#checkpointInline();
    }
  }

  async close(): Promise<void> {
    const w = this.#worker;
    if (w === null) return;
    const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
    w.ref(); // keep the process alive until the worker closed its connection
    w.postMessage('close');
    await Promise.race([exited, new Promise<void>((r) => setTimeout(r, 1000).unref())]);
    await w.terminate();
  }

  #checkpointInline(): void {
    try {
      this.#inline();
      this.inlineCheckpoints++;
      this.#sinceLast = 0;
    } catch (err) {
      this.#logger.warn('raft log store: inline checkpoint failed', { reason: errorField(err) });
    }
  }

  #fail(reason: string): void {
    if (!this.#failed) this.#logger.warn('raft log store: checkpoint worker failed, checkpointing inline', { reason });
    this.#failed = true;
    this.#busy = false;
  }
}
