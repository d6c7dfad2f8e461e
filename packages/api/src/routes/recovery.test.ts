import { describe, expect, it } from '@jest/globals';
import { instanceKey, TopologyError } from '@orc/topology';
import {
  basic,
  clusterInfo,
  db1,
  db2,
  db3,
  fakeRaft,
  leaderFetch,
  member,
  multiAuth,
  routeFixture,
} from '../../test/support/route-fixture.js';
import type { ApiDeps, AuthSettings, RecoveryLine } from '../deps.js';
import type { ManualRecoveryRequest, ManualRecoveryResult, RecoveryOperations } from '../recovery-port.js';

const other = instanceKey('other', 3306);
const instances = [
  member(db1),
  member(db2, { masterKey: db1, clusterName: db1 }),
  member(db3, { masterKey: db1, clusterName: db1 }),
  member(other),
];

const successful = (over: Partial<ManualRecoveryResult> = {}): ManualRecoveryResult => ({
  uid: 'u-1',
  status: 'successful',
  reason: 'promoted db2:3306',
  analysis: 'DeadMaster',
  failedKey: db1,
  clusterName: 'db1:3306',
  clusterAlias: 'shop',
  successor: db2,
  lostReplicas: [],
  ...over,
});

function fixture(
  outcome: (r: ManualRecoveryRequest) => Promise<ManualRecoveryResult> = async () => successful(),
  over: {
    active?: boolean;
    auth?: AuthSettings;
    recoveries?: RecoveryLine[];
    port?: boolean;
    raft?: Pick<ApiDeps, 'raft' | 'proxyFetch'>;
  } = {},
) {
  const requests: ManualRecoveryRequest[] = [];
  const recovery: RecoveryOperations = {
    run: async (r) => {
      requests.push(r);
      return outcome(r);
    },
  };
  const { app } = routeFixture({
    instances,
    clusters: [clusterInfo('shop', db1, [db1, db2, db3]), clusterInfo('other', other)],
    view: { recoveries: async ({ uid }) => (over.recoveries ?? []).filter((r) => r.UID === uid) },
    active: over.active ?? true,
    health: { Hostname: 'orc2', Token: 't2' },
    ...(over.auth === undefined ? {} : { auth: over.auth }),
    deps: { ...(over.port === false ? {} : { recovery }), ...over.raft },
  });
  return { app, requests };
}

describe('recovery routes', () => {
  it('recover hands the failed key and the candidate to the port and answers the promoted key', async () => {
    const { app, requests } = fixture();
    const res = await app.inject('/api/recover/db1/3306/db2/3306');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      Code: 'OK',
      Message: 'Recovery executed on db1:3306',
      Details: { Hostname: 'db2', Port: 3306 },
    });
    expect((await app.inject({ method: 'POST', url: '/api/recover-lite/db1/3306' })).statusCode).toBe(200);
    expect((await app.inject('/api/recover/db1/3306?skipProcesses=true')).statusCode).toBe(200);
    expect(requests).toEqual([
      { kind: 'recover', failedKey: db1, candidateKey: db2, skipProcesses: false },
      { kind: 'recover', failedKey: db1, skipProcesses: true },
      { kind: 'recover', failedKey: db1, skipProcesses: true },
    ]);
  });

  it("answers the engine's reason when nothing was attempted or promoted, never a crash", async () => {
    const notAttempted = fixture(async () =>
      successful({
        status: 'not-attempted',
        uid: null,
        successor: null,
        reason: 'db1:3306 has no failure (NoProblem)',
      }),
    );
    const res = await notAttempted.app.inject('/api/recover/db1/3306');
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      Code: 'ERROR',
      Message: 'Recovery not attempted: db1:3306 has no failure (NoProblem)',
    });
    const failed = fixture(async () =>
      successful({ status: 'failed', successor: null, reason: 'no candidate: every replica is must_not' }),
    );
    const body = (await failed.app.inject('/api/recover/db1/3306')).json();
    expect(body).toEqual({
      Code: 'ERROR',
      Message: 'Recovery attempted but no instance promoted: no candidate: every replica is must_not',
      Details: [
        { path: 'recovery', message: 'no candidate: every replica is must_not' },
        { path: 'uid', message: 'u-1' },
      ],
    });
    expect((await failed.app.inject('/api/recover/db1/3306')).statusCode).toBe(500);
    const blocked = fixture(async () =>
      successful({ status: 'refused', uid: null, successor: null, reason: 'blocked by recovery u-0' }),
    );
    const takeover = await blocked.app.inject('/api/graceful-master-takeover/shop/db2/3306');
    expect(takeover.statusCode).toBe(409);
    expect(takeover.json().Message).toBe('graceful-master-takeover: no successor promoted: blocked by recovery u-0');
    const crashing = fixture(async () => {
      throw new Error('socket hang up');
    });
    const crash = await crashing.app.inject('/api/force-master-failover/shop');
    expect(crash.statusCode).toBe(500);
    expect(crash.json()).toMatchObject({ Code: 'ERROR', Message: 'socket hang up' });
  });

  it("refuses a bad target with 400 naming the route's field", async () => {
    const { app } = fixture(async () => {
      throw new TopologyError('INVALID_ARGUMENT', 'graceful takeover refused: db3:3306 has promotion rule must_not', {
        details: [{ path: 'designated', message: 'db3:3306 has promotion rule must_not' }],
      });
    });
    const res = await app.inject('/api/graceful-master-takeover/shop/db3/3306');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      Code: 'ERROR',
      Message: 'graceful takeover refused: db3:3306 has promotion rule must_not',
      Details: [{ path: 'designatedHost', message: 'db3:3306 has promotion rule must_not' }],
    });
  });

  it.each([
    ['/api/recover/db1/0', 'port'],
    ['/api/recover/db1/70000', 'port'],
    ['/api/recover/db1/3306/db2/x', 'candidatePort'],
    ['/api/recover/..%2Fetc/3306', 'host'],
    ['/api/graceful-master-takeover/shop/db2/99999', 'designatedPort'],
    ['/api/graceful-master-takeover-auto/db1/3306/bad%20host/3306', 'designatedHost'],
    ['/api/force-master-takeover/shop/db2/-1', 'designatedPort'],
    ['/api/recover/db1/3306?skipProcesses=maybe', 'skipProcesses'],
  ])('400 for %s names %s', async (url, field) => {
    const { app, requests } = fixture();
    const res = await app.inject(url);
    expect(res.statusCode).toBe(400);
    expect(res.json().Details).toEqual([expect.objectContaining({ path: field })]);
    expect(requests).toEqual([]);
  });

  it('404 for an unknown instance, candidate, designated replica or cluster, naming it', async () => {
    const { app, requests } = fixture();
    for (const [url, field] of [
      ['/api/recover/nohost/3306', 'host'],
      ['/api/recover/db1/3306/nohost/3306', 'candidateHost'],
      ['/api/graceful-master-takeover/nocluster', 'clusterHint'],
      ['/api/graceful-master-takeover/shop/nohost/3306', 'designatedHost'],
      ['/api/force-master-failover/nohost/3306', 'host'],
    ] as const) {
      const res = await app.inject(url);
      expect([url, res.statusCode]).toEqual([url, 404]);
      expect(res.json().Details).toEqual([expect.objectContaining({ path: field })]);
    }
    expect(requests).toEqual([]);
  });

  it('resolves the cluster by alias, name or member for every takeover form', async () => {
    const { app, requests } = fixture();
    const shop = { clusterName: 'db1:3306', clusterAlias: 'shop', masterKey: db1 };
    const urls = [
      '/api/graceful-master-takeover/shop/db2/3306',
      '/api/graceful-master-takeover/db1:3306',
      '/api/graceful-master-takeover/db3/3306',
      '/api/graceful-master-takeover-auto/shop',
      '/api/graceful-master-takeover-auto/db1/3306/db3/3306',
      '/api/force-master-failover/shop',
      '/api/force-master-failover/db2/3306',
      '/api/force-master-takeover/shop/db3/3306',
      '/api/force-master-takeover/db1/3306/db2/3306',
    ];
    for (const url of urls) expect([url, (await app.inject(url)).statusCode]).toEqual([url, 200]);
    expect(requests).toEqual([
      { kind: 'graceful-master-takeover', cluster: shop, designatedKey: db2, auto: false },
      { kind: 'graceful-master-takeover', cluster: shop, auto: false },
      { kind: 'graceful-master-takeover', cluster: shop, auto: false },
      { kind: 'graceful-master-takeover', cluster: shop, auto: true },
      { kind: 'graceful-master-takeover', cluster: shop, designatedKey: db3, auto: true },
      { kind: 'force-master-failover', cluster: shop },
      { kind: 'force-master-failover', cluster: shop },
      { kind: 'force-master-failover', cluster: shop, designatedKey: db3 },
      { kind: 'force-master-failover', cluster: shop, designatedKey: db2 },
    ]);
  });

  it("answers a takeover with the audited recovery in orchestrator's TopologyRecovery shape", async () => {
    const stored = { UID: 'u-1', SuccessorKey: { Hostname: 'db2', Port: 3306 }, IsSuccessful: true } as RecoveryLine;
    const withAudit = fixture(undefined, { recoveries: [stored] });
    expect((await withAudit.app.inject('/api/graceful-master-takeover/shop/db2/3306')).json()).toEqual({
      Code: 'OK',
      Message: 'graceful-master-takeover: successor promoted',
      Details: stored,
    });
    const partial = fixture(async () =>
      successful({ status: 'partial', reason: 'db3:3306 LOST', lostReplicas: [db3], analysis: 'DeadMaster' }),
    );
    const body = (await partial.app.inject('/api/force-master-failover/shop')).json();
    expect(body.Message).toBe('Master failed over (partial: db3:3306 LOST)');
    expect(body.Details).toMatchObject({
      UID: 'u-1',
      AnalysisEntry: {
        AnalyzedInstanceKey: { Hostname: 'db1', Port: 3306 },
        Analysis: 'DeadMaster',
        ClusterDetails: { ClusterName: 'db1:3306', ClusterAlias: 'shop' },
      },
      SuccessorKey: { Hostname: 'db2', Port: 3306 },
      LostReplicas: [db3],
      AllErrors: ['db3:3306 LOST'],
    });
  });

  it('refuses on a node that is not active, naming the active one, without running anything', async () => {
    const { app, requests } = fixture(undefined, { active: false });
    const res = await app.inject('/api/graceful-master-takeover/shop/db2/3306');
    expect(res.statusCode).toBe(503);
    expect(res.json().Message).toBe('recoveries run on the active node only; the active node is orc1');
    // The same answer whatever the standby knows of the target.
    expect((await app.inject('/api/recover/unknown/3306')).statusCode).toBe(503);
    expect((await app.inject('/api/force-master-failover/no-such-cluster')).statusCode).toBe(503);
    expect(requests).toEqual([]);
  });

  it('501 without the port; read-only users are refused every recovery route', async () => {
    const none = fixture(undefined, { port: false });
    expect((await none.app.inject('/api/recover/db1/3306')).statusCode).toBe(501);
    const { app, requests } = fixture(undefined, { auth: multiAuth });
    const readonly = { authorization: basic('readonly', 'any') };
    for (const url of [
      '/api/recover/db1/3306',
      '/api/recover-lite/db1/3306/db2/3306',
      '/api/force-master-failover/shop',
      '/api/force-master-takeover/shop/db2/3306',
      '/api/graceful-master-takeover/shop/db2/3306',
      '/api/graceful-master-takeover-auto/shop',
    ]) {
      const res = await app.inject({ url, headers: readonly });
      expect([url, res.statusCode]).toEqual([url, 403]);
    }
    expect(requests).toEqual([]);
    const admin = { authorization: basic('admin', 'pw') };
    expect((await app.inject({ url: '/api/recover/db1/3306', headers: admin })).statusCode).toBe(200);
  });
  it('a Raft follower forwards every recovery route to the leader instead of running it', async () => {
    const forwarded: { url: string; init: RequestInit }[] = [];
    const raft = { raft: fakeRaft(), proxyFetch: leaderFetch(forwarded) };
    const { app, requests } = fixture(undefined, { active: false, raft });
    for (const url of ['/api/recover/db1/3306/db2/3306', '/api/graceful-master-takeover-auto/shop']) {
      expect((await app.inject(url)).json()).toMatchObject({ Message: 'from the leader' });
    }
    expect(forwarded.map((f) => f.url)).toEqual([
      'http://orc1:3000/api/recover/db1/3306/db2/3306',
      'http://orc1:3000/api/graceful-master-takeover-auto/shop',
    ]);
    expect(requests).toEqual([]);
  });
});
