// Leader detection of the real orc-client process against small HTTP servers on 127.0.0.1
// standing in for orc nodes: a leader among followers, the leader dying, a list of followers
// only (routed-leader-check), a node that never answers, and basic auth.
import { userInfo } from 'node:os';
import { afterEach, describe, expect, it } from '@jest/globals';
import { runClientProcess } from './support/processes.js';
import { startStandIn, type StandInNode } from './support/stand-in-node.js';

let nodes: StandInNode[] = [];
const start = async (...roles: StandInNode['role'][]): Promise<StandInNode[]> => {
  const started = await Promise.all(roles.map((r) => startStandIn(r)));
  nodes.push(...started);
  return started;
};
const apiOf = (list: StandInNode[]): string => list.map((n) => n.url).join(' ');
// The owner defaults to the user running the client, as `whoami`.
const me = userInfo().username;
const mutations = (n: StandInNode): string[] => n.requests.filter((p) => p.startsWith('/api/begin-downtime/'));

afterEach(async () => {
  await Promise.all(nodes.map((n) => n.close()));
  nodes = [];
});

describe('orc-client finds the leader', () => {
  it('sends a mutating command to the one node answering leader-check 200', async () => {
    const [f1, leader, f2] = await start('follower', 'leader', 'follower');
    const run = await runClientProcess(['-c', 'begin-downtime', '-i', 'db1:3307', '-r', 'test'], {
      ORCHESTRATOR_API: apiOf([f1!, leader!, f2!]),
    });
    expect(run).toEqual({ code: 0, out: 'db1:3307\n', err: '' });
    expect(mutations(leader!)).toEqual([`/api/begin-downtime/db1/3307/${me}/test/10m`]);
    expect(f1!.requests).toEqual(['/api/leader-check']);
    expect(f2!.requests).toEqual([]);
  });

  it('finds the new leader after the leader dies', async () => {
    const [f1, leader, f2] = await start('follower', 'leader', 'follower');
    const env = { ORCHESTRATOR_API: apiOf([f1!, leader!, f2!]) };
    expect((await runClientProcess(['-c', 'which-api'], env)).out).toBe(`${leader!.url}/api\n`);
    await leader!.close();
    f2!.role = 'leader';
    const run = await runClientProcess(['-c', 'begin-downtime', '-i', 'db2', '-r', 'after failover'], env);
    expect(run).toEqual({ code: 0, out: 'db2:3306\n', err: '' });
    expect(mutations(f2!)).toEqual([`/api/begin-downtime/db2/3306/${me}/after%20failover/10m`]);
    expect(mutations(f1!)).toEqual([]);
  });

  it('uses routed-leader-check when only followers are listed', async () => {
    const [f1, f2] = await start('follower', 'follower');
    f2!.routes = true;
    const run = await runClientProcess(['-c', 'clusters'], { ORCHESTRATOR_API: apiOf([f1!, f2!]) });
    expect(run).toEqual({ code: 0, out: 'follower:3306\n', err: '' });
    expect(f1!.requests).toEqual(['/api/leader-check', '/api/routed-leader-check']);
    expect(f2!.requests).toEqual(['/api/leader-check', '/api/routed-leader-check', '/api/clusters-info']);
  });

  it('says "Cannot determine leader" and lists each URL tried when none leads or routes', async () => {
    const [f1, f2] = await start('follower', 'follower');
    const list = `${apiOf([f1!, f2!])} http://127.0.0.1:1`;
    const run = await runClientProcess(['-c', 'clusters'], { ORCHESTRATOR_API: list });
    expect(run.code).toBe(1);
    expect(run.out).toBe('');
    expect(run.err).toMatch(new RegExp(`^orc-client\\[\\d+\\]: Cannot determine leader from ${list}\n  tried:\n`));
    expect(run.err).toContain(`${f1!.url}/api/leader-check: HTTP 404`);
    expect(run.err).toContain(`${f2!.url}/api/routed-leader-check: HTTP 500`);
    expect(run.err).toContain('http://127.0.0.1:1/api/leader-check: ECONNREFUSED');
    expect(run.err).not.toMatch(/\n\s+at /);
  });

  it('moves past a node that accepts but never answers', async () => {
    const [silent, leader] = await start('silent', 'leader');
    const run = await runClientProcess(['-c', 'which-api'], { ORCHESTRATOR_API: apiOf([silent!, leader!]) });
    expect(run).toEqual({ code: 0, out: `${leader!.url}/api\n`, err: '' });
  });

  it('says that authentication is required on a 401, and passes -b credentials', async () => {
    const [leader] = await start('leader');
    leader!.auth = 'orc:secret';
    const denied = await runClientProcess(['-c', 'clusters'], { ORCHESTRATOR_API: leader!.url });
    expect(denied.code).toBe(1);
    expect(denied.err).toMatch(/requires authentication \(HTTP 401\)/);
    expect(leader!.requests).toEqual(['/api/clusters-info']);
    const allowed = await runClientProcess(['-c', 'clusters', '-b', 'orc:secret'], { ORCHESTRATOR_API: leader!.url });
    expect(allowed).toEqual({ code: 0, out: 'leader:3306\n', err: '' });
    const fromEnv = await runClientProcess(['-c', 'clusters'], {
      ORCHESTRATOR_API: leader!.url,
      ORCHESTRATOR_AUTH_USER: 'orc',
      ORCHESTRATOR_AUTH_PASSWORD: 'secret',
    });
    expect(fromEnv.code).toBe(0);
  });
});
