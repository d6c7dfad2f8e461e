// A dead intermediate primary on real MariaDB (p -> im -> r1, r2): its replicas are relocated
// under p by GTID and keep replicating.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitFor } from '@orc/testkit';
import { deadIntermediateMasterRequest } from '../src/index.js';
import { idsOn, replicaStatus, startRecoveryWorld, type RecoveryWorld } from './recovery-harness.js';

let world: RecoveryWorld;
beforeAll(async () => {
  world = await startRecoveryWorld(
    [{ name: 'p' }, { name: 'im', source: 'p' }, { name: 'r1', source: 'im' }, { name: 'r2', source: 'im' }],
    { name: 'recovery-intermediate', config: { recoverIntermediateMasterClusterFilters: ['*'] } },
  );
}, 120_000);
afterAll(() => world?.close(), 60_000);

describe('DeadIntermediateMaster recovery', () => {
  it("relocates the dead intermediate primary's replicas under its source, verified", async () => {
    const { servers } = world;
    const p = servers.instance('p');
    const im = servers.instance('im');
    await p.query(
      'CREATE DATABASE IF NOT EXISTS t; CREATE TABLE IF NOT EXISTS t.w (id INT PRIMARY KEY, at DATETIME(6)); INSERT INTO t.w VALUES (1, NOW(6))',
    );
    await servers.waitCaughtUp();
    await im.kill();
    const entry = await world.analysisOf(im, 'DeadIntermediateMaster');
    const request = deadIntermediateMasterRequest(entry, { now: Date.now(), instances: world.topology.instances() });
    expect(request).toBeDefined();
    const report = await world.engine.recoverDeadIntermediateMaster(request!);
    await report.settled;
    expect(report.status).toBe('successful');
    expect([...report.repointed].sort()).toEqual(
      [world.keyOf(servers.instance('r1')), world.keyOf(servers.instance('r2'))].sort(),
    );
    await p.query('INSERT INTO t.w VALUES (2, NOW(6))');
    for (const name of ['r1', 'r2']) {
      const r = servers.instance(name);
      expect(await replicaStatus(r)).toMatchObject({
        Master_Port: p.port,
        Slave_IO_Running: 'Yes',
        Slave_SQL_Running: 'Yes',
      });
      await waitFor(`${name} has the new row from p`, async () => (await idsOn(r)).has(2));
    }
    const row = await world.backend.recoveries.readByUid(report.uid!);
    expect(row).toMatchObject({ isSuccessful: true, analysis: request!.analysis });
  }, 120_000);
});
