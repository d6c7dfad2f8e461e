// `pnpm bench:raft`: a fresh 3-node @orc/raft cluster per trial (each node its own process) on
// 127.0.0.1 over TCP, SQLite log with sync on, 100-byte commands. Prints one JSON line per trial.
// Flags: --seq 2000 --pipe 20000 --conc 64 --trials 3 [--nofsync] [--label x] [--memory N] [--debug]
// [--node-flags="--max-semi-space-size=4"] (any flag also as --name=value).
// Node processes run the BUILT package (packages/raft/dist): run `pnpm --filter @orc/raft build` first
// (the bench:raft script does).
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const flags = new Map<string, string>();
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i]!;
  if (!a.startsWith('--')) continue;
  const eq = a.indexOf('=');
  if (eq > 0) {
    flags.set(a.slice(2, eq), a.slice(eq + 1));
    continue;
  }
  const next = process.argv[i + 1];
  if (next !== undefined && !next.startsWith('--')) {
    flags.set(a.slice(2), next);
    i++;
  } else flags.set(a.slice(2), 'true');
}
const num = (k: string, d: number): number => (flags.has(k) ? Number(flags.get(k)) : d);
const SEQ = num('seq', 2000);
const PIPE = num('pipe', 20000);
const CONC = num('conc', 64);
const TRIALS = num('trials', 3);
const FSYNC = !flags.has('nofsync');
const LABEL = flags.get('label') ?? (FSYNC ? 'default' : 'nofsync');
const MEMORY = flags.has('memory') ? num('memory', 1_000_000) : 0;
const now = (): number => performance.timeOrigin + performance.now();
// Nodes run with Node's default flags. `--node-flags="--max-semi-space-size=4"` (or the
// BENCH_NODE_FLAGS environment variable) passes V8/Node flags to the node processes, e.g. to
// compare settings; BENCH_RAFT_DIST runs another build of the package (bench-node.mjs).
const NODE_FLAGS = (flags.get('node-flags') ?? process.env['BENCH_NODE_FLAGS'] ?? '').split(' ').filter(Boolean);

async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve) => {
          const s = createServer();
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

interface Node {
  id: string;
  proc: ChildProcess;
  state: string;
  exited: boolean;
  events: string[];
}

class Cluster {
  readonly nodes: Node[] = [];
  readonly dir = mkdtempSync(join(tmpdir(), 'orc-raft-bench-'));
  t0 = now();
  #seq = 0;
  #replies = new Map<number, (m: Record<string, unknown>) => void>();
  #leaderWaiters: ((n: Node, at: number) => void)[] = [];

  async start(snapshotThreshold: number): Promise<void> {
    const ids = ['n1', 'n2', 'n3'];
    const ports = await freePorts(3);
    const peers = Object.fromEntries(ids.map((id, i) => [id, `127.0.0.1:${ports[i]}`]));
    for (const [i, id] of ids.entries()) {
      const args = { id, port: ports[i], peers, dir: join(this.dir, id), fsync: FSYNC, snapshotThreshold };
      const proc = fork(join(here, 'bench-node.mjs'), [JSON.stringify(args)], {
        execArgv: ['--no-warnings', '--expose-gc', ...NODE_FLAGS],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      const node: Node = { id, proc, state: 'follower', exited: false, events: [] };
      proc.on('exit', () => (node.exited = true));
      proc.on('message', (m: Record<string, unknown>) => {
        if (m['t'] === 'ready' || m['t'] === 'state')
          node.events.push(`${String(m['t'])}:${String(m['state'] ?? '')}@${Math.round(Number(m['at']) - this.t0)}`);
        if (m['t'] === 'state') {
          node.state = String(m['state']);
          if (node.state === 'leader') for (const w of this.#leaderWaiters.splice(0)) w(node, Number(m['at']));
        } else if (m['t'] === 'reply') {
          this.#replies.get(Number(m['id']))?.(m);
          this.#replies.delete(Number(m['id']));
        }
      });
      this.nodes.push(node);
    }
  }

  leader(): Node | undefined {
    return this.nodes.find((n) => !n.exited && n.state === 'leader');
  }

  nextLeader(timeoutMs: number): Promise<{ node: Node; at: number }> {
    const l = this.leader();
    if (l !== undefined) return Promise.resolve({ node: l, at: now() });
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no leader within ${timeoutMs} ms`)), timeoutMs);
      this.#leaderWaiters.push((node, at) => {
        clearTimeout(t);
        resolve({ node, at });
      });
    });
  }

  call(node: Node, msg: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = ++this.#seq;
    return new Promise((resolve, reject) => {
      this.#replies.set(id, (m) => (m['error'] !== undefined ? reject(new Error(String(m['error']))) : resolve(m)));
      node.proc.send({ ...msg, id });
    });
  }

  async stop(): Promise<void> {
    for (const n of this.nodes) if (!n.exited) n.proc.kill('SIGKILL');
    await Promise.all(this.nodes.map((n) => (n.exited ? undefined : new Promise((r) => n.proc.once('exit', r)))));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const round = (v: number, d = 3): number => Math.round(v * 10 ** d) / 10 ** d;

async function trial(trialNo: number): Promise<Record<string, unknown>> {
  const c = new Cluster();
  try {
    const t0 = now();
    await c.start(8192);
    const first = await c.nextLeader(10_000);
    const firstLeaderMs = first.at - t0;
    if (flags.has('debug')) console.error(c.nodes.map((n) => `${n.id}: ${n.events.join(' ')}`).join(' | '));
    const s = await c.call(first.node, { t: 'seq', n: SEQ });
    if (flags.has('debug')) console.error('seq', JSON.stringify(s));
    const p = await c.call(first.node, { t: 'pipe', n: PIPE, conc: CONC });
    if (flags.has('profile')) {
      // Graceful exits so that --cpu-prof (in BENCH_NODE_FLAGS) writes its profiles.
      await Promise.all(c.nodes.map((n) => c.call(n, { t: 'stop' }).catch(() => undefined)));
      await Promise.all(c.nodes.map((n) => (n.exited ? undefined : new Promise((r) => n.proc.once('exit', r)))));
      return {
        impl: 'orc-raft',
        label: 'profile',
        seq_p50_ms: round(Number(s['p50'])),
        pipe_ops_s: Math.round(Number(p['ops'])),
      };
    }
    await new Promise((r) => setTimeout(r, 300));
    const killedAt = now();
    first.node.proc.kill('SIGKILL');
    first.node.state = 'dead';
    const next = await c.nextLeader(10_000);
    const commit = await c.call(next.node, { t: 'apply' });
    return {
      impl: 'orc-raft',
      label: LABEL,
      trial: trialNo,
      fsync: FSYNC,
      first_leader_ms: round(firstLeaderMs, 1),
      seq_p50_ms: round(Number(s['p50'])),
      seq_p99_ms: round(Number(s['p99'])),
      seq_ops_s: Math.round(Number(s['ops'])),
      pipe_ops_s: Math.round(Number(p['ops'])),
      pipe_p50_ms: round(Number(p['p50'])),
      pipe_p99_ms: round(Number(p['p99'])),
      failover_elect_ms: round(next.at - killedAt, 1),
      failover_first_commit_ms: round(Number(commit['at']) - killedAt, 1),
    };
  } finally {
    await c.stop();
  }
}

async function memory(total: number): Promise<Record<string, unknown>> {
  const c = new Cluster();
  try {
    await c.start(8192);
    const { node } = await c.nextLeader(10_000);
    const t0 = now();
    for (let done = 0; done < total; done += 100_000)
      await c.call(node, { t: 'pipe', n: Math.min(100_000, total - done), conc: CONC });
    const seconds = (now() - t0) / 1000;
    const before = await Promise.all(c.nodes.map((n) => c.call(n, { t: 'stats' })));
    // Then a full collection, so that RSS shows what is retained rather than garbage not yet collected.
    await Promise.all(c.nodes.map((n) => c.call(n, { t: 'gc' })));
    const stats = await Promise.all(c.nodes.map((n) => c.call(n, { t: 'stats' })));
    return {
      impl: 'orc-raft',
      label: 'memory',
      node_flags: NODE_FLAGS.join(' '),
      entries: total,
      seconds: round(seconds, 1),
      ops_s: Math.round(total / seconds),
      rss_mb_before_gc: before.map((s) => round(Number(s['rss']) / 2 ** 20, 1)),
      rss_mb: stats.map((s) => round(Number(s['rss']) / 2 ** 20, 1)),
      applied: stats.map((s) => Number(s['count'])),
      heap_used_mb: stats.map((s) => round(Number((s['memory'] as { heapUsed: number }).heapUsed) / 2 ** 20, 1)),
      heap_total_mb: stats.map((s) => round(Number((s['memory'] as { heapTotal: number }).heapTotal) / 2 ** 20, 1)),
      external_mb: stats.map((s) => round(Number((s['memory'] as { external: number }).external) / 2 ** 20, 1)),
      log_entries_held: stats.map((s) => {
        const st = s['stats'] as { lastLogIndex: number; firstLogIndex: number };
        return st.lastLogIndex - st.firstLogIndex + 1;
      }),
    };
  } finally {
    await c.stop();
  }
}

if (MEMORY > 0) {
  console.log(JSON.stringify(await memory(MEMORY)));
} else {
  for (let t = 1; t <= TRIALS; t++) console.log(JSON.stringify(await trial(t)));
}
