// One Raft node of the benchmark, in its own process: TCP transport, SQLite log (sync on unless
// --nofsync), file snapshots. The parent drives it over the IPC channel; load loops run here,
// next to the leader's apply(), as the hashicorp/raft harness does in-process.
// Plain JavaScript on the BUILT package (dist): a node measured for memory must not carry
// Node's TypeScript stripper (about 55 MB of resident memory), as no production node would.
import { mkdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
// BENCH_RAFT_DIST=<path to a built index.js> runs another build (to compare two in one session).
const dist = process.env['BENCH_RAFT_DIST'];
const { FileSnapshotStore, Raft, SqliteLogStore, TcpTransport, nodeId } = await import(
  dist === undefined || dist === '' ? '../../../packages/raft/dist/index.js' : pathToFileURL(resolve(dist)).href
);

/** @type {{ id: string, port: number, peers: Record<string, string>, dir: string, fsync: boolean, snapshotThreshold: number }} */
const args = JSON.parse(process.argv[2] ?? '{}');
/** @param {Record<string, unknown>} msg */
const send = (msg) => {
  process.send?.(msg);
};
const now = () => performance.timeOrigin + performance.now();

// The state machine: counts applied commands and bytes; its snapshot is those two numbers.
let count = 0;
let bytes = 0;
const stateMachine = {
  apply(e) {
    count++;
    bytes += e.data.byteLength;
    return count;
  },
  snapshot() {
    const state = Buffer.from(JSON.stringify({ count, bytes }));
    return { persist: (w) => w.write(state) };
  },
  async restore(src) {
    const s = JSON.parse(Buffer.from(await src.read(0, src.size)).toString());
    count = s.count;
    bytes = s.bytes;
  },
};

mkdirSync(args.dir, { recursive: true });
const store = SqliteLogStore.open({ dir: args.dir, synchronous: args.fsync ? 'FULL' : 'OFF' });
const raft = await Raft.create({
  config: { id: args.id, peers: args.peers, snapshotThreshold: args.snapshotThreshold },
  stateMachine,
  logStore: store,
  stableStore: store,
  snapshotStore: new FileSnapshotStore({ dir: join(args.dir, 'snapshots') }),
  transport: new TcpTransport({
    localId: nodeId(args.id),
    bind: { host: '127.0.0.1', port: args.port },
    clusterId: 'bench',
    peers: args.peers,
  }),
});
raft.on('stateChanged', (e) => send({ t: 'state', state: e.state, at: now() }));

const payload = () => Buffer.alloc(100, 0x61);

function percentile(sorted, p) {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

// Latencies go to preallocated typed arrays: this load runs in the leader's process, and a
// growing JS array of 100,000 numbers per call (copied at each growth, large enough to be
// promoted) counts against the node's memory: it was most of what survived young-generation
// collections on the leader, making V8 grow its young generation (ADR 0212).
async function seq(n) {
  for (let i = 0; i < 20; i++) await raft.apply(payload());
  const lat = new Float64Array(n);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await raft.apply(payload());
    lat[i] = performance.now() - s;
  }
  const total = performance.now() - t0;
  lat.sort();
  let sum = 0;
  for (const v of lat) sum += v;
  return {
    p50: percentile(lat, 50),
    p90: percentile(lat, 90),
    p95: percentile(lat, 95),
    p99: percentile(lat, 99),
    mean: sum / n,
    ops: (n / total) * 1000,
  };
}

async function pipe(n, conc) {
  const lat = new Float64Array(n);
  let issued = 0;
  let done = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (issued < n) {
      issued++;
      const s = performance.now();
      await raft.apply(payload());
      lat[done++] = performance.now() - s;
    }
  };
  await Promise.all(Array.from({ length: conc }, worker));
  const total = performance.now() - t0;
  lat.sort();
  return { p50: percentile(lat, 50), p99: percentile(lat, 99), ops: (n / total) * 1000 };
}

process.on('message', (m) => {
  const reply = (body) => send({ t: 'reply', id: m.id, ...body });
  const fail = (err) => reply({ error: err instanceof Error ? `${err.code ?? ''} ${err.message}` : String(err) });
  switch (m.t) {
    case 'seq':
      seq(m.n ?? 2000).then((r) => reply(r), fail);
      break;
    case 'pipe':
      pipe(m.n ?? 20000, m.conc ?? 64).then((r) => reply(r), fail);
      break;
    case 'apply':
      raft.apply(payload(), { timeoutMs: 5000 }).then(() => reply({ at: now() }), fail);
      break;
    case 'gc':
      globalThis.gc?.();
      reply({ collected: typeof globalThis.gc === 'function' });
      break;
    case 'stats':
      reply({ stats: raft.stats(), rss: process.memoryUsage().rss, memory: process.memoryUsage(), count });
      break;
    case 'stop':
      void raft.stop().then(() => {
        store.close().catch(() => undefined);
        reply({});
        process.exit(0);
      });
      break;
  }
});
// BENCH_MEM_TRACE=ms: print this node's memory by V8 space every ms to stderr (diagnosis).
const memTraceMs = Number(process.env['BENCH_MEM_TRACE'] ?? 0);
if (memTraceMs > 0) {
  const mb = (n) => Math.round(n / 2 ** 17) / 8;
  setInterval(() => {
    const m = process.memoryUsage();
    const spaces = Object.fromEntries(
      v8
        .getHeapSpaceStatistics()
        .filter((s) => s.space_size > 0)
        .map((s) => [s.space_name.replace('_space', ''), [mb(s.space_size), mb(s.space_used_size)]]),
    );
    const status = process.platform === 'linux' ? readFileSync('/proc/self/status', 'utf8') : '';
    const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
    process.stderr.write(
      `${JSON.stringify({ id: args.id, rss: mb(m.rss), anon: kb('RssAnon'), file: kb('RssFile'), heap: mb(m.heapTotal), used: mb(m.heapUsed), ext: mb(m.external), ab: mb(m.arrayBuffers), count, spaces })}\n`,
    );
  }, memTraceMs).unref();
}
send({ t: 'ready', at: now() });
