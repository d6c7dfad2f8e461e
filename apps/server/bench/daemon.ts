// pnpm bench:daemon: the orc daemon as a process on SQLite against a real MariaDB 1+2.
// - start_to_topology_ms_median: process spawn -> the whole 1+2 known through /api/cluster (3 runs)
// - idle_cpu_pct, idle_rss_mb: the last daemon over 10 s of steady discovery of 3 servers (/proc)
// - failover_writable_ms_median, failover_kv_ms_median: kill -9 of the primary -> the API names a
//   new writable primary / /metrics counts the KV write of the recovery (3 runs, fresh topologies)
// - fleet_cpu_pct, fleet_rss_mb: a daemon seeded with the 200 primaries of 1,000 fake servers
//   (tools/bench/discovery/fake-fleet.ts), over 10 s once all are known
// Flags: --no-fleet skips the fleet figures; --verbose prints each run's figures and the
// recovery's steps (ms after the kill, from /api/audit-recovery-steps) to stderr.
// The daemon is the built bundle (apps/server/dist/main.js, built first) run by plain node, as an
// operator runs it, not the sources through type stripping. Prints one JSON line.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { allocatePort, startMariaDbTopology, type MariaDbTopology } from '@orc/testenv';

const root = resolve(fileURLToPath(import.meta.url), '../../../..');
const RUNS = 3;
const withFleet = !process.argv.includes('--no-fleet');
const verbose = process.argv.includes('--verbose');
const mainJs = join(root, 'apps/server/dist/main.js');
const built = spawnSync('pnpm', ['--filter', '@orc/server', 'build'], { cwd: root, stdio: 'ignore' });
if (built.status !== 0) throw new TypeError(`bench: building apps/server failed (${built.status})`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch {
      // Refused until the daemon listens; anything else shows as the timeout below.
    }
    if (performance.now() > deadline) throw new TypeError(`bench: timed out waiting for ${what}`);
    await sleep(10);
  }
}

interface Run {
  child: ChildProcess;
  url: string;
  dir: string;
  topo: MariaDbTopology;
}

async function startRun(): Promise<{ run: Run; topologyMs: number }> {
  const topo = await startMariaDbTopology({ shape: '1+2' });
  await topo.primary.query(`GRANT ALL ON orc_meta.* TO '${topo.orcUser.user}'@'%'`);
  await topo.waitCaughtUp();
  const dir = mkdtempSync(join(tmpdir(), 'orc-bench-'));
  const port = await allocatePort();
  const env = {
    PATH: process.env['PATH'] ?? '',
    ORC_ListenAddress: `127.0.0.1:${port}`,
    ORC_MySQLTopologyUser: topo.orcUser.user,
    ORC_MySQLTopologyPassword: topo.orcUser.password,
    ORC_DiscoverySeeds: JSON.stringify([`127.0.0.1:${topo.primary.port}`]),
    ORC_ClusterNameToAlias: JSON.stringify({ '.*': 'bench' }),
    ORC_RecoverMasterClusterFilters: '["*"]',
    ORC_LogLevel: 'warn',
  };
  const started = performance.now();
  const child = spawn(process.execPath, [mainJs], { cwd: dir, env, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await until('the whole topology', async () => {
    const res = await fetch(`${url}/api/cluster/bench`);
    return res.ok && ((await res.json()) as unknown[]).length === 3 ? true : undefined;
  });
  return { run: { child, url, dir, topo }, topologyMs: performance.now() - started };
}

async function stopRun(r: Run): Promise<void> {
  const exited = new Promise((res) => r.child.once('exit', res));
  r.child.kill('SIGTERM');
  await exited;
  await r.topo.stop();
  rmSync(r.dir, { recursive: true, force: true });
}

const kvWrites = async (url: string): Promise<number> => {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = /orc_kv_writes_total\{store="internal",outcome="ok"\} (\d+)/.exec(text);
  return m === null ? 0 : Number(m[1]);
};

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11]) + Number(fields[12]);
}

function rssMb(pid: number): number {
  return (Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * 4096) / 1024 / 1024;
}

/** CPU (% of one core) and RSS of a daemon over 10 s once it knows all 1,000 fake servers. */
async function measureFleet(): Promise<{ cpu: number; rss: number; known: number }> {
  const CLUSTERS = 200;
  const fleetPort = await allocatePort();
  const worker = spawn(
    process.execPath,
    [
      '--conditions=@orc/source',
      '--import',
      join(root, 'tools/scripts/ts-hooks.mjs'),
      join(root, 'tools/bench/discovery/fake-fleet.ts'),
      '0',
      String(CLUSTERS * 5),
      String(fleetPort),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const dir = mkdtempSync(join(tmpdir(), 'orc-bench-fleet-'));
  let daemon: ChildProcess | undefined;
  try {
    await new Promise<void>((res, rej) => {
      worker.stdout?.on('data', (d: Buffer) => (d.toString().includes('ready') ? res() : undefined));
      worker.once('exit', (code) => rej(new TypeError(`bench: fake fleet exited with ${code}`)));
    });
    const port = await allocatePort();
    const seeds = Array.from(
      { length: CLUSTERS },
      (_, c) => `127.20.${Math.floor((c * 5) / 250)}.${((c * 5) % 250) + 1}:${fleetPort}`,
    );
    const env = {
      PATH: process.env['PATH'] ?? '',
      ORC_ListenAddress: `127.0.0.1:${port}`,
      ORC_MySQLTopologyUser: 'orc',
      ORC_MySQLTopologyPassword: 'orc',
      ORC_DiscoverySeeds: JSON.stringify(seeds),
      ORC_LogLevel: 'warn',
    };
    daemon = spawn(process.execPath, [mainJs], { cwd: dir, env, stdio: 'ignore' });
    const pid = daemon.pid ?? NaN;
    const url = `http://127.0.0.1:${port}`;
    const known = async (): Promise<number> => {
      const res = await fetch(`${url}/api/clusters-info`);
      return ((await res.json()) as { CountInstances: number }[]).reduce((n, c) => n + c.CountInstances, 0);
    };
    await until('all 1,000 servers known', async () => ((await known()) >= CLUSTERS * 5 ? true : undefined), 300_000);
    await sleep(5000); // let the first re-polls spread out
    const t0 = cpuTicks(pid);
    await sleep(10_000);
    const ticks = cpuTicks(pid) - t0;
    return { cpu: (ticks / 100 / 10) * 100, rss: rssMb(pid), known: await known() };
  } finally {
    if (daemon !== undefined && daemon.exitCode === null) {
      const exited = new Promise((res) => daemon?.once('exit', res));
      daemon.kill('SIGTERM');
      await exited;
    }
    worker.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The run's figures and its recovery's timeline, each step in ms after the kill. */
async function printSteps(url: string, killedWall: number, figures: Record<string, number>): Promise<void> {
  const recoveries = (await (await fetch(`${url}/api/audit-recovery`)).json()) as {
    UID: string;
    RecoveryStartTimestamp: string;
  }[];
  const last = recoveries[0];
  const steps =
    last === undefined
      ? []
      : ((await (await fetch(`${url}/api/audit-recovery-steps/${last.UID}`)).json()) as {
          AuditAt: string;
          Message: string;
        }[]);
  const at = (iso: string): number => Date.parse(iso) - killedWall;
  process.stderr.write(
    `${JSON.stringify({
      ...Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, Math.round(v)])),
      recoveryStartMs: last === undefined ? null : at(last.RecoveryStartTimestamp),
      steps: steps.map((s) => `${at(s.AuditAt)} ${s.Message.slice(0, 60)}`),
    })}\n`,
  );
}

const topology: number[] = [];
const writable: number[] = [];
const kv: number[] = [];
let idle = { cpu: NaN, rss: NaN };
for (let i = 0; i < RUNS; i++) {
  const { run, topologyMs } = await startRun();
  topology.push(topologyMs);
  if (i === RUNS - 1 && run.child.pid !== undefined) {
    const pid = run.child.pid;
    await sleep(2000);
    const t0 = cpuTicks(pid);
    await sleep(10_000);
    const ticks = cpuTicks(pid) - t0;
    idle = { cpu: (ticks / 100 / 10) * 100, rss: rssMb(pid) };
  }
  // The primary is in KV before the kill, so the recovery's write is the next one counted.
  await until('the primary in KV', async () => ((await kvWrites(run.url)) > 0 ? true : undefined));
  const before = await kvWrites(run.url);
  const oldPort = run.topo.primary.port;
  const killed = performance.now();
  const killedWall = Date.now();
  await run.topo.primary.kill();
  const [w, k] = await Promise.all([
    until('a new writable primary', async () => {
      const res = await fetch(`${run.url}/api/master/bench`);
      const body = (await res.json()) as { Key?: { Port: number }; ReadOnly?: boolean };
      return res.ok && body.Key?.Port !== oldPort && body.ReadOnly === false ? performance.now() - killed : undefined;
    }),
    until("the recovery's KV write", async () =>
      (await kvWrites(run.url)) > before ? performance.now() - killed : undefined,
    ),
  ]);
  writable.push(w);
  kv.push(k);
  if (verbose) await printSteps(run.url, killedWall, { topologyMs, writableMs: w, kvMs: k });
  await stopRun(run);
}
const fleet = withFleet ? await measureFleet() : { cpu: NaN, rss: NaN, known: NaN };
process.stdout.write(
  `${JSON.stringify({
    bench: 'daemon',
    runs: RUNS,
    start_to_topology_ms_median: Math.round(median(topology)),
    failover_writable_ms_median: Math.round(median(writable)),
    failover_kv_ms_median: Math.round(median(kv)),
    idle_cpu_pct: Number(idle.cpu.toFixed(2)),
    idle_rss_mb: Number(idle.rss.toFixed(1)),
    fleet_cpu_pct: Number(fleet.cpu.toFixed(2)),
    fleet_rss_mb: Number(fleet.rss.toFixed(1)),
    fleet_instances_known: fleet.known,
  })}\n`,
);
