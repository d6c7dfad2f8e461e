import { describe, expect, it } from '@jest/globals';
import { instanceKey, unseenInstance, type Instance, type InstanceKey } from '@orc/topology';
import { basic, clusterInfo, routeFixture } from '../test/support/route-fixture.js';
import type { ApiOptions, OrcView } from './deps.js';

const NOW = Date.now();
const primaryKey = instanceKey('db1', 3306);
const replicaKey = instanceKey('db2', 3306);
const seen = (key: InstanceKey, over: Partial<Instance>): Instance => ({
  ...unseenInstance(key),
  hostname: key.split(':')[0] ?? '',
  version: '10.11.6-MariaDB',
  flavor: 'mariadb',
  clusterName: 'db1:3306',
  lastCheckedAt: NOW,
  lastSeenAt: NOW,
  ...over,
});
const instances = [
  seen(primaryKey, { replicaKeys: [replicaKey], binlogFormat: 'ROW' }),
  seen(replicaKey, { masterKey: primaryKey, isReadOnly: true, replicationDepth: 1 }),
];

const fixture = (options: Partial<ApiOptions> = {}, view: Partial<OrcView> = {}) =>
  routeFixture({
    instances,
    clusters: [clusterInfo('shop', primaryKey, [primaryKey, replicaKey])],
    view,
    answer: (c) => (c.kind === 'submit-masters-to-kv-stores' ? { pairs: [], stores: [] } : {}),
    options,
  });

describe('buildApi', () => {
  it("serves an instance in orchestrator's field names", async () => {
    const { app } = fixture();
    const res = await app.inject('/api/instance/db2/3306');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.Key).toEqual({ Hostname: 'db2', Port: 3306 });
    expect(body.MasterKey).toEqual({ Hostname: 'db1', Port: 3306 });
    expect(body).toMatchObject({
      ReadOnly: true,
      ClusterName: 'db1:3306',
      ReplicationDepth: 1,
      IsLastCheckValid: true,
    });
  });

  it('resolves a cluster by alias and by member, and draws its topology', async () => {
    const { app } = fixture();
    expect((await app.inject('/api/clusters')).json()).toEqual(['db1:3306']);
    expect((await app.inject('/api/cluster-info/shop')).json()).toMatchObject({
      ClusterName: 'db1:3306',
      ClusterAlias: 'shop',
      CountInstances: 2,
    });
    expect((await app.inject('/api/cluster/db2:3306')).json()).toHaveLength(2);
    const topology = (await app.inject('/api/topology/shop')).json();
    expect(topology.Code).toBe('OK');
    expect(topology.Details.split('\n')).toEqual([
      'db1:3306 [0s,ok,10.11.6-MariaDB,rw,ROW,GTID]',
      '+ db2:3306 [0s,ok,10.11.6-MariaDB,ro,GTID]',
    ]);
  });

  it('turns a mutation into one command value, by GET or POST', async () => {
    const { app, submitted } = fixture();
    expect((await app.inject({ method: 'POST', url: '/api/begin-downtime/db2/3306/ops/upgrade/1h' })).statusCode).toBe(
      200,
    );
    expect((await app.inject('/api/forget/db2/3306')).json()).toEqual({
      Code: 'OK',
      Message: 'Instance forgotten: db2:3306',
      Details: { Hostname: 'db2', Port: 3306 },
    });
    expect(submitted).toEqual([
      { kind: 'begin-downtime', key: replicaKey, owner: 'ops', reason: 'upgrade', durationSeconds: 3600 },
      { kind: 'forget', key: replicaKey },
    ]);
  });

  it("acknowledges recoveries by cluster, uid and all, in orchestrator's shape, and needs a comment", async () => {
    const { app, submitted } = fixture();
    const cluster = await app.inject('/api/ack-recovery/cluster/shop?comment=seen');
    expect(cluster.json()).toMatchObject({ Code: 'OK', Message: 'Acknowledged cluster recoveries' });
    expect((await app.inject({ method: 'POST', url: '/api/ack-all-recoveries?comment=all%20fine' })).statusCode).toBe(
      200,
    );
    expect((await app.inject('/api/ack-recovery/4f9c-uid?comment=ok')).statusCode).toBe(200);
    expect((await app.inject('/api/ack-recovery/instance/db2/3306?comment=back')).json()).toMatchObject({
      Code: 'OK',
      Message: 'Acknowledged instance recoveries',
    });
    expect(submitted).toEqual([
      { kind: 'ack-recoveries', target: { clusterName: 'db1:3306' }, comment: 'seen' },
      { kind: 'ack-recoveries', target: { all: true }, comment: 'all fine' },
      { kind: 'ack-recoveries', target: { uid: '4f9c-uid' }, comment: 'ok' },
      { kind: 'ack-recoveries', target: { key: replicaKey }, comment: 'back' },
    ]);
    expect((await app.inject('/api/ack-recovery/instance/db2/0?comment=x')).json().Details[0].path).toBe('port');
    for (const url of ['/api/ack-all-recoveries', '/api/ack-recovery/cluster/shop', '/api/ack-recovery/x']) {
      const res = await app.inject(url);
      expect({ url, status: res.statusCode, field: res.json().Details[0].path }).toEqual({
        url,
        status: 400,
        field: 'comment',
      });
    }
    expect((await app.inject('/api/ack-recovery/a%20b?comment=x')).json().Details[0].path).toBe('recoveryId');
    expect(submitted).toHaveLength(4);
  });

  it('refuses bad parameters with 400 naming the field', async () => {
    const { app, submitted } = fixture();
    const cases: [string, string][] = [
      ['/api/instance/db1/0', 'port'],
      ['/api/instance/db1/65536', 'port'],
      ['/api/instance/db1/abc', 'port'],
      ['/api/instance/..%2Fetc/3306', 'host'],
      ['/api/begin-downtime/db1/3306/ops/why/10y', 'duration'],
      ['/api/begin-downtime/db1/3306/ops/why/9999999d', 'duration'],
      ['/api/register-candidate/db1/3306/must', 'promotionRule'],
      ['/api/leader-check/42', 'errorStatusCode'],
    ];
    for (const [url, field] of cases) {
      const res = await app.inject(url);
      expect({ url, status: res.statusCode, field: res.json().Details[0].path }).toEqual({ url, status: 400, field });
    }
    expect(submitted).toEqual([]);
  });

  it('answers an unknown route with a JSON 404 and an unknown instance with 404', async () => {
    const { app } = fixture();
    const res = await app.inject('/api/no-such-thing');
    expect(res.statusCode).toBe(404);
    expect(res.json().Code).toBe('ERROR');
    expect((await app.inject('/api/instance/db9/3306')).statusCode).toBe(404);
  });

  it("answers leader-check by the node's activity", async () => {
    const { app, setActive } = fixture();
    expect((await app.inject('/api/leader-check')).body).toBe('"OK"');
    setActive(false);
    expect((await app.inject('/api/leader-check')).statusCode).toBe(404);
    expect((await app.inject('/api/leader-check/503')).statusCode).toBe(503);
    expect((await app.inject('/health/leader')).statusCode).toBe(503);
  });

  it('authenticates multi: the power user mutates, "readonly" only reads, others get 401', async () => {
    const { app, submitted } = fixture({
      auth: { method: 'multi', user: 'orc', password: 'secret', userHeader: 'X-Forwarded-User', powerUsers: ['*'] },
    });
    expect((await app.inject('/api/clusters')).statusCode).toBe(401);
    expect(
      (await app.inject({ url: '/api/clusters', headers: { authorization: basic('orc', 'wrong') } })).statusCode,
    ).toBe(401);
    expect(
      (await app.inject({ url: '/api/clusters', headers: { authorization: basic('readonly', 'x') } })).statusCode,
    ).toBe(200);
    const refused = await app.inject({
      url: '/api/forget/db2/3306',
      headers: { authorization: basic('readonly', 'x') },
    });
    expect(refused.statusCode).toBe(403);
    expect(
      (await app.inject({ url: '/api/forget/db2/3306', headers: { authorization: basic('orc', 'secret') } }))
        .statusCode,
    ).toBe(200);
    expect((await app.inject('/api/lb-check')).statusCode).toBe(200);
    expect(submitted).toHaveLength(1);
  });

  it('authenticates proxy: only PowerAuthUsers mutate', async () => {
    const { app } = fixture({
      auth: { method: 'proxy', user: '', password: '', userHeader: 'X-Auth-User', powerUsers: ['alice'] },
    });
    expect((await app.inject({ url: '/api/forget/db2/3306', headers: { 'x-auth-user': 'bob' } })).statusCode).toBe(403);
    expect((await app.inject({ url: '/api/forget/db2/3306', headers: { 'x-auth-user': 'alice' } })).statusCode).toBe(
      200,
    );
  });

  it('refuses every mutation under ReadOnly', async () => {
    const { app } = fixture({ readOnly: true });
    expect((await app.inject('/api/submit-masters-to-kv-stores')).statusCode).toBe(403);
  });

  it("lists blocked recoveries in orchestrator's shape, by cluster hint too; 501 without a source", async () => {
    const line = {
      FailedInstanceKey: { Hostname: 'db1', Port: 3306 },
      ClusterName: 'db1:3306',
      Analysis: 'DeadMaster',
      LastBlockedTimestamp: '2026-12-06T21:00:00.000Z',
      BlockingRecoveryId: 7,
    };
    const asked: (string | undefined)[] = [];
    const { app } = fixture(
      {},
      {
        blockedRecoveries: async (clusterName) => {
          asked.push(clusterName);
          return [line];
        },
      },
    );
    expect((await app.inject('/api/blocked-recoveries')).json()).toEqual([line]);
    expect((await app.inject('/api/blocked-recoveries/cluster/shop')).json()).toEqual([line]);
    expect(asked).toEqual([undefined, 'db1:3306']);
    expect((await app.inject('/api/blocked-recoveries/cluster/nowhere')).statusCode).toBe(404);
    expect((await fixture().app.inject('/api/blocked-recoveries')).statusCode).toBe(501);
  });

  it('serves under URLPrefix', async () => {
    const { app } = fixture({ urlPrefix: '/orc' });
    expect((await app.inject('/orc/api/clusters')).statusCode).toBe(200);
    expect((await app.inject('/api/clusters')).statusCode).toBe(404);
  });
});
