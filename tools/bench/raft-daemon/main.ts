// pnpm bench:raft-daemon [--trials 5]: three orc daemons in Raft mode (SQLite backends, processes
// on 127.0.0.1); per trial, kill -9 the leader and time until another node answers
// /api/leader-check 200 (`leader_kill_to_new_leader_api_ms`), then the idle CPU and RSS of each
// node over 5 s. One JSON line per trial, then a summary line with the median.
// Not measured yet (issue 15): primary_kill_to_writable_ms, primary_kill_to_kv_all_nodes_ms,
// submit_kv_1000_clusters_ms.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const { values } = parseArgs({ options: { trials: { type: 'string', default: '5' } } });
const trials = Number(values.trials);

const freePort = (): Promise<number> =>
  new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => res(typeof a === 'object' && a !== null ? a.port : 0));
    });
  });

interface Node {
  url: string;
  raft: string;
  dir: string;
  child?: ChildProcess;
}

function start(node: Node, members: string[]): void {
  mkdirSync(node.dir, { recursive: true });
  writeFileSync(
    join(node.dir, 'orc.conf.json'),
    JSON.stringify({
      ListenAddress: node.url.replace('http://', ''),
      HTTPAdvertise: node.url,
      BackendDB: 'sqlite',
      RaftEnabled: true,
      RaftBind: node.raft,
      RaftDataDir: 'raft',
      RaftNodes: members,
      RaftSharedSecret: 'bench-raft-daemon-secret',
    }),
  );
  node.child = spawn(
    process.execPath,
    [
      '--conditions=@orc/source',
      '--import',
      join(root, 'tools/scripts/ts-hooks.mjs'),
      join(root, 'apps/server/src/main.ts'),
      '--config',
      'orc.conf.json',
    ],
    { cwd: node.dir, stdio: 'ignore' },
  );
}

async function status(node: Node, path: string): Promise<number> {
  try {
    return (await fetch(`${node.url}${path}`, { signal: AbortSignal.timeout(1000) })).status;
  } catch {
    return 0; // not listening (yet, or any more)
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 90_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function procStat(pid: number): { cpuTicks: number; rssBytes: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const statm = readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ');
  return { cpuTicks: Number(fields[11]) + Number(fields[12]), rssBytes: Number(statm[1]) * 4096 };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function trial(n: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'orc-bench-raft-daemon-'));
  const nodes: Node[] = [];
  for (let i = 0; i < 3; i++)
    nodes.push({
      url: `http://127.0.0.1:${await freePort()}`,
      raft: `127.0.0.1:${await freePort()}`,
      dir: join(dir, `n${i + 1}`),
    });
  const members = nodes.map((x) => x.raft);
  try {
    for (const x of nodes) start(x, members);
    const leader = await until('a leader', async () => {
      for (const x of nodes) if ((await status(x, '/api/leader-check')) === 200) return x;
      return undefined;
    });
    for (const x of nodes)
      await until('healthy members', async () => ((await status(x, '/api/raft-health')) === 200 ? true : undefined));
    const before = nodes.map((x) => procStat(x.child?.pid ?? 0));
    await new Promise((r) => setTimeout(r, 5000));
    const after = nodes.map((x) => procStat(x.child?.pid ?? 0));
    const idleCpu = after.map((a, i) => ((a.cpuTicks - (before[i]?.cpuTicks ?? 0)) / 100 / 5) * 100);
    const rssMb = after.map((a) => Math.round(a.rssBytes / 1048576));
    const t0 = performance.now();
    leader.child?.kill('SIGKILL');
    const rest = nodes.filter((x) => x !== leader);
    await until('a new leader', async () => {
      for (const x of rest) if ((await status(x, '/api/leader-check')) === 200) return x;
      return undefined;
    });
    const ms = Math.round(performance.now() - t0);
    console.log(
      JSON.stringify({
        trial: n,
        leader_kill_to_new_leader_api_ms: ms,
        idle_cpu_percent: idleCpu.map((c) => Math.round(c * 10) / 10),
        rss_mb: rssMb,
      }),
    );
    return ms;
  } finally {
    for (const x of nodes) x.child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

const results: number[] = [];
for (let i = 1; i <= trials; i++) results.push(await trial(i));
console.log(
  JSON.stringify({ summary: true, trials, leader_kill_to_new_leader_api_ms_median: median(results), target_ms: 1000 }),
);
