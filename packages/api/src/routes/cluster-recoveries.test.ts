import { describe, expect, it } from '@jest/globals';
import { instanceKey, unseenInstance, type Instance } from '@orc/topology';
import { buildApi } from '../app.js';
import type { OrcCommand } from '../commands.js';
import type { ApiDeps, AuthSettings, HealthStatus, OrcView } from '../deps.js';

const db1 = instanceKey('db1', 3306);
const instances: Instance[] = [{ ...unseenInstance(db1), masterKey: null, clusterName: 'db1:3306' }];

function fixture(auth?: AuthSettings): { app: ReturnType<typeof buildApi>; submitted: OrcCommand[] } {
  const submitted: OrcCommand[] = [];
  const disabled = new Set<string>();
  const view: OrcView = {
    instances: () => instances,
    instance: (k) => instances.find((i) => i.key === k),
    clusters: async () => [
      { clusterName: 'db1:3306', clusterAlias: 'shop', clusterDomain: '', masterKey: db1, instanceKeys: [db1] },
    ],
    analysis: async () => [],
    downtimes: async () => [],
    maintenance: async () => [],
    candidates: async () => [],
    audit: async () => [],
    globalRecoveriesDisabled: async () => false,
    clusterRecoveriesDisabled: async (name) => disabled.has(name),
    instanceTags: async () => [],
    taggedInstances: async () => [],
    recoveries: async () => [],
    recoverySteps: async () => [],
    defaultPort: 3306,
    pollSeconds: 5,
  };
  const health: HealthStatus = {
    Healthy: true,
    Hostname: 'orc1',
    Token: 't1',
    IsActiveNode: true,
    ActiveNode: { Hostname: 'orc1', Token: 't1' },
    Error: null,
    AvailableNodes: [],
    RaftLeader: '',
    IsRaftLeader: false,
    RaftLeaderURI: '',
    RaftAdvertise: '',
    RaftHealthyMembers: null,
  };
  const deps: ApiDeps = {
    view,
    commands: {
      submit: async (c) => {
        submitted.push(c);
        if (c.kind === 'disable-cluster-recoveries') disabled.add(c.cluster);
        if (c.kind === 'enable-cluster-recoveries') disabled.delete(c.cluster);
        return {} as never;
      },
    },
    node: { isLive: () => true, isReady: () => true, isActive: () => true, health: async () => health },
    options: {
      urlPrefix: '',
      auth: auth ?? { method: '', user: '', password: '', userHeader: 'X-Forwarded-User', powerUsers: ['*'] },
      readOnly: false,
      statusEndpoint: '/api/status',
    },
  };
  return { app: buildApi(deps), submitted };
}

describe('per-cluster recovery switch routes', () => {
  it('resolve the cluster hint (alias or member) and submit the command with the cluster name', async () => {
    const { app, submitted } = fixture();
    const check = async (): Promise<unknown> => (await app.inject('/api/check-cluster-recoveries/shop')).json();
    expect(await check()).toEqual({
      Code: 'OK',
      Message: 'Recoveries of cluster db1:3306 enabled',
      Details: 'enabled',
    });
    const off = await app.inject('/api/disable-cluster-recoveries/shop');
    expect(off.statusCode).toBe(200);
    expect(off.json()).toEqual({ Code: 'OK', Message: 'Disabled recoveries of cluster db1:3306', Details: 'db1:3306' });
    expect(await check()).toMatchObject({ Details: 'disabled' });
    const on = await app.inject({ method: 'POST', url: '/api/enable-cluster-recoveries/db1:3306' });
    expect(on.json()).toEqual({ Code: 'OK', Message: 'Enabled recoveries of cluster db1:3306', Details: 'db1:3306' });
    expect(await check()).toMatchObject({ Details: 'enabled' });
    expect(submitted).toEqual([
      { kind: 'disable-cluster-recoveries', cluster: 'db1:3306' },
      { kind: 'enable-cluster-recoveries', cluster: 'db1:3306' },
    ]);
  });

  it('answer an unknown cluster with an error and submit nothing', async () => {
    const { app, submitted } = fixture();
    const res = await app.inject('/api/disable-cluster-recoveries/nosuch');
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.json()).toMatchObject({ Code: 'ERROR' });
    expect(submitted).toEqual([]);
  });

  it('refuse read-only users like the global switch', async () => {
    const { app, submitted } = fixture({
      method: 'multi',
      user: 'admin',
      password: 'pw',
      userHeader: '',
      powerUsers: [],
    });
    const readonly = { authorization: `Basic ${Buffer.from('readonly:any').toString('base64')}` };
    for (const url of [
      '/api/disable-cluster-recoveries/shop',
      '/api/enable-cluster-recoveries/shop',
      '/api/disable-global-recoveries',
    ]) {
      const res = await app.inject({ url, headers: readonly });
      expect([url, res.statusCode]).toEqual([url, 403]);
    }
    expect(submitted).toEqual([]);
    const admin = { authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}` };
    const res = await app.inject({ url: '/api/disable-cluster-recoveries/shop', headers: admin });
    expect(res.statusCode).toBe(200);
    expect(submitted).toEqual([{ kind: 'disable-cluster-recoveries', cluster: 'db1:3306' }]);
  });
});
