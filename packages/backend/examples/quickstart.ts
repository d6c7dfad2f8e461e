// Runnable: node --conditions=@orc/source --import ./tools/scripts/ts-hooks.mjs packages/backend/examples/quickstart.ts
// (from the repository root; Node 24 runs the TypeScript sources directly).
import { randomUUID } from 'node:crypto';

import { Backend, validateBackendConfig } from '@orc/backend';

const backend = new Backend(validateBackendConfig({ dialect: 'sqlite', sqlite: { file: ':memory:' } }));
await backend.open();
try {
  // Discovery writes what it read; analysis reads it back.
  const key = { hostname: 'db1.example', port: 3306 };
  await backend.downtime.begin({ key, owner: 'ops', reason: 'kernel upgrade', durationSeconds: 3600 });
  const input = await backend.instances.readAnalysisInput();
  console.log(
    'instances:',
    input.instances.length,
    'downtimed:',
    input.downtimes.map((d) => `${d.hostname}:${d.port}`),
  );

  // Anti-flapping: the second registration of the same cluster is blocked.
  const recovery = {
    key,
    analysis: 'DeadMaster',
    clusterName: 'db1.example:3306',
    clusterAlias: 'orders',
    countAffectedReplicas: 2,
    replicaHosts: 'db2.example:3306,db3.example:3306',
    processingNodeHostname: 'orc1',
    processingNodeToken: randomUUID(),
    lastDetectionId: 0,
  };
  const first = await backend.recoveries.register(recovery, { blockPeriodSeconds: 3600 });
  const second = await backend.recoveries.register(recovery, { blockPeriodSeconds: 3600 });
  console.log('first registered:', first.registered, 'second registered:', second.registered);

  // The KV table, as @orc/kv's internal store uses it.
  await backend.kv.put([{ key: 'mysql/master/orders', value: 'db1.example:3306' }]);
  console.log('kv:', await backend.kv.list('mysql/master/'));

  // Shared-backend election (here all contenders would share this one database).
  const election = backend.election({ hostname: 'orc1', token: randomUUID() });
  console.log('election:', await election.attempt(), 'leader:', election.isLeader());

  const snapshot = await backend.exportSnapshot();
  console.log('snapshot bytes:', snapshot.length);
} finally {
  await backend.close();
}
