// pnpm bench:raft-daemon [--trials 5]: three orc daemons in Raft mode (SQLite backends, processes
// on 127.0.0.1). Two kinds of trial, one JSON line each, then a summary line with the medians:
// - leader: kill -9 the leader and time until another node answers /api/leader-check 200
//   (`leader_kill_to_new_leader_api_ms`), after the idle CPU and RSS of each node over 5 s;
// - failover: a MariaDB 1+2 from @orc/testenv under the group: kill -9 the primary and time until a
//   replica is writable (`primary_kill_to_writable_ms`) and until every node's own KV store names
//   it (`primary_kill_to_kv_all_nodes_ms`), with the leader's agreement votes; each trial with
//   ExpectFailureAnalysisConcensus on (the default) and then off, to show what agreement costs.
// - kv: 1,000 clusters of fake MySQL servers (tools/bench/discovery/fake-fleet.ts, 5,000 servers)
//   discovered by the three nodes; once the leader knows every server (minutes on a loaded 2-core
//   machine), /api/submit-masters-to-kv-stores on the leader writes them all through Raft (one
//   put-cluster-masters entry carrying the leader's 1,000 primaries):
//   `submit_kv_1000_clusters_ms` is its answer time (the leader's stores and the followers'
//   outcomes), `submit_kv_1000_clusters_all_nodes_ms` until every node's store has rewritten all.
//   `--kv-clusters 0` skips it.
import '../../scripts/ts-hooks.mjs';
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const testenv = await import('../../testenv/src/index.ts');
// better-sqlite3 is a dependency of @orc/backend: resolve it from there.
type SqliteDb = { prepare(sql: string): { all(...args: unknown[]): unknown[] }; close(): void };
const Database = createRequire(join(root, 'packages/backend/package.json'))('better-sqlite3') as new (
  file: string,
  options: { readonly: boolean; fileMustExist: boolean },
) => SqliteDb;
const { values } = parseArgs({
  options: { trials: { type: 'string', default: '5' }, 'kv-clusters': { type: 'string', default: '1000' } },
});
const trials = Number(values.trials);
const kvClusters = Number(values['kv-clusters']);

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
  out: string;
}

function start(node: Node, members: string[], extra: Record<string, unknown> = {}): void {
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
      ...extra,
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
    { cwd: node.dir, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  node.out = '';
  node.child.stdout?.on('data', (d: Buffer) => {
    // Only the lines the summary reads, so a long run does not hold every log line.
    for (const line of d.toString().split('\n'))
      if (/failover agreed|recovery finished/.test(line)) node.out += `${line}\n`;
  });
}

async function makeNodes(dir: string): Promise<Node[]> {
  const nodes: Node[] = [];
  for (let i = 0; i < 3; i++)
    nodes.push({
      url: `http://127.0.0.1:${await freePort()}`,
      raft: `127.0.0.1:${await freePort()}`,
      dir: join(dir, `n${i + 1}`),
      out: '',
    });
  return nodes;
}

function kvPrimary(node: Node): string | undefined {
  let db: SqliteDb;
  try {
    db = new Database(join(node.dir, 'orc-data', 'orc.sqlite3'), { readonly: true, fileMustExist: true });
  } catch {
    return undefined; // not created yet
  }
  try {
    const rows = db.prepare("SELECT store_value FROM kv_store WHERE store_key = 'mysql/master/main'").all() as {
      store_value: string;
    }[];
    return rows[0]?.store_value;
  } catch {
    return undefined; // schema not migrated yet, or busy
  } finally {
    db.close();
  }
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
  const nodes = await makeNodes(dir);
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

async function failoverTrial(n: number, consensus: boolean): Promise<{ writable: number; kvAll: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'orc-bench-raft-failover-'));
  const topo = await testenv.startMariaDbTopology({ shape: '1+2', name: `bench-raft-${n}` });
  const nodes = await makeNodes(dir);
  try {
    await topo.primary.query(`GRANT ALL ON orc_meta.* TO '${topo.orcUser.user}'@'%'`);
    await topo.waitCaughtUp();
    const members = nodes.map((x) => x.raft);
    const old = `127.0.0.1:${topo.primary.port}`;
    for (const x of nodes)
      start(x, members, {
        MySQLTopologyUser: topo.orcUser.user,
        MySQLTopologyPassword: topo.orcUser.password,
        DiscoverySeeds: [old],
        RecoverMasterClusterFilters: ['*'],
        ClusterNameToAlias: { '.*': 'main' },
        InstancePollSeconds: 1,
        ExpectFailureAnalysisConcensus: consensus,
      });
    await until('every node publishes the primary', async () =>
      nodes.every((x) => kvPrimary(x) === old) ? true : undefined,
    );
    const replicas = [topo.instance('r1'), topo.instance('r2')];
    const t0 = performance.now();
    const killedAt = Date.now();
    await topo.primary.kill();
    const writableAt = until('a writable replica', async () => {
      for (const r of replicas) {
        const rows = await r.query<{ ro: number }[]>('SELECT @@global.read_only AS ro').catch(() => []);
        if (rows[0]?.ro === 0) return performance.now() - t0;
      }
      return undefined;
    });
    const kvAt = until('every node names the new primary', async () => {
      const v = nodes.map(kvPrimary);
      return v[0] !== undefined && v[0] !== old && v.every((x) => x === v[0]) ? performance.now() - t0 : undefined;
    });
    const [writable, kvAll] = [Math.round(await writableAt), Math.round(await kvAt)];
    const agreed = nodes.map((x) => x.out.split('\n').find((l) => l.includes('failover agreed'))).find((l) => l);
    const votes = agreed === undefined ? null : (JSON.parse(agreed) as { votes: string }).votes;
    // Where the time went: from the kill to the leader's agreement (the log line's wall time).
    const agreedTime = agreed === undefined ? undefined : (JSON.parse(agreed) as { time: string }).time;
    console.log(
      JSON.stringify({
        trial: n,
        agreement: consensus,
        kill_to_agreement_ms: agreedTime === undefined ? null : Date.parse(agreedTime) - killedAt,
        primary_kill_to_writable_ms: writable,
        primary_kill_to_kv_all_nodes_ms: kvAll,
        agreement_votes: votes,
      }),
    );
    return { writable, kvAll };
  } finally {
    for (const x of nodes) x.child?.kill('SIGKILL');
    await topo.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

function kvRows(node: Node, since: number): number {
  let db: SqliteDb;
  try {
    db = new Database(join(node.dir, 'orc-data', 'orc.sqlite3'), { readonly: true, fileMustExist: true });
  } catch {
    return 0;
  }
  try {
    const rows = db
      .prepare("SELECT COUNT(*) AS n FROM kv_store WHERE store_key LIKE 'mysql/master/%' AND last_updated >= ?")
      .all(since) as { n: number }[];
    return rows[0]?.n ?? 0;
  } catch {
    return 0;
  } finally {
    db.close();
  }
}

function seenServers(node: Node): number {
  let db: SqliteDb;
  try {
    db = new Database(join(node.dir, 'orc-data', 'orc.sqlite3'), { readonly: true, fileMustExist: true });
  } catch {
    return 0;
  }
  try {
    const rows = db.prepare('SELECT COUNT(*) AS n FROM database_instance WHERE COALESCE(last_seen, 0) > 0').all() as {
      n: number;
    }[];
    return rows[0]?.n ?? 0;
  } catch {
    return 0;
  } finally {
    db.close();
  }
}

async function kvTrial(clusters: number): Promise<{ submit: number; allNodes: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'orc-bench-raft-kv-'));
  const fleetPort = await freePort();
  const fleet = spawn(
    process.execPath,
    [
      '--conditions=@orc/source',
      '--import',
      join(root, 'tools/scripts/ts-hooks.mjs'),
      join(root, 'tools/bench/discovery/fake-fleet.ts'),
      '0',
      String(clusters * 5),
      String(fleetPort),
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const nodes = await makeNodes(dir);
  try {
    await new Promise<void>((res, rej) => {
      let out = '';
      fleet.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('ready')) res();
      });
      fleet.once('exit', (code) => rej(new Error(`fake fleet exited with ${code}`)));
    });
    const seeds = Array.from(
      { length: clusters },
      (_, c) => `127.20.${Math.floor((c * 5) / 250)}.${((c * 5) % 250) + 1}:${fleetPort}`,
    );
    const members = nodes.map((x) => x.raft);
    for (const x of nodes)
      start(x, members, {
        MySQLTopologyUser: 'orc',
        MySQLTopologyPassword: 'orc',
        DiscoverySeeds: seeds,
        InstancePollSeconds: 60,
      });
    // The leader's view is what the entry carries: it must know every cluster first.
    const leader = await until('a leader', async () => {
      for (const x of nodes) if ((await status(x, '/api/leader-check')) === 200) return x;
      return undefined;
    });
    await until(
      `the leader discovered the ${clusters * 5} servers`,
      async () => (seenServers(leader) >= clusters * 5 ? true : undefined),
      900_000,
    );
    const since = Date.now();
    const t0 = performance.now();
    const res = await fetch(`${leader.url}/api/submit-masters-to-kv-stores`, { signal: AbortSignal.timeout(60_000) });
    const submit = Math.round(performance.now() - t0);
    if (!res.ok) throw new Error(`submit-masters-to-kv-stores answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
    await until('every node rewrote them', async () =>
      nodes.every((x) => kvRows(x, since) >= clusters) ? true : undefined,
    );
    const allNodes = Math.round(performance.now() - t0);
    console.log(
      JSON.stringify({ clusters, submit_kv_1000_clusters_ms: submit, submit_kv_1000_clusters_all_nodes_ms: allNodes }),
    );
    return { submit, allNodes };
  } finally {
    for (const x of nodes) x.child?.kill('SIGKILL');
    fleet.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

const results: number[] = [];
for (let i = 1; i <= trials; i++) results.push(await trial(i));
// Agreement on (the default) and off, alternating, so both see the same machine load.
const failovers: { writable: number; kvAll: number }[] = [];
const without: { writable: number; kvAll: number }[] = [];
for (let i = 1; i <= trials; i++) {
  failovers.push(await failoverTrial(i, true));
  without.push(await failoverTrial(i, false));
}
const kv = kvClusters > 0 ? await kvTrial(kvClusters) : undefined;
const [load1, load5] = (readFileSync('/proc/loadavg', 'utf8').split(' ') as [string, string]).map(Number);
console.log(
  JSON.stringify({
    summary: true,
    trials,
    leader_kill_to_new_leader_api_ms_median: median(results),
    leader_target_ms: 1000,
    primary_kill_to_writable_ms_median: median(failovers.map((f) => f.writable)),
    primary_kill_to_kv_all_nodes_ms_median: median(failovers.map((f) => f.kvAll)),
    failover_target_ms: 700,
    without_agreement_writable_ms_median: median(without.map((f) => f.writable)),
    without_agreement_kv_all_nodes_ms_median: median(without.map((f) => f.kvAll)),
    ...(kv === undefined
      ? {}
      : { submit_kv_1000_clusters_ms: kv.submit, submit_kv_1000_clusters_all_nodes_ms: kv.allNodes }),
    loadavg_1m: load1,
    loadavg_5m: load5,
  }),
);
