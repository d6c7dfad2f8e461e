import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { BackendError } from '../src/index.js';
import { DIALECTS, DialectHarness, testClock } from './support/backends.js';
import { instance, replica } from './support/fixtures.js';

describe.each(DIALECTS)('instances and clusters on %s', (dialect) => {
  const h = new DialectHarness(dialect);
  beforeAll(() => h.start(), 120_000);
  afterAll(() => h.stop(), 60_000);

  it('upserts instances in batches and reads every field back', async () => {
    const b = await h.open();
    const primary = instance('db1', 3306, {
      clusterName: 'db1:3306',
      suggestedClusterAlias: 'orders',
      lastSeen: 5,
      lastChecked: 5,
      executedGtidSet: 'x'.repeat(5000),
    });
    const rows = [
      primary,
      ...Array.from({ length: 1200 }, (_, i) =>
        replica(`r${String(i).padStart(4, '0')}`, 3306, primary, 'db1:3306', { secondsBehindMaster: i }),
      ),
    ];
    await b.instances.upsert(rows);
    expect(await b.instances.read({ hostname: 'db1', port: 3306 })).toEqual(primary);
    const all = await b.instances.readAll();
    expect(all).toHaveLength(1201);
    expect(all[0]).toEqual(primary);
    expect(all[1200]?.secondsBehindMaster).toBe(1199);

    // A second upsert replaces every field.
    await b.instances.upsert([{ ...primary, readOnly: true, secondsBehindMaster: null, gtidCurrentPos: '0-1-200' }]);
    const again = await b.instances.read({ hostname: 'db1', port: 3306 });
    expect(again?.readOnly).toBe(true);
    expect(again?.gtidCurrentPos).toBe('0-1-200');
    expect(await b.instances.read({ hostname: 'nope', port: 1 })).toBeUndefined();
  });

  it('reads a cluster, its primary, and the cluster names', async () => {
    const b = await h.open();
    const p = instance('p', 3306, { clusterName: 'p:3306' });
    await b.instances.upsert([
      replica('b', 3306, p, 'p:3306'),
      p,
      replica('a', 3306, p, 'p:3306'),
      instance('other', 3306, { clusterName: 'other:3306' }),
    ]);
    expect((await b.instances.readCluster('p:3306')).map((i) => i.hostname)).toEqual(['a', 'b', 'p']);
    expect((await b.instances.readClusterPrimary('p:3306'))?.hostname).toBe('p');
    expect(await b.instances.readClusterPrimary('missing:1')).toBeUndefined();
    expect(await b.instances.readClusterNames()).toEqual([
      { clusterName: 'other:3306', count: 1 },
      { clusterName: 'p:3306', count: 3 },
    ]);
  });

  it('lists keys due for a probe, waiting twice as long while an attempt is pending', async () => {
    const clock = testClock();
    const b = await h.open({ clock });
    const t = clock.wallNow();
    await b.instances.upsert([
      instance('fresh', 1, { lastChecked: t - 1000, lastAttemptedCheck: t - 1000 }),
      instance('stale', 1, { lastChecked: t - 6000, lastAttemptedCheck: t - 6000 }),
      instance('pending', 1, { lastChecked: t - 6000, lastAttemptedCheck: t - 500 }),
      instance('pending-long', 1, { lastChecked: t - 11000, lastAttemptedCheck: t - 500 }),
    ]);
    expect(await b.instances.readDueKeys({ pollSeconds: 5 })).toEqual([
      { hostname: 'pending-long', port: 1 },
      { hostname: 'stale', port: 1 },
    ]);
    expect(await b.instances.readDueKeys({ pollSeconds: 5, limit: 1 })).toEqual([
      { hostname: 'pending-long', port: 1 },
    ]);

    await b.instances.markAttempted([{ hostname: 'stale', port: 1 }]);
    expect((await b.instances.read({ hostname: 'stale', port: 1 }))?.lastAttemptedCheck).toBe(t);
    clock.advance(10);
    expect(await b.instances.markCheckFailed({ hostname: 'fresh', port: 1 }, { partialSuccess: true })).toBe(true);
    const failed = await b.instances.read({ hostname: 'fresh', port: 1 });
    expect(failed?.lastChecked).toBe(t + 10);
    expect(failed?.lastCheckPartialSuccess).toBe(true);
    expect(await b.instances.markCheckFailed({ hostname: 'ghost', port: 1 }, { partialSuccess: false })).toBe(false);
  });

  it('reads the analysis input: instances with downtime, maintenance and candidates in force', async () => {
    const clock = testClock();
    const b = await h.open({ clock });
    const p = instance('p', 3306, { clusterName: 'p:3306' });
    await b.instances.upsert([p, replica('r1', 3306, p, 'p:3306'), replica('r2', 3306, p, 'p:3306')]);
    await b.downtime.begin({
      key: { hostname: 'r1', port: 3306 },
      owner: 'ops',
      reason: 'upgrade',
      durationSeconds: 60,
    });
    await b.downtime.begin({ key: { hostname: 'r2', port: 3306 }, owner: 'ops', reason: 'short', durationSeconds: 1 });
    await b.downtime.beginMaintenance({
      key: { hostname: 'p', port: 3306 },
      owner: 'ops',
      reason: 'm',
      durationSeconds: 60,
      processingNodeHostname: 'orc1',
      processingNodeToken: 't',
    });
    await b.candidates.register({ hostname: 'r2', port: 3306 }, 'prefer');
    clock.advance(2000);
    const input = await b.instances.readAnalysisInput();
    expect(input.instances.map((i) => i.hostname)).toEqual(['p', 'r1', 'r2']);
    expect(input.downtimes.map((d) => d.hostname)).toEqual(['r1']);
    expect(input.maintenances.map((m) => m.hostname)).toEqual(['p']);
    expect(input.candidates).toEqual([
      { hostname: 'r2', port: 3306, lastSuggested: clock.wallNow() - 2000, priority: 1, promotionRule: 'prefer' },
    ]);
    expect(input.readAt).toBe(clock.wallNow());
  });

  it('forgets instances, and those unseen for long', async () => {
    const clock = testClock();
    const b = await h.open({ clock });
    await b.instances.upsert([
      instance('a', 1, { lastSeen: clock.wallNow() }),
      instance('b', 1, { lastSeen: clock.wallNow() - 3 * 3_600_000 }),
    ]);
    expect(await b.instances.forgetUnseen(2)).toBe(1);
    expect(await b.instances.forget({ hostname: 'a', port: 1 })).toBe(true);
    expect(await b.instances.forget({ hostname: 'a', port: 1 })).toBe(false);
    expect(await b.instances.readAll()).toEqual([]);
    await b.instances.upsert([
      instance('c1', 1, { clusterName: 'c:1' }),
      instance('c2', 1, { clusterName: 'c:1' }),
      instance('d', 1, { clusterName: 'd:1' }),
    ]);
    expect(await b.instances.forgetCluster('c:1')).toBe(2);
    expect((await b.instances.readAll()).map((i) => i.hostname)).toEqual(['d']);
  });

  it('keeps suggested aliases and operator overrides, the override winning', async () => {
    const b = await h.open();
    await b.instances.upsert([
      instance('p', 1, { clusterName: 'p:1', suggestedClusterAlias: 'orders' }),
      instance('q', 1, { clusterName: 'q:1' }),
    ]);
    expect(await b.clusters.refreshSuggestedAliases()).toBe(1);
    expect(await b.clusters.readAlias('p:1')).toBe('orders');
    expect(await b.clusters.resolveAlias('orders')).toBe('p:1');
    await b.clusters.setAliasOverride('p:1', 'sales');
    await b.clusters.setSuggestedAlias('q:1', 'queue');
    expect(await b.clusters.readAliases()).toEqual([
      { clusterName: 'p:1', alias: 'sales', source: 'override' },
      { clusterName: 'q:1', alias: 'queue', source: 'suggested' },
    ]);
    expect(await b.clusters.resolveAlias('sales')).toBe('p:1');
    await b.clusters.setAliasOverride('p:1', '');
    expect(await b.clusters.readAlias('p:1')).toBe('orders');
    expect(await b.clusters.readAlias('none:1')).toBeUndefined();
  });

  it('refuses bad input with a typed error naming the field', async () => {
    const b = await h.open();
    const bad = { ...instance('x', 1), readOnly: 'yes' } as unknown as ReturnType<typeof instance>;
    await expect(b.instances.upsert([bad])).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('instances[0].readOnly'),
    });
    await expect(b.instances.upsert([instance('x', 70000)])).rejects.toBeInstanceOf(BackendError);
    await expect(b.instances.upsert([instance('h'.repeat(300), 1)])).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(b.instances.readDueKeys({ pollSeconds: -1 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('pollSeconds'),
    });
  });
});
