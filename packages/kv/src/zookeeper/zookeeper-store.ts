import { ZK_ERROR, type ZkException, type ZkStat } from './zk-client.js';
import { forEachConcurrently, transactionBatches } from '../batching.js';
import { KvError, errorMessage } from '../errors.js';
import { byteLength, validateKey, validatePairs, validatePrefix } from '../key-validation.js';
import type { KvPair, KvStore, KvStoreLimits } from '../kv-store.js';
import { noopLogger, type Logger } from '../logger.js';
import { ZooKeeperSession } from './zookeeper-session.js';
import { systemClock, type Clock } from '../clock.js';

/** Options of the ZooKeeper store. */
export interface ZooKeeperKvStoreOptions {
  /** Defaults to `zookeeper`. */
  readonly name?: string;
  /** ZkAddress: `srv1[:port][,srv2[:port]...]`, port 2181 when omitted. */
  readonly connectString: string;
  /** Requested session timeout. Default 10,000 ms. */
  readonly sessionTimeoutMs?: number;
  /** Bound on a connection wait and on each request. Default 5,000 ms. */
  readonly requestTimeoutMs?: number;
  /** Multis sent at once during a large putMany. Default 4. */
  readonly concurrency?: number;
  readonly logger?: Logger;
  /** Timers for request and connection bounds. Default: the real clock. */
  readonly clock?: Clock;
}

// jute.maxbuffer defaults to 0xfffff bytes; a request over it makes the server drop the
// connection, so a margin is kept for the packet header, the path and the ACL.
const JUTE_MAX_BUFFER = 0xfffff;
/** ZooKeeper's limits as this store applies them. */
export const ZOOKEEPER_LIMITS: KvStoreLimits = Object.freeze({
  maxValueBytes: JUTE_MAX_BUFFER - 4096,
  maxRequestBytes: JUTE_MAX_BUFFER - 4096,
  maxTransactionOps: 1000,
});
// A pair's share of a multi: the path twice (parents may be created), the data, op headers and an ACL.
const multiCost = (p: KvPair): number => byteLength(p.value) + 2 * byteLength(p.key) + 96;

/** `mysql/master/a` → `/mysql/master/a` (orchestrator normalizes ZooKeeper keys to a leading slash). */
export function zkPath(key: string): string {
  return `/${key}`;
}

/**
 * ZooKeeper as a KV store: each key is a znode (`/mysql/master/a`), parents are created as
 * needed, and each cluster's pairs are written in one multi (all or nothing). The session is
 * re-opened after it expires and requests are bounded in time.
 *
 * `list` returns znodes with data, and leaves without; znodes created only as parents are not pairs.
 *
 * The client library (node-zookeeper-client) is loaded by the first call, not by importing
 * @orc/kv; if it cannot be loaded, calls fail with STORE_ERROR (not retryable).
 *
 * @example
 * ```ts
 * const zk = new ZooKeeperKvStore({ connectString: '127.0.0.1:2181' });
 * await zk.putMany(clusterMasterPairs({ alias: 'shop', host: 'db2', port: 3306 }));
 * ```
 */
export class ZooKeeperKvStore implements KvStore {
  readonly name: string;
  readonly kind = 'zookeeper' as const;
  readonly limits: KvStoreLimits = ZOOKEEPER_LIMITS;
  readonly #session: ZooKeeperSession;
  readonly #concurrency: number;
  /** Paths known to exist, so a repeated write needs no existence checks. */
  readonly #known = new Set<string>();
  #closed = false;

  constructor(options: ZooKeeperKvStoreOptions) {
    if (
      options === null ||
      typeof options !== 'object' ||
      typeof options.connectString !== 'string' ||
      options.connectString.trim() === ''
    ) {
      throw new KvError('INVALID_ARGUMENT', 'ZooKeeperKvStore needs options.connectString ("host:port[,host:port]")');
    }
    this.name = options.name ?? 'zookeeper';
    this.#concurrency = options.concurrency ?? 4;
    this.#session = new ZooKeeperSession({
      connectString: withDefaultPorts(options.connectString.trim()),
      sessionTimeoutMs: options.sessionTimeoutMs ?? 10_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 5_000,
      store: this.name,
      logger: options.logger ?? noopLogger,
      clock: options.clock ?? systemClock,
    });
  }

  /** The session owner (tests read its session id to expire it). */
  get session(): ZooKeeperSession {
    return this.#session;
  }

  validate(pairs: readonly KvPair[]): void {
    validatePairs(pairs, this.limits, this.name);
    transactionBatches(pairs, this.limits, multiCost, this.name);
  }

  put(key: string, value: string): Promise<void> {
    return this.putMany([{ key, value }]);
  }

  async putMany(pairs: readonly KvPair[]): Promise<void> {
    this.#open();
    this.validate(pairs);
    const batches = transactionBatches(pairs, this.limits, multiCost, this.name);
    await forEachConcurrently(batches, this.#concurrency, (batch) => this.#writeBatch(batch));
  }

  async get(key: string): Promise<string | undefined> {
    this.#open();
    validateKey(key, this.name);
    const found = await this.#getData(zkPath(key));
    // A znode kept only as a parent (no data, has children) is not a pair.
    if (found === undefined || (found.data === '' && found.stat.numChildren > 0)) return undefined;
    return found.data;
  }

  async list(prefix: string): Promise<KvPair[]> {
    this.#open();
    validatePrefix(prefix, this.name);
    const rootKey =
      prefix === ''
        ? ''
        : prefix.endsWith('/')
          ? prefix.slice(0, -1)
          : prefix.includes('/')
            ? prefix.slice(0, prefix.lastIndexOf('/'))
            : '';
    const out: KvPair[] = [];
    let level: string[] = [rootKey === '' ? '/' : zkPath(rootKey)];
    while (level.length > 0) {
      const next: string[] = [];
      await forEachConcurrently(level, 64, async (path) => {
        const key = path.slice(1);
        const found = path === '/' ? { data: '', stat: { numChildren: 1 } as ZkStat } : await this.#getData(path);
        if (found === undefined) return;
        if (key !== '' && key.startsWith(prefix) && (found.data !== '' || found.stat.numChildren === 0))
          out.push({ key, value: found.data });
        if (found.stat.numChildren === 0) return;
        const children = await this.#children(path);
        for (const child of children) {
          const childPath = path === '/' ? `/${child}` : `${path}/${child}`;
          const childKey = childPath.slice(1);
          if (childPath === '/zookeeper') continue;
          if (childKey.startsWith(prefix) || prefix.startsWith(`${childKey}/`)) next.push(childPath);
        }
      });
      level = next;
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Removes the znode; a znode with children keeps them and loses its data (it stops being a pair). */
  async delete(key: string): Promise<void> {
    this.#open();
    validateKey(key, this.name);
    const path = zkPath(key);
    try {
      await this.#session.call<void>(`deleting key ${JSON.stringify(key)}`, (c, done) =>
        c.remove(path, -1, (e) => done(e)),
      );
      this.#known.delete(path);
    } catch (err) {
      if (zkCode(err) === ZK_ERROR.NO_NODE) return;
      if (zkCode(err) === ZK_ERROR.NOT_EMPTY) {
        await this.#session
          .call<void>(`clearing key ${JSON.stringify(key)}`, (c, done) =>
            c.setData(path, Buffer.alloc(0), -1, (e) => done(e)),
          )
          .catch((e2: unknown) => {
            throw this.#wrap(e2, `clearing key ${JSON.stringify(key)}`);
          });
        return;
      }
      throw this.#wrap(err, `deleting key ${JSON.stringify(key)}`);
    }
  }

  async ping(): Promise<void> {
    this.#open();
    await this.#session
      .call<ZkStat | null>('checking the root', (c, done) => c.exists('/', (e, stat) => done(e, stat)))
      .catch((err: unknown) => {
        throw this.#wrap(err, 'checking the root');
      });
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#session.close();
  }

  async #writeBatch(batch: readonly KvPair[], attempt = 0): Promise<void> {
    const keyPaths = batch.map((p) => zkPath(p.key));
    // Every ancestor of every key, shallowest first, then the keys themselves.
    const ancestors = new Set<string>();
    for (const path of keyPaths) {
      const parts = path.split('/').slice(1, -1);
      for (let i = 1; i <= parts.length; i++) ancestors.add(`/${parts.slice(0, i).join('/')}`);
    }
    const keySet = new Set(keyPaths);
    const exists = await this.#existence([...ancestors, ...keyPaths].filter((p) => !this.#known.has(p)));
    const present = (p: string): boolean => this.#known.has(p) || exists.get(p) === true;
    // Parents before children: missing ancestors (empty znodes) and the keys themselves, by depth.
    const data = new Map(batch.map((p, i) => [keyPaths[i] as string, Buffer.from(p.value, 'utf8')]));
    const ops: { path: string; data: Buffer; create: boolean }[] = [...new Set([...ancestors, ...keyPaths])]
      .filter((path) => keySet.has(path) || !present(path))
      .sort((x, y) => x.split('/').length - y.split('/').length)
      .map((path) => ({ path, data: data.get(path) ?? Buffer.alloc(0), create: !present(path) }));
    const first = batch[0]?.key ?? '';
    try {
      await this.#session.call<unknown[]>(
        `writing a multi of ${batch.length} keys from ${JSON.stringify(first)}`,
        (c, done, zk) => {
          let tx = c.transaction();
          for (const op of ops)
            tx = op.create
              ? tx.create(op.path, op.data, zk.ACL.OPEN_ACL_UNSAFE, zk.CreateMode.PERSISTENT)
              : tx.setData(op.path, op.data, -1);
          tx.commit((e, r) => done(e, r));
        },
      );
    } catch (err) {
      const code = zkCode(err);
      if ((code === ZK_ERROR.NODE_EXISTS || code === ZK_ERROR.NO_NODE) && attempt === 0) {
        // Someone else created or removed a node since the check: look again once.
        for (const op of ops) this.#known.delete(op.path);
        return this.#writeBatch(batch, attempt + 1);
      }
      throw this.#wrap(err, `writing a multi of ${batch.length} keys from ${JSON.stringify(first)}`, first);
    }
    for (const op of ops) this.#known.add(op.path);
  }

  /**
   * Which of `paths` exist, found top-down by listing parents: the children of a parent that does
   * not exist need no request, so writing 1,000 new clusters costs a few listings, not thousands
   * of existence checks.
   */
  async #existence(paths: readonly string[]): Promise<Map<string, boolean>> {
    const exists = new Map<string, boolean>();
    const byDepth = new Map<number, string[]>();
    for (const p of new Set(paths)) {
      const depth = p.split('/').length;
      byDepth.set(depth, [...(byDepth.get(depth) ?? []), p]);
    }
    for (const depth of [...byDepth.keys()].sort((a, b) => a - b)) {
      const byParent = new Map<string, string[]>();
      for (const p of byDepth.get(depth) ?? []) {
        const parent = p.slice(0, p.lastIndexOf('/')) || '/';
        byParent.set(parent, [...(byParent.get(parent) ?? []), p]);
      }
      await forEachConcurrently([...byParent], 64, async ([parent, children]) => {
        const parentExists = parent === '/' || this.#known.has(parent) || exists.get(parent) !== false;
        const names = parentExists ? new Set(await this.#children(parent)) : new Set<string>();
        for (const child of children) exists.set(child, names.has(child.slice(child.lastIndexOf('/') + 1)));
      });
    }
    return exists;
  }

  async #getData(path: string): Promise<{ data: string; stat: ZkStat } | undefined> {
    try {
      return await this.#session.call<{ data: string; stat: ZkStat }>(`reading ${path}`, (c, done) =>
        c.getData(path, (e, data, stat) =>
          done(e, e ? undefined : { data: data === undefined ? '' : data.toString('utf8'), stat }),
        ),
      );
    } catch (err) {
      if (zkCode(err) === ZK_ERROR.NO_NODE) return undefined;
      throw this.#wrap(err, `reading ${path}`);
    }
  }

  async #children(path: string): Promise<string[]> {
    try {
      return await this.#session.call<string[]>(`listing ${path}`, (c, done) =>
        c.getChildren(path, (e, children) => done(e, children)),
      );
    } catch (err) {
      if (zkCode(err) === ZK_ERROR.NO_NODE) return [];
      throw this.#wrap(err, `listing ${path}`);
    }
  }

  #wrap(err: unknown, what: string, key?: string): KvError {
    if (err instanceof KvError) return err;
    const code = zkCode(err);
    const opts = { cause: err, store: this.name, ...(key === undefined ? {} : { key }) };
    const msg = `zookeeper failed while ${what}: ${errorMessage(err)}`;
    if (code === ZK_ERROR.CONNECTION_LOSS || code === ZK_ERROR.SESSION_EXPIRED || code === ZK_ERROR.OPERATION_TIMEOUT)
      return new KvError('UNAVAILABLE', msg, opts);
    if (code === ZK_ERROR.NO_AUTH || code === ZK_ERROR.AUTH_FAILED) return new KvError('UNAUTHORIZED', msg, opts);
    if (code === ZK_ERROR.NODE_EXISTS || code === ZK_ERROR.NO_NODE || code === ZK_ERROR.BAD_VERSION)
      return new KvError('TRANSACTION_FAILED', msg, opts);
    return new KvError('STORE_ERROR', msg, opts);
  }

  #open(): void {
    if (this.#closed) throw new KvError('CLOSED', `store ${this.name} is closed`, { store: this.name });
  }
}

function zkCode(err: unknown): number | undefined {
  return typeof (err as { getCode?: unknown })?.getCode === 'function' ? (err as ZkException).getCode() : undefined;
}

/** Adds `:2181` to servers given without a port (orchestrator's ZkAddress default). */
export function withDefaultPorts(connectString: string): string {
  const slash = connectString.indexOf('/');
  const hosts = slash < 0 ? connectString : connectString.slice(0, slash);
  const chroot = slash < 0 ? '' : connectString.slice(slash);
  return (
    hosts
      .split(',')
      .map((h) => h.trim())
      .filter((h) => h !== '')
      .map((h) => (/:\d+$/.test(h) ? h : `${h}:2181`))
      .join(',') + chroot
  );
}
