import { describe, it, expect } from '@jest/globals';
import type { Instance } from '../instance/instance.js';
import { unseenInstance } from '../instance/instance.js';
import { parseInstanceKey } from '../instance/instance-key.js';
import { runningReplication } from '../../test/replication-status.js';
import { placementFromHostname, resolveClusters } from './cluster-resolver.js';

function inst(key: string, master: string | null, extra: Partial<Instance> = {}): Instance {
  const k = parseInstanceKey(key);
  const m = master === null ? null : parseInstanceKey(master);
  const base = unseenInstance(k);
  return {
    ...base,
    lastSeenAt: 1,
    lastCheckedAt: 1,
    isReadOnly: m !== null,
    masterKey: m,
    replication: m === null ? null : runningReplication(m),
    ...extra,
  };
}

describe('cluster resolution', () => {
  it('names a chain after its primary, with depths', () => {
    const r = resolveClusters([inst('r2:1', 'im:1'), inst('im:1', 'p:1'), inst('p:1', null), inst('r1:1', 'p:1')]);
    expect(r.placements.get(parseInstanceKey('r2:1'))).toEqual({
      clusterName: 'p:1',
      replicationDepth: 2,
      isCoMaster: false,
    });
    expect(r.clusters.get('p:1')?.instanceKeys).toEqual(['im:1', 'p:1', 'r1:1', 'r2:1']);
  });

  it('ends at an unknown source: the cluster is named after the last known instance', () => {
    const r = resolveClusters([inst('r1:1', 'gone:1')]);
    expect(r.placements.get(parseInstanceKey('r1:1'))?.clusterName).toBe('r1:1');
  });

  it('terminates on rings of any size', () => {
    const r = resolveClusters([inst('a:1', 'c:1'), inst('b:1', 'a:1'), inst('c:1', 'b:1'), inst('x:1', 'b:1')]);
    expect(r.placements.get(parseInstanceKey('x:1'))).toEqual({
      clusterName: 'a:1',
      replicationDepth: 1,
      isCoMaster: false,
    });
    expect(r.placements.get(parseInstanceKey('a:1'))?.isCoMaster).toBe(false);
  });

  it('names a ring with no single writable member after the smaller key, ports compared as numbers', () => {
    const r = resolveClusters([
      inst('h:10000', 'h:9999', { isReadOnly: true }),
      inst('h:9999', 'h:10000', { isReadOnly: true }),
    ]);
    expect(r.placements.get(parseInstanceKey('h:10000'))?.clusterName).toBe('h:9999');
    expect(r.placements.get(parseInstanceKey('h:10000'))?.isCoMaster).toBe(true);
  });

  it('takes aliases from override, detection query, then ClusterNameToAlias', () => {
    const instances = [inst('p:1', null), inst('q:1', null, { suggestedClusterAlias: 'billing' }), inst('s:1', null)];
    const r = resolveClusters(instances, {
      aliasOverrides: { 'p:1': 'main' },
      clusterNameToAlias: { '^s:': 'shop', '^q:': 'never' },
    });
    expect(r.clusters.get('p:1')?.clusterAlias).toBe('main');
    expect(r.clusters.get('q:1')?.clusterAlias).toBe('billing');
    expect(r.clusters.get('s:1')?.clusterAlias).toBe('shop');
  });

  it('derives placement from hostname patterns', () => {
    expect(
      placementFromHostname('db1.ams.prod.example', {
        dataCenterPattern: '\\.([a-z]+)\\.',
        physicalEnvironmentPattern: '\\.(prod|dev)\\.',
      }),
    ).toEqual({
      dataCenter: 'ams',
      region: '',
      physicalEnvironment: 'prod',
    });
  });
});
