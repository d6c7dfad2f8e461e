import { describe, expect, it } from '@jest/globals';
import { basic, fakeRaft, leaderFetch, multiAuth, routeFixture } from '../test/support/route-fixture.js';
import type { RaftRoleName } from './deps.js';
import { PROXIED_HEADER } from './proxy.js';

function follower(over: { role?: RaftRoleName; healthy?: boolean; leaderUri?: string } = {}) {
  const forwarded: { url: string; init: RequestInit }[] = [];
  const raft = fakeRaft({
    role: () => over.role ?? 'Follower',
    isHealthy: () => over.healthy ?? true,
    leaderUri: () => over.leaderUri ?? 'http://orc1:3000',
  });
  const { app, submitted } = routeFixture({
    instances: [],
    clusters: [],
    auth: { ...multiAuth, powerUsers: ['*'] },
    node: {
      isActive: () => raft.role() === 'Leader',
      health: async () => {
        throw new Error('not used');
      },
    },
    deps: { raft, proxyFetch: leaderFetch(forwarded) },
  });
  return { app, submitted, forwarded };
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
