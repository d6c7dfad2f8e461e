import type * as Cockatiel from 'cockatiel';
import type * as Etcd3Module from 'etcd3';
import type { Etcd3, IRequestOp } from 'etcd3';
import { forEachConcurrently, transactionBatches } from '../batching.js';
import { KvError, errorMessage } from '../errors.js';
import { byteLength, validateKey, validatePairs, validatePrefix, validateValue } from '../key-validation.js';
import type { KvPair, KvStore, KvStoreLimits } from '../kv-store.js';

/** Options of the etcd v3 store. */
export interface EtcdKvStoreOptions {
  /** Defaults to `etcd`. */
  readonly name?: string;
  /** Client URLs, e.g. `['http://127.0.0.1:2379']` (https with `caCert`). */
  readonly endpoints: readonly string[];
  /** etcd user and password (auth enabled on the cluster). */
  readonly username?: string;
  readonly password?: string;
  /** PEM CA bundle for https endpoints. */
  readonly caCert?: string;
  /** Bound on each request (a gRPC deadline). Default 5,000 ms. */
  readonly requestTimeoutMs?: number;
  /** Transactions sent at once during a large putMany. Default 8. */
  readonly concurrency?: number;
}

// etcd's defaults: --max-request-bytes 1.5 MiB, --max-txn-ops 128.
const ETCD_MAX_REQUEST = 1.5 * 1024 * 1024;
/** etcd's limits as this store applies them (a margin is kept for the request's framing). */
export const ETCD_LIMITS: KvStoreLimits = Object.freeze({
  maxValueBytes: ETCD_MAX_REQUEST - 4096,
  maxRequestBytes: ETCD_MAX_REQUEST - 4096,
  maxTransactionOps: 128,
});
const putCost = (p: KvPair): number => byteLength(p.key) + byteLength(p.value) + 16;

/** The etcd3 package (its error classes and client) and cockatiel's no-op policy. */
interface EtcdModules {
  readonly etcd3: Omit<typeof Etcd3Module, 'default'>;
  readonly noop: (typeof Cockatiel)['noop'];
}

let loading: Promise<EtcdModules> | undefined;

/**
 * etcd3 (and with it gRPC) is loaded by the first call of the first etcd store, never by
 * importing @orc/kv: a user without an etcd store does not pay for it. A failed load is retried
 * on the next call.
 */
function loadEtcd(): Promise<EtcdModules> {
  loading ??= Promise.all([import('etcd3'), import('cockatiel')]).then(
    ([etcd3, cockatiel]) => ({ etcd3: etcd3.default, noop: cockatiel.default.noop }),
    (err: unknown) => {
      loading = undefined;
      throw err;
    },
  );
  return loading;
}

/** A live client with the module its errors come from. */
interface Connection {
  readonly client: Etcd3;
  readonly etcd3: EtcdModules['etcd3'];
}

/**
 * etcd v3 as a KV store (the etcd3 client over gRPC): keys are stored as given, each cluster's
 * pairs are written in one transaction, and user/password auth is supported. The client's own
 * retries and circuit breaker are switched off: every call is bounded by `requestTimeoutMs`, and
 * retrying is the reconciler's job. The etcd3 client (and gRPC) is loaded and connected by the
 * first call, not by importing @orc/kv or building the store.
 *
 * @example
 * ```ts
 * const etcd = new EtcdKvStore({ endpoints: ['http://127.0.0.1:2379'], username: 'orc', password: 's3cret' });
 * await etcd.putMany(clusterMasterPairs({ alias: 'shop', host: 'db2', port: 3306 }));
 * ```
 */
export class EtcdKvStore implements KvStore {
  readonly name: string;
  readonly kind = 'etcd' as const;
  readonly limits: KvStoreLimits = ETCD_LIMITS;
  readonly #options: EtcdKvStoreOptions;
  readonly #concurrency: number;
  #connecting: Promise<Connection> | undefined;
  #connection: Connection | undefined;
  #closed = false;

  constructor(options: EtcdKvStoreOptions) {
    if (
      options === null ||
      typeof options !== 'object' ||
      !Array.isArray(options.endpoints) ||
      options.endpoints.length === 0
    ) {
      throw new KvError('INVALID_ARGUMENT', 'EtcdKvStore needs options.endpoints (e.g. ["http://127.0.0.1:2379"])');
    }
    if ((options.username === undefined) !== (options.password === undefined)) {
      throw new KvError('INVALID_ARGUMENT', 'EtcdKvStore needs both username and password, or neither');
    }
    this.name = options.name ?? 'etcd';
    this.#concurrency = options.concurrency ?? 8;
    this.#options = { ...options, endpoints: [...options.endpoints] };
  }

  validate(pairs: readonly KvPair[]): void {
    validatePairs(pairs, this.limits, this.name);
    transactionBatches(pairs, this.limits, putCost, this.name);
  }

  async put(key: string, value: string): Promise<void> {
    this.#open();
    validateKey(key, this.name);
    validateValue(key, value, this.limits, this.name);
    await this.#call(`writing key ${JSON.stringify(key)}`, (c) => c.put(key).value(value).exec(), key);
  }

  async putMany(pairs: readonly KvPair[]): Promise<void> {
    this.#open();
    this.validate(pairs);
    const batches = transactionBatches(pairs, this.limits, putCost, this.name);
    await forEachConcurrently(batches, this.#concurrency, async (batch) => {
      const success: IRequestOp[] = batch.map((p) => ({
        request_put: { key: Buffer.from(p.key, 'utf8'), value: Buffer.from(p.value, 'utf8') },
      }));
      const first = batch[0]?.key ?? '';
      await this.#call(
        `writing a transaction of ${batch.length} keys from ${JSON.stringify(first)}`,
        (c) => c.kv.txn({ compare: [], success, failure: [] }),
        first,
      );
    });
  }

  async get(key: string): Promise<string | undefined> {
    this.#open();
    validateKey(key, this.name);
    const value = await this.#call(`reading key ${JSON.stringify(key)}`, (c) => c.get(key).string(), key);
    return value ?? undefined;
  }

  async list(prefix: string): Promise<KvPair[]> {
    this.#open();
    validatePrefix(prefix, this.name);
    const all = await this.#call(`listing prefix ${JSON.stringify(prefix)}`, (c) =>
      c.getAll().prefix(prefix).strings(),
    );
    return Object.entries(all)
      .map(([key, value]) => ({ key, value }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(key: string): Promise<void> {
    this.#open();
    validateKey(key, this.name);
    await this.#call(`deleting key ${JSON.stringify(key)}`, (c) => c.delete().key(key).exec(), key);
  }

  async ping(): Promise<void> {
    this.#open();
    // A read any authenticated user may do; it needs a leader to answer (serializable: false).
    await this.#call('checking the cluster', (c) => c.get('orc/ping').string());
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#connection?.client.close();
  }

  async #call<T>(what: string, fn: (client: Etcd3) => Promise<T>, key?: string): Promise<T> {
    const { client, etcd3 } = await this.#connect();
    try {
      return await fn(client);
    } catch (err) {
      throw this.#wrap(err, etcd3, what, key);
    }
  }

  /** The client, created (and etcd3 loaded) on the first call. */
  #connect(): Promise<Connection> {
    this.#connecting ??= loadEtcd().then(
      ({ etcd3, noop }) => {
        if (this.#closed) throw new KvError('CLOSED', `store ${this.name} is closed`, { store: this.name });
        const options = this.#options;
        const timeout = options.requestTimeoutMs ?? 5_000;
        const client = new etcd3.Etcd3({
          hosts: [...options.endpoints],
          dialTimeout: timeout,
          ...(options.username === undefined || options.password === undefined
            ? {}
            : {
                auth: {
                  username: options.username,
                  password: options.password,
                  callOptions: () => ({ deadline: Date.now() + timeout }),
                },
              }),
          ...(options.caCert === undefined ? {} : { credentials: { rootCertificate: Buffer.from(options.caCert) } }),
          defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + timeout }),
          faultHandling: { host: () => noop, global: noop },
        });
        this.#connection = { client, etcd3 };
        return this.#connection;
      },
      (err: unknown) => {
        this.#connecting = undefined;
        throw new KvError('STORE_ERROR', `cannot load the etcd client (etcd3): ${errorMessage(err)}`, {
          cause: err,
          store: this.name,
          retryable: false,
        });
      },
    );
    return this.#connecting;
  }

  #wrap(err: unknown, etcd3: EtcdModules['etcd3'], what: string, key?: string): KvError {
    if (err instanceof KvError) return err;
    const {
      EtcdAuthenticationFailedError,
      EtcdPermissionDeniedError,
      GRPCUnauthenticatedError,
      GRPCDeadlineExceededError,
      ClientClosedError,
      GRPCInvalidArgumentError,
      GRPCUnavailableError,
      isRecoverableError,
    } = etcd3;
    const opts = { cause: err, store: this.name, ...(key === undefined ? {} : { key }) };
    const msg = `etcd failed while ${what}: ${errorMessage(err)}`;
    if (
      err instanceof EtcdAuthenticationFailedError ||
      err instanceof EtcdPermissionDeniedError ||
      err instanceof GRPCUnauthenticatedError
    )
      return new KvError('UNAUTHORIZED', msg, opts);
    if (err instanceof GRPCDeadlineExceededError) return new KvError('TIMEOUT', msg, opts);
    if (err instanceof ClientClosedError) return new KvError('CLOSED', msg, opts);
    if (err instanceof GRPCInvalidArgumentError) return new KvError('INVALID_BATCH', msg, opts);
    if (err instanceof GRPCUnavailableError || isRecoverableError(err as Error))
      return new KvError('UNAVAILABLE', msg, opts);
    return new KvError('STORE_ERROR', msg, opts);
  }

  #open(): void {
    if (this.#closed) throw new KvError('CLOSED', `store ${this.name} is closed`, { store: this.name });
  }
}
