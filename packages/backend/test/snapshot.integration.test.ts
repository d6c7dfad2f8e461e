import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Backend, validateBackendConfig, type Backend as BackendType } from '../src/index.js';
import type { ManualClock } from '@orc/testkit';
import { DIALECTS, DialectHarness, testClock } from './support/backends.js';
import { detection, instance, recovery, replica } from './support/fixtures.js';

/** Writes something into every replicated table. */
async function fill(b: BackendType, clock: ManualClock): Promise<void> {
  const p = instance('p', 3306, { clusterName: 'p:3306', suggestedClusterAlias: 'orders', lastSeen: clock.wallNow() });
  await b.instances.upsert([p, replica('r1', 3306, p, 'p:3306'), replica('r2', 3306, p, 'p:3306')]);
  await b.clusters.refreshSuggestedAliases();
  await b.clusters.setAliasOverride('p:3306', 'sales ünïcode');
  await b.downtime.begin({ key: { hostname: 'r1', port: 3306 }, owner: 'ops', reason: 'disk', durationSeconds: 600 });
  await b.candidates.register({ hostname: 'r2', port: 3306 }, 'prefer');
  await b.failureDetections.register(detection('p', { processingNodeToken: 't' }), { blockPeriodMinutes: 60 });
  const r = await b.recoveries.register(recovery('p', { processingNodeToken: 't', uid: 'u1' }), {
    blockPeriodSeconds: 3600,
  });
  if (!r.registered) throw new Error('blocked');
  await b.recoveries.appendStep('u1', 'promoting r2');
  await b.recoveries.resolve('u1', {
    isSuccessful: true,
    successor: { key: { hostname: 'r2', port: 3306 }, alias: '' },
    lostReplicas: '',
    participatingInstances: 'p:3306,r2:3306',
    allErrors: '',
  });
  await b.recoveries.register(
    recovery('x', {
      key: { hostname: 'x', port: 1 },
      clusterName: 'p:3306',
      clusterAlias: '',
      countAffectedReplicas: 0,
      replicaHosts: '',
      processingNodeToken: 't',
      lastDetectionId: 0,
    }),
    { blockPeriodSeconds: 3600 },
  );
  await b.recoveries.setGlobalRecoveryDisabled(true);
  await b.recoveries.setClusterRecoveryDisabled('p:3306', true, 'ops');
  await b.tags.put({ hostname: 'r1', port: 3306 }, 'role', 'reporting');
  await b.kv.put([
    { key: 'mysql/master/orders', value: 'r2:3306' },
    { key: 'mysql/master/orders/hostname', value: 'r2' },
  ]);
}

describe.each(DIALECTS)('snapshots on %s', (dialect) => {
  const h = new DialectHarness(dialect);
  beforeAll(() => h.start(), 120_000);
  afterAll(() => h.stop(), 60_000);

  it('exports deterministic bytes, and import replaces the replicated tables to give equal tables', async () => {
    const clock = testClock();
    const a = await h.open({ clock });
    await fill(a, clock);
    const bytes = await a.exportSnapshot();
    expect(Buffer.from(await a.exportSnapshot()).equals(Buffer.from(bytes))).toBe(true);

    // The target has other data of its own: it is replaced, instances are reconciled.
    const b = await h.open({ clock });
    await b.kv.put([{ key: 'stale', value: 'gone after import' }]);
    await b.candidates.register({ hostname: 'old', port: 1 }, 'must');
    await b.instances.upsert([
      instance('forgotten', 1),
      replica('r1', 3306, { hostname: 'p', port: 3306 }, 'p:3306', { version: 'kept' }),
    ]);
    await b.importSnapshot(bytes);

    expect(Buffer.from(await b.exportSnapshot()).equals(Buffer.from(bytes))).toBe(true);
    expect(await b.kv.list('')).toEqual(await a.kv.list(''));
    expect(await b.candidates.readAll()).toEqual(await a.candidates.readAll());
    expect(await b.recoveries.readRecent({ limit: 10 })).toEqual(await a.recoveries.readRecent({ limit: 10 }));
    expect(await b.recoveries.readSteps('u1')).toEqual(await a.recoveries.readSteps('u1'));
    expect(await b.clusters.readAliases()).toEqual(await a.clusters.readAliases());
    expect(await b.recoveries.isGlobalRecoveryDisabled()).toBe(true);
    expect(await b.recoveries.readDisabledClusters()).toEqual(await a.recoveries.readDisabledClusters());
    expect(await b.recoveries.isClusterRecoveryDisabled('p:3306')).toBe(true);
    expect(await b.tags.read({ hostname: 'r1', port: 3306 })).toEqual([{ name: 'role', value: 'reporting' }]);
    // Instances: forgotten ones are gone, known ones keep what discovery knows, missing ones are stubs due for a probe.
    const names = (await b.instances.readAll()).map((i) => i.hostname);
    expect(names).toEqual(['p', 'r1', 'r2']);
    expect((await b.instances.read({ hostname: 'r1', port: 3306 }))?.version).toBe('kept');
    expect(await b.instances.read({ hostname: 'r2', port: 3306 })).toMatchObject({
      masterHost: 'p',
      masterPort: 3306,
      clusterName: 'p:3306',
      lastChecked: 0,
    });
    expect(await b.instances.readDueKeys({ pollSeconds: 5 })).toEqual(
      expect.arrayContaining([{ hostname: 'p', port: 3306 }]),
    );

    // Ids carried over: new rows continue after them.
    const next = await b.recoveries.register(
      {
        key: { hostname: 'n', port: 1 },
        analysis: 'DeadMaster',
        clusterName: 'n:1',
        clusterAlias: '',
        countAffectedReplicas: 0,
        replicaHosts: '',
        processingNodeHostname: 'o',
        processingNodeToken: 't',
        lastDetectionId: 0,
      },
      { blockPeriodSeconds: 3600 },
    );
    expect(next.registered && next.recovery.recoveryId).toBe(2); // u1 was id 1; x was blocked by it

    if (dialect === 'mariadb') {
      // The same content gives the same bytes on SQLite.
      const lite = new Backend(validateBackendConfig({ dialect: 'sqlite', sqlite: { file: ':memory:' } }));
      await lite.open();
      try {
        await lite.importSnapshot(bytes);
        expect(Buffer.from(await lite.exportSnapshot()).toString()).toBe(Buffer.from(bytes).toString());
      } finally {
        await lite.close();
      }
    }
  });

  it('reads a format 1 snapshot (before the per-cluster switch) as having no disabled cluster', async () => {
    const source = await h.open();
    await source.kv.put([{ key: 'theirs', value: '2' }]);
    const doc = JSON.parse(Buffer.from(await source.exportSnapshot()).toString()) as {
      version: number;
      tables: { name: string }[];
    };
    const added = ['cluster_recovery_disable', 'database_instance_tags'];
    const older = { ...doc, version: 1, tables: doc.tables.filter((t) => !added.includes(t.name)) };
    const b = await h.open();
    await b.recoveries.setClusterRecoveryDisabled('mine:3306', true);
    await b.tags.put({ hostname: 'mine', port: 3306 }, 'a');
    await b.importSnapshot(new TextEncoder().encode(JSON.stringify(older)));
    expect(await b.recoveries.readDisabledClusters()).toEqual([]);
    expect(await b.tags.tagged('a')).toEqual([]);
    // Format 2 lacks only the tags.
    await b.tags.put({ hostname: 'mine', port: 3306 }, 'a');
    const format2 = { ...doc, version: 2, tables: doc.tables.filter((t) => t.name !== 'database_instance_tags') };
    await b.importSnapshot(new TextEncoder().encode(JSON.stringify(format2)));
    expect(await b.tags.tagged('a')).toEqual([]);
    expect(await b.kv.get('theirs')).toBe('2');
    const tooOld = { ...older, tables: older.tables.slice(1) };
    await expect(b.importSnapshot(new TextEncoder().encode(JSON.stringify(tooOld)))).rejects.toMatchObject({
      code: 'SNAPSHOT_INVALID',
    });
  });

  it('refuses bytes that are not a snapshot, and an import that fails changes nothing', async () => {
    const b = await h.open();
    await b.kv.put([{ key: 'mine', value: '1' }]);
    await expect(b.importSnapshot(new TextEncoder().encode('{"format":"other"}'))).rejects.toMatchObject({
      code: 'SNAPSHOT_INVALID',
    });
    await expect(b.importSnapshot(new Uint8Array([0xff, 0xfe]))).rejects.toMatchObject({ code: 'SNAPSHOT_INVALID' });

    const source = await h.open();
    await source.kv.put([{ key: 'theirs', value: '2' }]);
    const doc = JSON.parse(Buffer.from(await source.exportSnapshot()).toString()) as {
      tables: { name: string; rows: unknown[][] }[];
    };
    const kv = doc.tables.find((t) => t.name === 'kv_store');
    if (kv === undefined) throw new Error('no kv_store in snapshot');
    kv.rows.push([...(kv.rows[0] as unknown[])]); // a duplicate key: the insert fails after other tables were replaced
    await expect(b.importSnapshot(new TextEncoder().encode(JSON.stringify(doc)))).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(await b.kv.list('')).toEqual([{ key: 'mine', value: '1' }]);
  });
});
