import { forEachConcurrently, transactionBatches } from '../batching.js';
import { KvError, errorMessage } from '../errors.js';
import { byteLength, validateKey, validatePairs, validatePrefix, validateValue } from '../key-validation.js';
import type { KvPair, KvStore, KvStoreLimits } from '../kv-store.js';
import { noopLogger, type Logger } from '../logger.js';
import { ConsulHttp, kvPath } from './consul-http.js';

/** Options of the Consul store (orchestrator's Consul* keys, typed). */
export interface ConsulKvStoreOptions {
  /** Defaults to `consul`. */
  readonly name?: string;
  /** `host:port` (ConsulAddress). */
  readonly address: string;
  /** ConsulScheme, default `http`. */
  readonly scheme?: 'http' | 'https';
  /** ConsulAclToken, default none. */
  readonly aclToken?: string;
  /** PEM CA bundle to trust for https. */
  readonly caCert?: string;
  /** ConsulCrossDataCenterDistribution: also write every data center the agent knows of. */
  readonly crossDataCenterDistribution?: boolean;
  /** ConsulMaxKVsPerTransaction, clamped to [5, 64] like orchestrator. Default 5. */
  readonly maxKvsPerTransaction?: number;
  /** Bound on one HTTP exchange. Default 10,000 ms. */
  readonly requestTimeoutMs?: number;
  /** Transactions sent at once during a large putMany. Default 8. */
  readonly concurrency?: number;
  readonly logger?: Logger;
}

/** A Consul KV entry with its metadata. */
export interface ConsulKvEntry {
  readonly key: string;
  readonly value: string;
  readonly flags: number;
  readonly createIndex: number;
  readonly modifyIndex: number;
}

interface RawEntry {
  Key: string;
  Value: string | null;
  Flags?: number;
  CreateIndex?: number;
  ModifyIndex?: number;
}

/** Consul's documented limits: 512 KiB values (kv_max_value_size), 512 KiB txn bodies (txn_max_req_len), 64 ops per txn. */
export const CONSUL_MAX_VALUE_BYTES = 512 * 1024;
const CONSUL_TXN_MAX_BYTES = 512 * 1024;
const CONSUL_TXN_MAX_OPS = 64;
const ORCHESTRATOR_KVS_PER_CLUSTER = 5;

// A pair's size inside a txn body: base64 value, JSON key and the op's fixed text.
const txnCost = (p: KvPair): number => Math.ceil(byteLength(p.value) / 3) * 4 + byteLength(JSON.stringify(p.key)) + 64;

/**
 * Consul's KV over its HTTP API (undici): `/v1/kv` for single keys and listing, `/v1/txn` so that
 * each cluster's pairs change together, `X-Consul-Token` for ACLs, https with a CA, and
 * cross-data-center distribution that writes only what differs in each data center.
 *
 * @example
 * ```ts
 * const consul = new ConsulKvStore({ address: '127.0.0.1:8500', aclToken: process.env.CONSUL_TOKEN });
 * await consul.putMany(clusterMasterPairs({ alias: 'shop', host: 'db2', port: 3306 }));
 * ```
 */
export class ConsulKvStore implements KvStore {
  readonly name: string;
  readonly kind = 'consul' as const;
  readonly limits: KvStoreLimits;
  readonly #http: ConsulHttp;
  readonly #crossDc: boolean;
  readonly #concurrency: number;
  readonly #logger: Logger;
  #closed = false;

  constructor(options: ConsulKvStoreOptions) {
    if (
      options === null ||
      typeof options !== 'object' ||
      typeof options.address !== 'string' ||
      options.address.trim() === ''
    ) {
      throw new KvError('INVALID_ARGUMENT', 'ConsulKvStore needs options.address ("host:port")');
    }
    const scheme = options.scheme ?? 'http';
    if (scheme !== 'http' && scheme !== 'https')
      throw new KvError('INVALID_ARGUMENT', `consul scheme must be "http" or "https", got ${JSON.stringify(scheme)}`);
    this.name = options.name ?? 'consul';
    const perTxn = Math.min(
      CONSUL_TXN_MAX_OPS,
      Math.max(ORCHESTRATOR_KVS_PER_CLUSTER, Math.floor(options.maxKvsPerTransaction ?? ORCHESTRATOR_KVS_PER_CLUSTER)),
    );
    this.limits = Object.freeze({
      maxValueBytes: CONSUL_MAX_VALUE_BYTES,
      maxRequestBytes: CONSUL_TXN_MAX_BYTES,
      maxTransactionOps: perTxn,
    });
    this.#crossDc = options.crossDataCenterDistribution ?? false;
    this.#concurrency = options.concurrency ?? 8;
    this.#logger = options.logger ?? noopLogger;
    this.#http = new ConsulHttp({
      address: options.address.trim(),
      scheme,
      aclToken: options.aclToken ?? '',
      caCert: options.caCert,
      requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
      store: this.name,
    });
  }

  validate(pairs: readonly KvPair[]): void {
    validatePairs(pairs, this.limits, this.name);
    transactionBatches(pairs, this.limits, txnCost, this.name);
  }

  async put(key: string, value: string): Promise<void> {
    this.#open();
    validateKey(key, this.name);
    validateValue(key, value, this.limits, this.name);
    if (this.#crossDc) return this.putMany([{ key, value }]);
    await this.putEntry(key, value);
  }

  /**
   * Writes one key with Consul's options: `flags` (an opaque number stored with the key), `cas`
   * (write only if the key's ModifyIndex is this; 0 = only if absent), `dc`. Resolves to whether
   * Consul applied it (a failed cas resolves false).
   */
  async putEntry(
    key: string,
    value: string,
    options: { flags?: number; cas?: number; dc?: string } = {},
  ): Promise<boolean> {
    this.#open();
    validateKey(key, this.name);
    validateValue(key, value, this.limits, this.name);
    const res = await this.#http.send(
      'PUT',
      kvPath(key),
      { flags: options.flags?.toString(), cas: options.cas?.toString(), dc: options.dc },
      `writing key ${JSON.stringify(key)}`,
      value,
    );
    return res.body.trim() === 'true';
  }

  async putMany(pairs: readonly KvPair[]): Promise<void> {
    this.#open();
    this.validate(pairs);
    if (pairs.length === 0) return;
    if (!this.#crossDc) {
      await this.#writeDc(undefined, pairs);
      return;
    }
    const dcs = await this.datacenters();
    const failures: { dc: string; err: unknown }[] = [];
    await Promise.all(
      dcs.map(async (dc) => {
        try {
          const current = await this.#listRaw(commonKeyPrefix(pairs.map((p) => p.key)), dc);
          const have = new Map(current.map((e) => [e.key, e.value]));
          const changed = pairs.filter((p) => have.get(p.key) !== p.value);
          this.#logger.debug('consul cross-dc distribution', {
            store: this.name,
            dc,
            pairs: pairs.length,
            changed: changed.length,
          });
          await this.#writeDc(dc, changed);
        } catch (err) {
          failures.push({ dc, err });
        }
      }),
    );
    const first = failures[0];
    if (first !== undefined) {
      const code = first.err instanceof KvError ? first.err.code : 'STORE_ERROR';
      const list = failures.map((f) => `${f.dc}: ${errorMessage(f.err)}`).join('; ');
      throw new KvError(
        code,
        `consul cross-dc write failed in ${failures.length} of ${dcs.length} data centers: ${list}`,
        { cause: first.err, store: this.name },
      );
    }
  }

  /** The data centers the agent knows of (`/v1/catalog/datacenters`). */
  async datacenters(): Promise<string[]> {
    this.#open();
    const res = await this.#http.send('GET', '/v1/catalog/datacenters', {}, 'listing data centers');
    const parsed = parseJson(res.body, 'the data center list', this.name);
    if (!Array.isArray(parsed) || !parsed.every((d) => typeof d === 'string'))
      throw new KvError('STORE_ERROR', 'consul answered a data center list that is not an array of names', {
        store: this.name,
      });
    return parsed;
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.getEntry(key))?.value;
  }

  /** One key with its flags and indexes (ModifyIndex is what `cas` compares against). */
  async getEntry(key: string, options: { dc?: string } = {}): Promise<ConsulKvEntry | undefined> {
    this.#open();
    validateKey(key, this.name);
    const res = await this.#http.send('GET', kvPath(key), { dc: options.dc }, `reading key ${JSON.stringify(key)}`);
    if (res.status === 404) return undefined;
    const entries = this.#decode(res.body);
    return entries.find((e) => e.key === key);
  }

  async list(prefix: string): Promise<KvPair[]> {
    this.#open();
    validatePrefix(prefix, this.name);
    return (await this.#listRaw(prefix, undefined)).map(({ key, value }) => ({ key, value }));
  }

  async delete(key: string): Promise<void> {
    this.#open();
    validateKey(key, this.name);
    await this.#http.send('DELETE', kvPath(key), {}, `deleting key ${JSON.stringify(key)}`);
  }

  async ping(): Promise<void> {
    this.#open();
    const res = await this.#http.send('GET', '/v1/status/leader', {}, 'checking the leader');
    if (res.status !== 200 || res.body.trim() === '""' || res.body.trim() === '')
      throw new KvError('UNAVAILABLE', 'consul has no leader', { store: this.name });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#http.close();
  }

  async #listRaw(prefix: string, dc: string | undefined): Promise<ConsulKvEntry[]> {
    const res = await this.#http.send(
      'GET',
      prefix === '' ? '/v1/kv/' : kvPath(prefix),
      { recurse: '', dc },
      `listing prefix ${JSON.stringify(prefix)}`,
    );
    if (res.status === 404) return [];
    return this.#decode(res.body)
      .filter((e) => e.key.startsWith(prefix))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async #writeDc(dc: string | undefined, pairs: readonly KvPair[]): Promise<void> {
    const batches = transactionBatches(pairs, this.limits, txnCost, this.name);
    await forEachConcurrently(batches, this.#concurrency, async (batch) => {
      const only = batch[0];
      if (batch.length === 1 && only !== undefined) {
        // One key needs no transaction, and a plain PUT takes values the txn body limit would not.
        await this.putEntry(only.key, only.value, dc === undefined ? {} : { dc });
        return;
      }
      await this.#txn(dc, batch);
    });
  }

  async #txn(dc: string | undefined, batch: readonly KvPair[]): Promise<void> {
    const ops = batch.map((p) => ({
      KV: { Verb: 'set', Key: p.key, Value: Buffer.from(p.value, 'utf8').toString('base64') },
    }));
    const first = batch[0]?.key ?? '';
    const res = await this.#http.send(
      'PUT',
      '/v1/txn',
      { dc },
      `writing a transaction of ${batch.length} keys from ${JSON.stringify(first)}`,
      JSON.stringify(ops),
    );
    if (res.status === 409) {
      const parsed = parseJson(res.body, 'a transaction error', this.name) as {
        Errors?: { OpIndex?: number; What?: string }[];
      } | null;
      const errs = (parsed?.Errors ?? []).map(
        (e) => `op ${e.OpIndex ?? '?'} (${batch[e.OpIndex ?? -1]?.key ?? '?'}): ${e.What ?? '?'}`,
      );
      throw new KvError(
        'TRANSACTION_FAILED',
        `consul rolled back a transaction of ${batch.length} keys: ${errs.join('; ')}`,
        { key: first, store: this.name },
      );
    }
  }

  #decode(body: string): ConsulKvEntry[] {
    const parsed = parseJson(body, 'KV entries', this.name);
    if (!Array.isArray(parsed))
      throw new KvError('STORE_ERROR', 'consul answered KV entries that are not an array', { store: this.name });
    return (parsed as RawEntry[]).map((e) => ({
      key: e.Key,
      value: e.Value === null ? '' : Buffer.from(e.Value, 'base64').toString('utf8'),
      flags: e.Flags ?? 0,
      createIndex: e.CreateIndex ?? 0,
      modifyIndex: e.ModifyIndex ?? 0,
    }));
  }

  #open(): void {
    if (this.#closed) throw new KvError('CLOSED', `store ${this.name} is closed`, { store: this.name });
  }
}

/** The longest common prefix of the keys, cut back to a whole path segment (`a/b/`), or ''. */
export function commonKeyPrefix(keys: readonly string[]): string {
  const first = keys[0];
  if (first === undefined) return '';
  let prefix = first;
  for (const k of keys) {
    let i = 0;
    while (i < prefix.length && i < k.length && prefix[i] === k[i]) i++;
    prefix = prefix.slice(0, i);
  }
  if (keys.length === 1) return prefix;
  const slash = prefix.lastIndexOf('/');
  return slash < 0 ? '' : prefix.slice(0, slash + 1);
}

function parseJson(body: string, what: string, store: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch (err) {
    throw new KvError('STORE_ERROR', `consul answered ${what} that is not JSON`, { cause: err, store });
  }
}
