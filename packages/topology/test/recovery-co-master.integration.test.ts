// DeadCoMaster recovery on real MariaDB: a ring a <-> b (a writable) with a replica r of a. kill -9
// of a: b is promoted (writable, no longer replicating), r follows b, no row is lost, and a,
// restarted, is fenced read_only with its replication from b detached.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitFor } from '@orc/testkit';
import type { RecoveryReport } from '../src/index.js';
import { deadCoMasterRequest } from '../src/index.js';
import { replicateFrom } from './co-primary-ring.js';
import { idsOn, replicaStatus, startRecoveryWorld, type RecoveryWorld } from './recovery-harness.js';

let world: RecoveryWorld;
beforeAll(async () => {
  world = await startRecoveryWorld([{ name: 'a' }, { name: 'b', source: 'a' }, { name: 'r', source: 'a' }], {
    name: 'recovery-co-master',
  });
  await replicateFrom(world.servers, 'a', 'b');
}, 120_000);
afterAll(() => world?.close(), 60_000);

describe('DeadCoMaster recovery on MariaDB GTID', () => {
  let report: RecoveryReport;

  it('kill -9 of the writable co-primary: the other co-primary is promoted and the replica follows it', async () => {
    const { servers, topology } = world;
    const [a, b, r] = [servers.instance('a'), servers.instance('b'), servers.instance('r')];
    await waitFor('the ring is discovered', () => topology.instance(world.keyOf(a))?.isCoMaster === true, {
      timeoutMs: 30_000,
    });
    await a.query(
      'CREATE DATABASE IF NOT EXISTS t; CREATE TABLE IF NOT EXISTS t.w (id INT PRIMARY KEY, at DATETIME(6))',
    );
    for (let id = 1; id <= 20; id++) await a.query(`INSERT INTO t.w VALUES (${id}, NOW(6))`);
    await waitFor('rows on b and r', async () => (await idsOn(b)).size === 20 && (await idsOn(r)).size === 20);
    await a.kill();

    const entry = await world.analysisOf(a, 'DeadCoMaster');
    const request = deadCoMasterRequest(entry, { now: Date.now(), instances: topology.instances() });
    expect(request?.requestedCandidate).toBe(world.keyOf(b));
    report = await world.engine.recoverDeadCoMaster(request!);
    await report.settled;
    expect([report.status, report.successor, report.reason]).toEqual([
      'successful',
      world.keyOf(b),
      `promoted ${world.keyOf(b)}`,
    ]);

    const [ro] = (await b.query('SELECT @@GLOBAL.read_only AS ro')) as { ro: number }[];
    expect(ro?.ro).toBe(0);
    expect(await replicaStatus(b)).toBeUndefined();
    const rs = await replicaStatus(r);
    expect([rs?.['Master_Port'], rs?.['Slave_IO_Running'], rs?.['Slave_SQL_Running']]).toEqual([b.port, 'Yes', 'Yes']);
    await b.query('INSERT INTO t.w VALUES (21, NOW(6))');
    await waitFor('the new row on r', async () => (await idsOn(r)).has(21));
    expect((await idsOn(b)).size).toBe(21);
    const recovery = await world.backend.recoveries.readSteps(report.uid!);
    expect(recovery.some((s) => s.message.includes('DeadCoMaster'))).toBe(true);
  }, 120_000);

  it('the dead co-primary, restarted, is fenced read_only and detached from the new primary', async () => {
    const a = world.servers.instance('a');
    await a.start();
    expect(await report.fenced).toBe(true);
    const [ro] = (await a.query('SELECT @@GLOBAL.read_only AS ro')) as { ro: number }[];
    expect(ro?.ro).toBe(1);
    const status = await replicaStatus(a);
    expect([status?.['Master_Host'], status?.['Slave_IO_Running']]).toEqual([
      `//${world.servers.instance('b').host}`,
      'No',
    ]);
  }, 60_000);
});
