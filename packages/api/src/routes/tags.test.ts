import { describe, expect, it } from '@jest/globals';
import { instanceKey, unseenInstance, type Instance } from '@orc/topology';
import { buildApi } from '../app.js';
import type { OrcCommand } from '../commands.js';
import type { ApiDeps, AuthSettings, HealthStatus, OrcView } from '../deps.js';

const db1 = instanceKey('db1', 3306);
const instances: Instance[] = [{ ...unseenInstance(db1), masterKey: null, clusterName: 'db1:3306' }];

function fixture(auth?: AuthSettings): { app: ReturnType<typeof buildApi>; submitted: OrcCommand[] } {
  const submitted: OrcCommand[] = [];
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
    clusterRecoveriesDisabled: async () => false,
    instanceTags: async () => [
      { name: 'role', value: 'olap' },
      { name: 'dc', value: '' },
    ],
    taggedInstances: async (name, value) => (name === 'role' && (value ?? 'olap') === 'olap' ? [db1] : []),
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
        return (c.kind === 'delete-instance-tag' ? { keys: [db1] } : {}) as never;
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

describe('tag routes', () => {
  it('reads tags of an instance, a tag value and the instances holding a tag', async () => {
    const { app } = fixture();
    expect((await app.inject('/api/tags/db1/3306')).json()).toEqual(['role=olap', 'dc']);
    expect((await app.inject('/api/tag-value/db1/3306?tag=role')).body).toBe('olap');
    expect((await app.inject('/api/tag-value/db1/3306/role')).body).toBe('olap');
    expect((await app.inject('/api/tag-value/db1/3306?tag=none')).statusCode).toBe(404);
    expect((await app.inject('/api/tagged?tag=role=olap')).json()).toEqual([db1]);
    expect((await app.inject('/api/tagged?tag=role=oltp')).json()).toEqual([]);
    expect((await app.inject('/api/tagged')).statusCode).toBe(400);
  });

  it('submits tag, untag and untag-all through the command bus', async () => {
    const { app, submitted } = fixture();
    expect((await app.inject('/api/tag/db1/3306?tag=role=olap')).json()).toMatchObject({ Code: 'OK', Details: db1 });
    await app.inject('/api/tag/db1/3306/dc/east');
    expect((await app.inject('/api/untag/db1/3306?tag=role')).json()).toMatchObject({ Details: [db1] });
    expect((await app.inject('/api/untag-all?tag=dc=east')).json()).toMatchObject({ Details: [db1] });
    expect(submitted).toEqual([
      { kind: 'put-instance-tag', key: db1, name: 'role', value: 'olap' },
      { kind: 'put-instance-tag', key: db1, name: 'dc', value: 'east' },
      { kind: 'delete-instance-tag', key: db1, name: 'role', value: undefined },
      { kind: 'delete-instance-tag', key: undefined, name: 'dc', value: 'east' },
    ]);
  });

  it('refuses mutations to read-only users', async () => {
    const { app, submitted } = fixture({
      method: 'multi',
      user: 'admin',
      password: 'pw',
      userHeader: '',
      powerUsers: [],
    });
    const readonly = { authorization: `Basic ${Buffer.from('readonly:any').toString('base64')}` };
    for (const url of ['/api/tag/db1/3306?tag=a', '/api/untag/db1/3306?tag=a', '/api/untag-all?tag=a']) {
      const res = await app.inject({ url, headers: readonly });
      expect([url, res.statusCode]).toEqual([url, 403]);
    }
    expect(submitted).toEqual([]);
    expect((await app.inject({ url: '/api/tags/db1/3306', headers: readonly })).statusCode).toBe(200);
  });
});
