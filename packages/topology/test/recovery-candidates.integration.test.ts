// Candidate rules and verified success against real MariaDB: a must_not replica holding the
// newest transactions, an errant-GTID replica, a preferred one that lags; and a missing grant.
import { afterEach, describe, expect, it } from '@jest/globals';
import { waitFor } from '@orc/testkit';
import type { MariaDbInstance } from '@orc/testenv';
import { idsOn, replicaStatus, startRecoveryWorld, type RecoveryWorld } from './recovery-harness.js';

let world: RecoveryWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
}, 60_000);

async function insertRows(server: MariaDbInstance, from: number, count: number): Promise<void> {
  const values = Array.from({ length: count }, (_, i) => `(${from + i}, NOW(6))`).join(',');
  await server.query(
    `CREATE DATABASE IF NOT EXISTS t; CREATE TABLE IF NOT EXISTS t.w (id INT PRIMARY KEY, at DATETIME(6)); INSERT INTO t.w VALUES ${values}`,
  );
}

describe('candidate rules on real MariaDB', () => {
  it('catches a preferred lagging replica up from the must_not one that has everything, skips the errant one, loses nothing', async () => {
    const w = (world = await startRecoveryWorld('1+3', { name: 'recovery-candidates' }));
    const [r1, r2, r3] = w.servers.replicas as [MariaDbInstance, MariaDbInstance, MariaDbInstance];
    await insertRows(w.servers.primary, 1, 100);
    await w.servers.waitCaughtUp();
    await r2.query('STOP SLAVE'); // r2 falls behind
    await insertRows(w.servers.primary, 101, 50);
    for (const r of [r1, r3]) await waitFor(`${r.name} has 150 rows`, async () => (await idsOn(r)).size === 150);
    // r3 writes a transaction of its own, in a domain the primary never had: errant.
    await r3.query('SET SESSION gtid_domain_id=9; CREATE DATABASE errant_r3');
    await waitFor(
      'discovery sees r2 stopped',
      () => w.topology.instance(w.keyOf(r2))?.replication?.isSqlThreadRunning === false,
    );

    await w.servers.primary.kill();
    const request = await w.deadMasterRequestFor(w.servers.primary);
    const report = await w.engine.recoverDeadMaster({
      ...request,
      candidateRules: [
        { key: w.keyOf(r1), promotionRule: 'must_not', expiresAt: null },
        { key: w.keyOf(r2), promotionRule: 'prefer', expiresAt: null },
      ],
    });
    await report.settled;
    expect(report.reason).toBe(`promoted ${w.keyOf(r2)}`);
    expect(report.status).toBe('successful');
    expect(report.choice?.needsCatchUp).toBe(true);
    const reasons = (name: MariaDbInstance): string =>
      report.choice?.verdicts.find((v) => v.key === w.keyOf(name))?.reasons.join('; ') ?? '';
    expect(reasons(r1)).toContain('must_not');
    expect(reasons(r3)).toContain('errant GTIDs 9-');
    expect(report.steps.some((s) => s.name === 'catch-up')).toBe(true);
    expect((await idsOn(r2)).size).toBe(150);
    for (const r of [r1, r3]) {
      expect(await replicaStatus(r)).toMatchObject({
        Master_Port: r2.port,
        Slave_IO_Running: 'Yes',
        Slave_SQL_Running: 'Yes',
      });
    }
    // The errant transaction did not travel to the new primary.
    expect((await r2.query("SHOW DATABASES LIKE 'errant_r3'")) as unknown[]).toEqual([]);
  }, 120_000);

  it('fails loudly when orc may not clear read_only (no READ_ONLY ADMIN): never reported as a success', async () => {
    const w = (world = await startRecoveryWorld('1+2', { name: 'recovery-grant' }));
    await w.servers.primary.query(`REVOKE READ_ONLY ADMIN ON *.* FROM '${w.servers.orcUser.user}'@'%'`);
    await w.servers.waitCaughtUp();
    await w.servers.primary.kill();
    const request = await w.deadMasterRequestFor(w.servers.primary);
    const report = await w.engine.recoverDeadMaster(request);
    await report.settled;
    expect(report.status).toBe('failed');
    expect(report.reason).toMatch(/read_only/);
    expect(report.timings.writableMs).toBeNull();
    const row = await w.backend.recoveries.readByUid(report.uid!);
    expect(row?.isSuccessful).toBe(false);
    expect(row?.allErrors).toMatch(/read_only/);
    const steps = (await w.backend.recoveries.readSteps(report.uid!)).map((s) => s.message);
    expect(steps.some((m) => m.startsWith('[failed '))).toBe(true);
    // Nobody became writable.
    for (const r of w.servers.replicas) {
      const [ro] = (await r.query('SELECT @@GLOBAL.read_only AS ro')) as { ro: number }[];
      expect(ro?.ro).toBe(1);
    }
  }, 120_000);
});
