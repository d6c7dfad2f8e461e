import { describe, expect, it } from '@jest/globals';
import { buildApi } from './app.js';
import type { CommandBus, OrcCommand } from './commands.js';
import type { ApiDeps, OrcView, RaftRoleName, RaftView } from './deps.js';
import { PROXIED_HEADER } from './proxy.js';

const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function follower(over: { role?: RaftRoleName; healthy?: boolean; leaderUri?: string } = {}) {
  const submitted: OrcCommand[] = [];
  const forwarded: { url: string; init: RequestInit }[] = [];
  const view = {
    instances: () => [],
    instance: () => undefined,
    downtimes: async () => [],
    candidates: async () => [],
    defaultPort: 3306,
    pollSeconds: 5,
  } as unknown as OrcView;
  const commands: CommandBus = {
    submit: async (c) => {
      submitted.push(c);
      return {} as never;
    },
  };
  const raft: RaftView = {
    role: () => over.role ?? 'Follower',
    isHealthy: () => over.healthy ?? true,
    leader: () => '10.0.0.1:10008',
    leaderUri: () => over.leaderUri ?? 'http://orc1:3000',
    selfUri: 'http://orc2:3000',
    bind: '0.0.0.0:10008',
    advertise: '10.0.0.2:10008',
    peers: () => ['10.0.0.1:10008', '10.0.0.2:10008', '10.0.0.3:10008'],
    snapshot: async () => undefined,
    yieldTo: async () => undefined,
    yieldHint: async () => undefined,
    addPeer: async () => undefined,
    removePeer: async () => undefined,
  };
  const proxyFetch = (async (url: string | URL | Request, init?: RequestInit) => {
    forwarded.push({ url: String(url), init: init ?? {} });
    return new Response(JSON.stringify({ Code: 'OK', Message: 'from the leader', Details: null }), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  }) as typeof fetch;
  const deps: ApiDeps = {
    view,
    commands,
    raft,
    proxyFetch,
    node: {
      isLive: () => true,
      isReady: () => true,
      isActive: () => raft.role() === 'Leader',
      health: async () => {
        throw new Error('not used');
      },
    },
    options: {
      urlPrefix: '',
      auth: { method: 'multi', user: 'admin', password: 'pw', userHeader: 'X-Forwarded-User', powerUsers: ['*'] },
      readOnly: false,
      statusEndpoint: '/api/status',
    },
  };
  return { app: buildApi(deps), submitted, forwarded };
}

const downtime = '/api/begin-downtime/db1/3306/alice/upgrade/1h';

describe('leader proxy', () => {
  it("forwards a follower's mutation to the leader with the caller's credentials and relays the answer", async () => {
    const { app, submitted, forwarded } = follower();
    const res = await app.inject({ url: downtime, headers: { authorization: basic('admin', 'pw') } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ Message: 'from the leader' });
    expect(submitted).toEqual([]);
    expect(forwarded.map((f) => f.url)).toEqual([`http://orc1:3000${downtime}`]);
    const headers = forwarded[0]?.init.headers as Record<string, string>;
    expect(headers['authorization']).toBe(basic('admin', 'pw'));
    expect(headers[PROXIED_HEADER]).toBe('http://orc2:3000');
  });

  it('refuses a read-only caller on the follower itself: nothing forwarded, nothing submitted', async () => {
    const { app, submitted, forwarded } = follower();
    const res = await app.inject({ url: downtime, headers: { authorization: basic('readonly', 'x') } });
    expect(res.statusCode).toBe(403);
    expect(forwarded).toEqual([]);
    expect(submitted).toEqual([]);
  });

  it('serves reads locally and mutations locally on the leader', async () => {
    const onFollower = follower();
    expect((await onFollower.app.inject({ url: '/api/raft-peers', headers: {} })).statusCode).toBe(200);
    expect(
      (await onFollower.app.inject({ url: '/api/downtimed', headers: { authorization: basic('readonly', 'x') } }))
        .statusCode,
    ).toBe(200);
    expect(onFollower.forwarded).toEqual([]);
    const onLeader = follower({ role: 'Leader' });
    const res = await onLeader.app.inject({ url: downtime, headers: { authorization: basic('admin', 'pw') } });
    expect(res.statusCode).toBe(200);
    expect(onLeader.submitted.map((c) => c.kind)).toEqual(['begin-downtime']);
    expect(onLeader.forwarded).toEqual([]);
  });

  it('answers 503 when unhealthy, when no leader is known, and for a request forwarded once already', async () => {
    const admin = { authorization: basic('admin', 'pw') };
    const unhealthy = follower({ healthy: false });
    expect((await unhealthy.app.inject({ url: downtime, headers: admin })).statusCode).toBe(503);
    const leaderless = follower({ leaderUri: '' });
    expect((await leaderless.app.inject({ url: downtime, headers: admin })).statusCode).toBe(503);
    const stale = follower({ leaderUri: 'http://orc2:3000' });
    expect((await stale.app.inject({ url: downtime, headers: admin })).statusCode).toBe(503);
    const loop = follower();
    const res = await loop.app.inject({ url: downtime, headers: { ...admin, [PROXIED_HEADER]: 'http://orc3:3000' } });
    expect(res.statusCode).toBe(503);
    for (const f of [unhealthy, leaderless, stale, loop]) {
      expect(f.forwarded).toEqual([]);
      expect(f.submitted).toEqual([]);
    }
  });

  it('serves the raft probes: raft-health 500 when unhealthy, raft-state, leader-check 404 on a follower', async () => {
    const { app } = follower();
    expect((await app.inject('/api/raft-health')).statusCode).toBe(200);
    expect((await app.inject('/api/raft-state')).json()).toBe('Follower');
    expect((await app.inject('/api/leader-check')).statusCode).toBe(404);
    expect((await app.inject('/api/raft-status')).json()).toMatchObject({
      State: 'Follower',
      LeaderURI: 'http://orc1:3000',
    });
    const sick = follower({ healthy: false });
    expect((await sick.app.inject('/api/raft-health')).statusCode).toBe(500);
  });
});
