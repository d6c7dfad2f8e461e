// The KV phase of bench:raft-daemon: 1,000 clusters of fake MySQL servers (1 primary + 4 replicas,
// 5,000 servers; tools/bench/discovery/fake-fleet.ts) seeded by their primaries and discovered by
// each of the three nodes; once every node knows every server, /api/submit-masters-to-kv-stores
// on the leader writes them all through Raft (one put-cluster-masters entry carrying the leader's
// 1,000 primaries). Figures: each node's time to see all servers (`discover_all_ms`, from the
// start of the daemons), `submit_kv_1000_clusters_ms` (the call's answer time: the leader's stores
// and the followers' outcomes) and `submit_kv_1000_clusters_all_nodes_ms` (until every node's own
// store has rewritten all).
//
// Set-up choices, for a shared 2-core machine (load 5 to 20 from other work):
// - the fleet runs as FLEET_WORKERS processes, not one: a single process answering three daemons'
//   probes got too little CPU, and handshakes queued behind each other past the connect timeout;
// - MySQLConnectTimeoutSeconds 10 (default 2): under a load of 20 a probe's handshake waits for
//   several processes to be scheduled in turn; a timed-out first probe of a server is only retried
//   at its next poll;
// - DiscoveryMaxConcurrency 50 (default 300): a daemon that gets a fraction of a core completes a
//   few dozen probes a second, so 300 probes in flight wait seconds each in its own event loop and
//   many pass the timeout, then wait for the next poll (386 to 790 s to discover all at load 22;
//   with the defaults for both settings, not done after 200 s even at load 3 to 7); with 50, about
//   2 minutes at load 17 and 30 s at load 3;
// - InstancePollSeconds 60 and PrimaryPollMilliseconds 0: the phase measures discovery and the KV
//   write, not detection; three nodes re-probing 1,000 primaries every second (the default) would
//   be 3,000 probes a second against one machine's fake fleet.
// The phase fails with the servers each node has seen when discovery does not complete in time.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MEMBERS_PER_CLUSTER, addressOf } from '../discovery/fleet-layout.ts';
import { backendValue, freePort, leaderOf, makeNodes, root, start, until, type Node } from './daemons.ts';

const FLEET_WORKERS = 5;
const PROGRESS_EVERY_MS = 15_000;

/** What the phase measured. */
export interface KvFigures {
  readonly clusters: number;
  /** Per node, ms from the daemons' start until its backend has seen every server. */
  readonly discoverAllMs: number[];
  readonly submit: number;
  readonly allNodes: number;
}

const loadavg = (): number => Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);

const seenServers = (node: Node): number =>
  backendValue<number>(node, 'SELECT COUNT(*) AS n FROM database_instance WHERE COALESCE(last_seen, 0) > 0') ?? 0;

const kvRows = (node: Node, since: number): number =>
  backendValue<number>(
    node,
    "SELECT COUNT(*) AS n FROM kv_store WHERE store_key LIKE 'mysql/master/%' AND last_updated >= ?",
    since,
  ) ?? 0;

/** Starts the fleet's workers and resolves when all listen; `died` is set when one exits. */
async function startFleet(servers: number, port: number, died: { code?: number | null }): Promise<ChildProcess[]> {
  const workers: ChildProcess[] = [];
  const ready: Promise<void>[] = [];
  for (let w = 0; w < FLEET_WORKERS; w++) {
    const from = Math.floor((servers * w) / FLEET_WORKERS);
    const to = Math.floor((servers * (w + 1)) / FLEET_WORKERS);
    if (from === to) continue;
    const child = spawn(
      process.execPath,
      [
        '--conditions=@orc/source',
        '--import',
        join(root, 'tools/scripts/ts-hooks.mjs'),
        join(root, 'tools/bench/discovery/fake-fleet.ts'),
        String(from),
        String(to),
        String(port),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    workers.push(child);
    ready.push(
      new Promise<void>((res, rej) => {
        let out = '';
        child.stdout?.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('ready')) res();
        });
        child.once('exit', (code) => {
          died.code = code;
          rej(new Error(`kv phase: a fake fleet worker exited with ${code}`));
        });
      }),
    );
  }
  try {
    await Promise.all(ready);
  } catch (err) {
    for (const w of workers) w.kill('SIGKILL');
    throw err;
  }
  return workers;
}

/**
 * Runs the phase for `clusters` clusters; throws when the nodes have not all discovered the fleet
 * within `boundMs` of their start.
 *
 * @example
 * const kv = await kvTrial(1000, 900_000);
 */
export async function kvTrial(clusters: number, boundMs: number): Promise<KvFigures> {
  const servers = clusters * MEMBERS_PER_CLUSTER;
  const dir = mkdtempSync(join(tmpdir(), 'orc-bench-raft-kv-'));
  const fleetPort = await freePort();
  const died: { code?: number | null } = {};
  const fleet = await startFleet(servers, fleetPort, died);
  const nodes = await makeNodes(dir);
  try {
    const seeds = Array.from({ length: clusters }, (_, c) => `${addressOf(c * MEMBERS_PER_CLUSTER)}:${fleetPort}`);
    const members = nodes.map((x) => x.raft);
    const startedAt = performance.now();
    for (const x of nodes)
      start(x, members, {
        MySQLTopologyUser: 'orc',
        MySQLTopologyPassword: 'orc',
        DiscoverySeeds: seeds,
        InstancePollSeconds: 60,
        PrimaryPollMilliseconds: 0,
        MySQLConnectTimeoutSeconds: 10,
        DiscoveryMaxConcurrency: 50,
      });
    // submit-masters-to-kv-stores writes the leader's view, and leadership may move while the
    // daemons discover: wait until every node has seen every server.
    const discoverAllMs: (number | undefined)[] = nodes.map(() => undefined);
    let progressAt = performance.now();
    await until(
      `the three nodes to discover the ${servers} servers`,
      async () => {
        if (died.code !== undefined) throw new Error(`kv phase: a fake fleet worker exited with ${died.code}`);
        const seen = nodes.map(seenServers);
        const now = performance.now();
        seen.forEach((n, i) => {
          if (n >= servers && discoverAllMs[i] === undefined) discoverAllMs[i] = Math.round(now - startedAt);
        });
        if (now - progressAt >= PROGRESS_EVERY_MS) {
          progressAt = now;
          console.error(
            `kv phase: ${Math.round((now - startedAt) / 1000)} s, servers seen per node ${JSON.stringify(seen)} of ${servers}, load ${loadavg()}`,
          );
        }
        if (now - startedAt > boundMs)
          throw new Error(
            `kv phase: discovery did not complete within ${Math.round(boundMs / 1000)} s: servers seen per node ${JSON.stringify(seen)} of ${servers} (load ${loadavg()})`,
          );
        return discoverAllMs.every((x) => x !== undefined) ? true : undefined;
      },
      boundMs + 60_000,
      1000,
    );
    const leader = await until('a leader', () => leaderOf(nodes));
    const since = Date.now();
    const t0 = performance.now();
    const res = await fetch(`${leader.url}/api/submit-masters-to-kv-stores`, { signal: AbortSignal.timeout(60_000) });
    const submit = Math.round(performance.now() - t0);
    if (!res.ok) throw new Error(`submit-masters-to-kv-stores answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
    await until(
      'every node to rewrite the primaries',
      async () => (nodes.every((x) => kvRows(x, since) >= clusters) ? true : undefined),
      60_000,
      10,
    );
    const allNodes = Math.round(performance.now() - t0);
    return { clusters, discoverAllMs: discoverAllMs.map((x) => x ?? NaN), submit, allNodes };
  } finally {
    for (const x of nodes) x.child?.kill('SIGKILL');
    for (const w of fleet) w.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
