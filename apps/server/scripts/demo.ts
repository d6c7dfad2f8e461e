// `pnpm demo`: a real MariaDB 1+2 from @orc/testenv and one orc node on SQLite, in this process,
// printing where to look and how to break the primary. Ctrl-C stops everything it started.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPortFree, startMariaDbTopology, allocatePort } from '@orc/testenv';
import { waitFor } from '@orc/testkit';
import { buildDaemonConfig } from '../src/config/build.js';
import { loadConfig } from '../src/config/load.js';
import { formatProblems } from '../src/config/problems.js';
import { startDaemon } from '../src/daemon.js';
import { createLogger } from '../src/logging.js';

const say = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

async function main(): Promise<void> {
  say('demo: starting a MariaDB primary and two replicas on 127.0.0.1 ...');
  const topo = await startMariaDbTopology({ shape: '1+2' });
  // orc proves a promoted server writable with a write to orc_meta.write_probe.
  await topo.primary.query(`GRANT ALL ON orc_meta.* TO '${topo.orcUser.user}'@'%'`);
  const dataDir = mkdtempSync(join(tmpdir(), 'orc-demo-'));
  const port = (await isPortFree(3000)) ? 3000 : await allocatePort();
  const file = {
    BackendDB: 'sqlite',
    DataDir: dataDir,
    ListenAddress: `127.0.0.1:${port}`,
    MySQLTopologyUser: 'orc',
    MySQLTopologyPassword: 'orc',
    InstancePollSeconds: 1,
    DiscoverySeeds: [`127.0.0.1:${topo.primary.port}`],
    ClusterNameToAlias: { '.*': 'demo' },
    RecoverMasterClusterFilters: ['*'],
  };
  const loaded = loadConfig({
    configPath: 'demo.conf.json',
    env: {},
    files: { exists: () => true, readFile: () => JSON.stringify(file) },
  });
  const built =
    loaded.problems.length === 0
      ? buildDaemonConfig(loaded.values, { readFile: () => '' })
      : { problems: [...loaded.problems] };
  if ('problems' in built) throw new Error(formatProblems(built.problems));
  const logger = createLogger(process.env['ORC_DEMO_LOG'] === 'info' ? 'info' : 'warn');
  const daemon = await startDaemon({ config: built, logger });
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    say('\ndemo: stopping orc and the MariaDB servers ...');
    await daemon.stop('demo stopped');
    await topo.stop();
    rmSync(dataDir, { recursive: true, force: true });
    say('demo: everything it started is stopped and removed.');
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());

  const cluster = 'demo';
  await waitFor(
    'orc knows the three servers and has published the primary',
    async () => {
      const [instances, metrics] = await Promise.all([
        fetch(`${daemon.url}/api/cluster/${cluster}`).then((r) => (r.ok ? (r.json() as Promise<unknown[]>) : [])),
        daemon.metrics.registry.getSingleMetricAsString('orc_kv_writes_total'),
      ]);
      return instances.length === 3 && /outcome="ok"\} [1-9]/.test(metrics);
    },
    { timeoutMs: 60_000, intervalMs: 200 },
  );
  const topology = (await (await fetch(`${daemon.url}/api/topology/${cluster}`)).json()) as { Details: string };
  say(`\norc is running on SQLite (${dataDir}) and sees:\n\n${topology.Details}\n`);
  say(`Its internal KV store names the primary: mysql/master/demo = 127.0.0.1:${topo.primary.port}\n`);
  say('Open:');
  for (const path of [
    '/api/clusters-info',
    `/api/topology/${cluster}`,
    `/api/cluster/${cluster}`,
    '/api/replication-analysis',
    '/api/audit-recovery',
    '/api/audit',
    '/metrics',
  ])
    say(`  ${daemon.url}${path}`);
  say('\nKill the primary:');
  say(`  kill -9 ${topo.primary.pid ?? '<pid of the primary>'}`);
  say('and watch orc promote a replica within seconds, repoint the other and publish the new primary:');
  say(`  watch -n1 'curl -s ${daemon.url}/api/topology/demo; echo; curl -s ${daemon.url}/api/audit-recovery'`);
  say('\nThe servers, to look for yourself:');
  for (const i of [topo.primary, topo.instance('r1'), topo.instance('r2')])
    say(`  mariadb -h127.0.0.1 -P${i.port} -uroot -ptestenv`);
  say('\nCtrl-C stops everything.');
}

main().catch((err: unknown) => {
  process.stderr.write(`demo: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
