// Runnable: node --conditions=@orc/source --import ./tools/scripts/ts-hooks.mjs packages/topology/examples/quickstart.ts
// (from the repository root; Node 24 runs the TypeScript sources directly). Starts a MariaDB
// primary with two replicas (@orc/testenv), discovers them from one replica, kills the primary
// with SIGKILL and prints the DeadMaster entry.

import { OrcTopology, instanceKey } from '@orc/topology';
import { startMariaDbTopology } from '@orc/testenv';

const until = async (check: () => Promise<boolean> | boolean): Promise<void> => {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

const servers = await startMariaDbTopology({ shape: '1+2', name: 'topology-example' });
const replica = servers.replicas[0]!;
const topology = new OrcTopology({
  config: {
    discoverySeeds: [instanceKey(replica.host, replica.port)],
    mysqlTopologyUser: servers.orcUser.user,
    mysqlTopologyPassword: servers.orcUser.password,
    clusterNameToAlias: { '.*': 'example' },
  },
});
try {
  await servers.waitReplicating();
  await topology.start();
  await until(() => topology.instances().filter((i) => i.lastSeenAt !== null).length === 3);
  for (const c of await topology.clusters())
    console.log('cluster', c.clusterName, 'alias', c.clusterAlias, c.instanceKeys);

  const killedAt = Date.now();
  await servers.primary.kill();
  await until(async () => (await topology.analysis()).some((e) => e.Analysis === 'DeadMaster'));
  const [dead] = (await topology.analysis()).filter((e) => e.Analysis === 'DeadMaster');
  console.log(`DeadMaster after ${Date.now() - killedAt} ms:`, JSON.stringify(dead, null, 2));
} finally {
  await topology.stop();
  await servers.stop();
}
