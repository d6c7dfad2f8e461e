// `/api/kv-status`: orc's own read-only route (orchestrator has none) telling, for each cluster and
// each configured KV store, whether the store names the cluster's current primary, and how each
// store fared in the reconciler's last comparison. The values are read from the stores at request
// time, so the answer is what a proxy or consul-template would read now, not what orc meant to write.
import { splitInstanceKey, type ClusterInfo } from '@orc/topology';
import type { ApiDeps, KvStatusSource, KvStoreState } from '../deps.js';
import { ApiError } from '../errors.js';
import type { Register } from '../route.js';
import { ClusterHintParams } from '../schemas.js';
import { clusterOf } from './lookup.js';

/** One store's view of one cluster's key. */
export interface KvClusterStoreJson {
  readonly Store: string;
  readonly Key: string;
  /** What the store holds now; null when the key is missing or the read failed. */
  readonly Value: string | null;
  /** The store names the cluster's current primary. */
  readonly InSync: boolean;
  /** This node's last fan-out write of the key to this store (ISO time), null when none since start. */
  readonly LastWriteAt: string | null;
  /** When `Value` was read (ISO time). */
  readonly CheckedAt: string | null;
  /** Why the store is not in sync: the read's error, else a failed last write's; null otherwise. */
  readonly Error: string | null;
}

/** One cluster in `/api/kv-status`. */
export interface KvClusterStatusJson {
  readonly ClusterName: string;
  readonly ClusterAlias: string;
  /** The cluster's current primary, `host:port`: the value every store should hold. */
  readonly Primary: string;
  readonly Key: string;
  readonly Stores: readonly KvClusterStoreJson[];
}

/** One store in `/api/kv-status`. */
export interface KvStoreStatusJson {
  readonly Store: string;
  readonly Kind: string;
  /** `desired`: orc's internal store, which the others are compared with. */
  readonly Role: 'desired' | 'reconciled';
  /** `healthy` or `down` as the reconciler sees it; `unchecked` before its first comparison on this node. */
  readonly State: 'healthy' | 'down' | 'unchecked';
  readonly Failures: number;
  readonly LastCheckAt: string | null;
  readonly LastCheckOk: boolean | null;
  /** Pairs the last comparison wrote back (missing or different). */
  readonly LastRepairWritten: number;
  readonly Error: string | null;
}

/** The body of `/api/kv-status`. */
export interface KvStatusJson {
  readonly Prefix: string;
  readonly Stores: readonly KvStoreStatusJson[];
  readonly Clusters: readonly KvClusterStatusJson[];
}

// Reads at once per request: enough to answer a page of clusters quickly, few enough that a
// hundred clusters do not open hundreds of requests to one store.
const READ_CONCURRENCY = 16;

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

function storeJson(s: KvStoreState, scrub: (t: string) => string): KvStoreStatusJson {
  const check = s.lastCheck;
  const state = s.role === 'desired' || check !== undefined || s.state === 'down' ? s.state : 'unchecked';
  return {
    Store: s.name,
    Kind: s.kind,
    Role: s.role,
    State: state,
    Failures: s.failures,
    LastCheckAt: iso(check?.at),
    LastCheckOk: check === undefined ? null : check.ok,
    LastRepairWritten: check?.written ?? 0,
    Error: check?.error === undefined ? null : scrub(check.error),
  };
}

async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * The status of `clusters` in every store of `kv`: each store read now, compared with the primary.
 *
 * @example
 * const body = await kvStatusJson(kv, await view.clusters());
 * body.Clusters[0]?.Stores.every((s) => s.InSync);
 */
export async function kvStatusJson(
  kv: KvStatusSource,
  clusters: readonly ClusterInfo[],
  scrub: (text: string) => string = (t) => t,
): Promise<KvStatusJson> {
  const stores = kv.stores();
  const reads = clusters.flatMap((c) => stores.map((s) => ({ cluster: c, store: s.name })));
  const keyOf = (c: ClusterInfo): string => `${kv.prefix}${c.clusterAlias}`;
  const primaryOf = (c: ClusterInfo): string => {
    const { host, port } = splitInstanceKey(c.masterKey);
    return `${host}:${port}`;
  };
  const results = await mapBounded(reads, READ_CONCURRENCY, async ({ cluster, store }) => {
    const key = keyOf(cluster);
    const written = kv.lastWrite(store, key);
    let read: { value: string | undefined; at: number } | undefined;
    let error: string | null = null;
    try {
      read = await kv.read(store, key);
    } catch (err) {
      // A store that cannot be read is reported in its row, not as a failed request: the other
      // stores' rows are still worth showing.
      error = scrub(err instanceof Error ? err.message : String(err));
    }
    const value = read?.value ?? null;
    const inSync = value !== null && value === primaryOf(cluster);
    if (error === null && !inSync && written?.ok === false) error = scrub(written.error ?? 'the last write failed');
    return {
      Store: store,
      Key: key,
      Value: value,
      InSync: inSync,
      LastWriteAt: iso(written?.at),
      CheckedAt: iso(read?.at),
      Error: error,
    } satisfies KvClusterStoreJson;
  });
  return {
    Prefix: kv.prefix,
    Stores: stores.map((s) => storeJson(s, scrub)),
    Clusters: clusters.map((c, i) => ({
      ClusterName: c.clusterName,
      ClusterAlias: c.clusterAlias,
      Primary: primaryOf(c),
      Key: keyOf(c),
      Stores: results.slice(i * stores.length, (i + 1) * stores.length),
    })),
  };
}

/**
 * Registers `/api/kv-status` and `/api/kv-status/:clusterHint` (one cluster, by name, alias or
 * member). Served by every node from its own stores; answers 404 when the daemon gave no source.
 *
 * @example
 * kvStatusRoutes(register, deps);
 */
export function kvStatusRoutes(register: Register, deps: ApiDeps): void {
  const { view } = deps;
  const scrub = deps.scrub ?? ((t: string) => t);
  const source = (): KvStatusSource => {
    if (deps.kvStatus === undefined)
      throw new ApiError('NOT_FOUND', 'this daemon reports no KV status', {
        details: [{ path: 'url', message: 'no KV status source' }],
      });
    return deps.kvStatus;
  };
  register({
    paths: ['/api/kv-status'],
    handler: async () => kvStatusJson(source(), await view.clusters(), scrub),
  });
  register({
    paths: ['/api/kv-status/:clusterHint'],
    params: ClusterHintParams,
    handler: async ({ params }) => kvStatusJson(source(), [await clusterOf(view, params.clusterHint)], scrub),
  });
}
