// Runnable: node --conditions=@orc/source --import ./tools/scripts/ts-hooks.mjs packages/topology/examples/recovery.ts
// (from the repository root). Starts a MariaDB primary with two replicas (@orc/testenv),
// discovers them, kills the primary with SIGKILL, and lets the RecoveryEngine promote a replica;
// prints the recovery's steps and where the time went.
import {
  InMemoryRecoveryStore,
  Mysql2Connector,
  OrcTopology,
  RecoveryEngine,
  deadMasterRequest,
  instanceKey,
  systemClock,
  validateRecoveryConfig,
} from '@orc/topology';
import { startMariaDbTopology } from '@orc/testenv';

const until = async <T>(check: () => Promise<T | undefined> | T | undefined): Promise<T> => {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

const servers = await startMariaDbTopology({ shape: '1+2', name: 'recovery-example' });
// The write probe proves the new primary writable on orc's own table, never on user data.
await servers.primary.query(`GRANT ALL ON orc_meta.* TO '${servers.orcUser.user}'@'%'`);
const topology = new OrcTopology({
  config: {
    discoverySeeds: [instanceKey(servers.primary.host, servers.primary.port)],
    mysqlTopologyUser: servers.orcUser.user,
    mysqlTopologyPassword: servers.orcUser.password,
    instancePollSeconds: 1,
    clusterNameToAlias: { '.*': 'example' },
  },
});
const engine = new RecoveryEngine({
  config: validateRecoveryConfig({ recoverMasterClusterFilters: ['*'] }),
  store: new InMemoryRecoveryStore(systemClock), // orc uses BackendRecoveryStore over @orc/backend
  connector: new Mysql2Connector({
    user: servers.orcUser.user,
    password: servers.orcUser.password,
    connectTimeoutMs: 1000,
    statementTimeoutMs: 5000,
    clock: systemClock,
  }),
  clock: systemClock,
});
try {
  await servers.waitCaughtUp();
  await topology.start();
  await until(() => (topology.instances().filter((i) => i.clusterName !== '').length === 3 ? true : undefined));
  await servers.primary.kill();
  const entry = await until(async () => (await topology.analysis()).find((e) => e.Analysis === 'DeadMaster'));
  const report = await engine.recoverDeadMaster(
    deadMasterRequest(entry, { now: Date.now(), instances: topology.instances() })!,
  );
  console.log(report.status, report.reason);
  for (const s of report.steps) console.log(`+${Math.round(s.elapsedMs)} ms  ${s.name}: ${s.message}`);
  await report.settled;
} finally {
  engine.stop();
  await topology.stop();
  await servers.stop();
}
