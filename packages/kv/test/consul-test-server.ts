// A TEST SERVER, not Consul: an in-process node:http(s) server that speaks the documented subset
// of Consul's HTTP API that @orc/kv uses, so the Consul store can be tested where no Consul
// server can be installed. Implemented from Consul's API documentation:
//   GET/PUT/DELETE /v1/kv/<key>  (?recurse, ?keys, ?separator, ?raw, ?dc, ?cas, ?flags; base64
//                                 values in JSON; CreateIndex/ModifyIndex; X-Consul-Index)
//   PUT /v1/txn                  (KV verbs set, cas, get, get-tree, check-index, check-not-exists,
//                                 delete, delete-cas, delete-tree; all or nothing; 409 + Errors)
//   GET /v1/catalog/datacenters, GET /v1/status/leader
//   X-Consul-Token (or ?token=) checked on /v1/kv and /v1/txn: 403 when wrong.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

interface Entry {
  value: Buffer;
  flags: number;
  createIndex: number;
  modifyIndex: number;
}

interface Dc {
  index: number;
  kv: Map<string, Entry>;
}

/** Options of the test server. */
export interface ConsulTestServerOptions {
  /** Data centers; the first is the agent's own. Default ['dc1']. */
  readonly datacenters?: readonly string[];
  /** When set, /v1/kv and /v1/txn require this token. */
  readonly token?: string;
  /** Serve https with this key pair. */
  readonly tls?: { readonly key: string; readonly cert: string };
}

/** What the test server counts, per data center. */
export interface ConsulTestServerStats {
  requests: number;
  txns: number;
  kvWrites: Map<string, number>;
}

const MAX_VALUE = 512 * 1024;
const MAX_TXN_BYTES = 512 * 1024;
const MAX_TXN_OPS = 64;

/** Starts the test server on 127.0.0.1 and a free port. */
export async function startConsulTestServer(options: ConsulTestServerOptions = {}): Promise<ConsulTestServer> {
  const server = new ConsulTestServer(options);
  await server.start();
  return server;
}

/** The running test server; `stop()`/`start()` take it down and bring it back on the same port. */
export class ConsulTestServer {
  readonly #options: ConsulTestServerOptions;
  readonly #dcs = new Map<string, Dc>();
  readonly #server: Server;
  #port = 0;
  #hung = false;
  #failTxnKeys = new Set<string>();
  readonly stats: ConsulTestServerStats = { requests: 0, txns: 0, kvWrites: new Map() };

  constructor(options: ConsulTestServerOptions) {
    this.#options = options;
    for (const dc of options.datacenters ?? ['dc1']) this.#dcs.set(dc, { index: 1, kv: new Map() });
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      this.#handle(req, res).catch((err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      });
    };
    this.#server =
      options.tls === undefined
        ? createHttpServer(handler)
        : createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler);
  }

  /** `127.0.0.1:port`, as ConsulAddress. */
  get address(): string {
    return `127.0.0.1:${this.#port}`;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#port, '127.0.0.1', () => {
        this.#server.removeListener('error', reject);
        resolve();
      });
    });
    this.#port = (this.#server.address() as AddressInfo).port;
  }

  /** Closes the listener and every open connection (the data stays, as on a Consul restart). */
  async stop(): Promise<void> {
    if (!this.#server.listening) return;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }

  /** While hung, requests are accepted and never answered. */
  hang(on: boolean): void {
    this.#hung = on;
  }

  /** Makes any transaction touching `key` fail with 409 (to prove nothing is half-written). */
  failTransactionsOn(key: string): void {
    this.#failTxnKeys.add(key);
  }

  /** A data center's values, decoded (for assertions). */
  values(dc = this.#localDc()): Map<string, string> {
    const d = this.#dcs.get(dc);
    return new Map([...(d?.kv ?? new Map<string, Entry>())].map(([k, e]) => [k, e.value.toString('utf8')]));
  }

  /** Writes directly into a data center (for test setup). */
  seed(dc: string, key: string, value: string): void {
    const d = this.#dcs.get(dc);
    if (d === undefined) throw new Error(`no data center ${dc}`);
    d.index += 1;
    d.kv.set(key, { value: Buffer.from(value), flags: 0, createIndex: d.index, modifyIndex: d.index });
  }

  /** Empties every data center (a store that lost its data). */
  wipe(): void {
    for (const d of this.#dcs.values()) d.kv.clear();
  }

  #localDc(): string {
    return [...this.#dcs.keys()][0] ?? 'dc1';
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.stats.requests += 1;
    const body = await readBody(req);
    if (this.#hung) return; // never answered
    const url = new URL(req.url ?? '/', 'http://consul');
    const q = url.searchParams;
    const send = (status: number, payload: unknown, raw = false): void => {
      res.statusCode = status;
      res.setHeader('content-type', raw ? 'text/plain; charset=utf-8' : 'application/json');
      res.end(raw ? String(payload) : JSON.stringify(payload));
    };
    if (url.pathname === '/v1/status/leader' && req.method === 'GET') return send(200, '127.0.0.1:8300');
    if (url.pathname === '/v1/catalog/datacenters' && req.method === 'GET') return send(200, [...this.#dcs.keys()]);
    const isKv = url.pathname.startsWith('/v1/kv/');
    const isTxn = url.pathname === '/v1/txn';
    if (!isKv && !isTxn) return send(404, `no handler for ${url.pathname}`, true);
    if (this.#options.token !== undefined) {
      const token = req.headers['x-consul-token'] ?? q.get('token') ?? '';
      if (token !== this.#options.token) return send(403, 'Permission denied', true);
    }
    const dcName = q.get('dc') ?? this.#localDc();
    const dc = this.#dcs.get(dcName);
    if (dc === undefined) return send(500, `No path to datacenter`, true);
    if (isTxn) {
      if (req.method !== 'PUT') return send(405, 'method not allowed', true);
      return this.#txn(dc, dcName, body, send);
    }
    const key = decodeURIComponent(url.pathname.slice('/v1/kv/'.length));
    res.setHeader('x-consul-index', String(dc.index));
    switch (req.method) {
      case 'GET': {
        if (q.has('keys')) {
          const sep = q.get('separator') ?? '';
          const keys = new Set<string>();
          for (const k of [...dc.kv.keys()].sort()) {
            if (!k.startsWith(key)) continue;
            const i = sep === '' ? -1 : k.indexOf(sep, key.length);
            keys.add(i < 0 ? k : k.slice(0, i + sep.length));
          }
          return keys.size === 0 ? send(404, '', true) : send(200, [...keys]);
        }
        const entries = q.has('recurse')
          ? [...dc.kv].filter(([k]) => k.startsWith(key)).sort(([a], [b]) => (a < b ? -1 : 1))
          : dc.kv.has(key)
            ? [[key, dc.kv.get(key) as Entry] as const]
            : [];
        if (entries.length === 0) return send(404, '', true);
        if (q.has('raw')) return send(200, (entries[0]?.[1] as Entry).value.toString('utf8'), true);
        return send(
          200,
          entries.map(([k, e]) => toJson(k, e, true)),
        );
      }
      case 'PUT': {
        if (body.length > MAX_VALUE) return send(413, `Value exceeds ${MAX_VALUE} byte limit`, true);
        const existing = dc.kv.get(key);
        if (q.has('cas')) {
          const cas = Number(q.get('cas'));
          if ((cas === 0 && existing !== undefined) || (cas !== 0 && existing?.modifyIndex !== cas))
            return send(200, false);
        }
        dc.index += 1;
        const flags = q.has('flags') ? Number(q.get('flags')) : (existing?.flags ?? 0);
        dc.kv.set(key, { value: body, flags, createIndex: existing?.createIndex ?? dc.index, modifyIndex: dc.index });
        this.stats.kvWrites.set(dcName, (this.stats.kvWrites.get(dcName) ?? 0) + 1);
        return send(200, true);
      }
      case 'DELETE': {
        if (q.has('cas')) {
          const e = dc.kv.get(key);
          if (e === undefined || e.modifyIndex !== Number(q.get('cas'))) return send(200, false);
        }
        dc.index += 1;
        if (q.has('recurse')) for (const k of [...dc.kv.keys()]) if (k.startsWith(key)) dc.kv.delete(k);
        dc.kv.delete(key);
        return send(200, true);
      }
      default:
        return send(405, 'method not allowed', true);
    }
  }

  #txn(dc: Dc, dcName: string, body: Buffer, send: (status: number, payload: unknown, raw?: boolean) => void): void {
    this.stats.txns += 1;
    if (body.length > MAX_TXN_BYTES) return send(413, `Request body too large, max size: ${MAX_TXN_BYTES} bytes`, true);
    let ops: { KV?: { Verb?: string; Key?: string; Value?: string; Flags?: number; Index?: number } }[];
    try {
      ops = JSON.parse(body.toString('utf8')) as typeof ops;
      if (!Array.isArray(ops)) throw new Error('not an array');
    } catch (err) {
      return send(400, `Failed to parse body: ${String(err)}`, true);
    }
    if (ops.length > MAX_TXN_OPS)
      return send(413, `Transaction contains too many operations (${ops.length} > ${MAX_TXN_OPS})`, true);
    const next = new Map(dc.kv);
    const index = dc.index + 1;
    const results: unknown[] = [];
    const errors: { OpIndex: number; What: string }[] = [];
    let writes = 0;
    ops.forEach((op, i) => {
      const kv = op.KV;
      const key = kv?.Key ?? '';
      if (kv === undefined)
        return errors.push({ OpIndex: i, What: 'only KV operations are supported by this test server' });
      if (this.#failTxnKeys.has(key)) return errors.push({ OpIndex: i, What: `injected failure on key "${key}"` });
      const existing = next.get(key);
      switch (kv.Verb) {
        case 'set':
        case 'cas': {
          if (kv.Verb === 'cas' && (kv.Index ?? 0) !== (existing?.modifyIndex ?? 0))
            return errors.push({
              OpIndex: i,
              What: `current modify index ${existing?.modifyIndex ?? 0} does not match ${kv.Index ?? 0}`,
            });
          const value = Buffer.from(kv.Value ?? '', 'base64');
          if (value.length > MAX_VALUE)
            return errors.push({ OpIndex: i, What: `value for key "${key}" exceeds ${MAX_VALUE} bytes` });
          const e = { value, flags: kv.Flags ?? 0, createIndex: existing?.createIndex ?? index, modifyIndex: index };
          next.set(key, e);
          writes += 1;
          return results.push({ KV: toJson(key, e, false) });
        }
        case 'get':
          if (existing === undefined) return errors.push({ OpIndex: i, What: `key "${key}" doesn't exist` });
          return results.push({ KV: toJson(key, existing, true) });
        case 'get-tree':
          for (const [k, e] of [...next].filter(([k]) => k.startsWith(key)).sort(([a], [b]) => (a < b ? -1 : 1)))
            results.push({ KV: toJson(k, e, true) });
          return;
        case 'check-index':
          if (existing?.modifyIndex !== kv.Index)
            return errors.push({
              OpIndex: i,
              What: `current modify index ${existing?.modifyIndex ?? 0} does not match ${kv.Index ?? 0}`,
            });
          return results.push({ KV: toJson(key, existing as Entry, false) });
        case 'check-not-exists':
          if (existing !== undefined) return errors.push({ OpIndex: i, What: `key "${key}" exists` });
          return;
        case 'delete':
          next.delete(key);
          return;
        case 'delete-cas':
          if (existing === undefined || existing.modifyIndex !== kv.Index)
            return errors.push({ OpIndex: i, What: `failed to delete key "${key}", index is stale` });
          next.delete(key);
          return;
        case 'delete-tree':
          for (const k of [...next.keys()]) if (k.startsWith(key)) next.delete(k);
          return;
        default:
          return errors.push({ OpIndex: i, What: `unknown KV verb "${String(kv.Verb)}"` });
      }
    });
    if (errors.length > 0) return send(409, { Results: null, Errors: errors });
    dc.kv.clear();
    for (const [k, e] of next) dc.kv.set(k, e);
    dc.index = index;
    this.stats.kvWrites.set(dcName, (this.stats.kvWrites.get(dcName) ?? 0) + writes);
    return send(200, { Results: results, Errors: null });
  }
}

function toJson(key: string, e: Entry, withValue: boolean): Record<string, unknown> {
  return {
    LockIndex: 0,
    Key: key,
    Flags: e.flags,
    Value: withValue && e.value.length > 0 ? e.value.toString('base64') : null,
    CreateIndex: e.createIndex,
    ModifyIndex: e.modifyIndex,
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
