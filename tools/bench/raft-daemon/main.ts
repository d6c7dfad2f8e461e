// pnpm bench:raft-daemon [--trials 5]: three orc daemons in Raft mode (SQLite backends, processes
// on 127.0.0.1; daemons.ts). Each trial one JSON line, then a summary line with the medians:
// - leader: kill -9 the leader and time until another node answers /api/leader-check 200
//   (`leader_kill_to_new_leader_api_ms`), after the idle CPU and RSS of each node over 5 s;
// - failover: a MariaDB 1+2 from @orc/testenv under the group: kill -9 the primary and time until a
//   replica is writable (`primary_kill_to_writable_ms`) and until every node's own KV store names
//   it (`primary_kill_to_kv_all_nodes_ms`), with the leader's agreement votes; each trial with
//   ExpectFailureAnalysisConcensus on (the default) and then off, to show what agreement costs.
// - kv (kv-phase.ts): 1,000 clusters of fake MySQL servers (5,000 servers) discovered by the three
//   nodes, then /api/submit-masters-to-kv-stores through Raft: `submit_kv_1000_clusters_ms` and
//   `submit_kv_1000_clusters_all_nodes_ms`, with each node's discovery time. `--kv-clusters 0` skips
//   it; `--kv-bound-s` (default 900) bounds its discovery, after which it fails naming what each
//   node has seen.
// `--only leader|failover|kv` (comma-separated) runs only those phases.
import '../../scripts/ts-hooks.mjs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { backendValue, leaderOf, makeNodes, start, status, until, type Node } from './daemons.ts';
import { kvTrial } from './kv-phase.ts';

const testenv = await import('../../testenv/src/index.ts');
const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '5' },
    'kv-clusters': { type: 'string', default: '1000' },
    'kv-bound-s': { type: 'string', default: '900' },
    only: { type: 'string', default: 'leader,failover,kv' },
  },
});
const trials = Number(values.trials);
const kvClusters = Number(values['kv-clusters']);
const phases = new Set(values.only.split(','));
for (const p of phases) if (!['leader', 'failover', 'kv'].includes(p)) throw new Error(`--only: unknown phase ${p}`);

const kvPrimary = (node: Node): string | undefined =>
  backendValue<string>(node, "SELECT store_value FROM kv_store WHERE store_key = 'mysql/master/main'");

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
    const leader = await until('a leader', () => leaderOf(nodes));
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

const results: number[] = [];
if (phases.has('leader')) for (let i = 1; i <= trials; i++) results.push(await trial(i));
// Agreement on (the default) and off, alternating, so both see the same machine load.
const failovers: { writable: number; kvAll: number }[] = [];
const without: { writable: number; kvAll: number }[] = [];
if (phases.has('failover'))
  for (let i = 1; i <= trials; i++) {
    failovers.push(await failoverTrial(i, true));
    without.push(await failoverTrial(i, false));
  }
const kv =
  phases.has('kv') && kvClusters > 0 ? await kvTrial(kvClusters, Number(values['kv-bound-s']) * 1000) : undefined;
if (kv !== undefined)
  console.log(
    JSON.stringify({
      clusters: kv.clusters,
      discover_all_ms: kv.discoverAllMs,
      submit_kv_1000_clusters_ms: kv.submit,
      submit_kv_1000_clusters_all_nodes_ms: kv.allNodes,
    }),
  );
const [load1, load5] = (readFileSync('/proc/loadavg', 'utf8').split(' ') as [string, string]).map(Number);
console.log(
  JSON.stringify({
    summary: true,
    trials,
    ...(results.length === 0
      ? {}
      : { leader_kill_to_new_leader_api_ms_median: median(results), leader_target_ms: 1000 }),
    ...(failovers.length === 0
      ? {}
      : {
          primary_kill_to_writable_ms_median: median(failovers.map((f) => f.writable)),
          primary_kill_to_kv_all_nodes_ms_median: median(failovers.map((f) => f.kvAll)),
          failover_target_ms: 700,
          without_agreement_writable_ms_median: median(without.map((f) => f.writable)),
          without_agreement_kv_all_nodes_ms_median: median(without.map((f) => f.kvAll)),
        }),
    ...(kv === undefined
      ? {}
      : {
          submit_kv_1000_clusters_ms: kv.submit,
          submit_kv_1000_clusters_all_nodes_ms: kv.allNodes,
          kv_discover_all_ms_slowest_node: Math.max(...kv.discoverAllMs),
        }),
    loadavg_1m: load1,
    loadavg_5m: load5,
  }),
);
