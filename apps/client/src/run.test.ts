import { describe, expect, it } from '@jest/globals';
import { fakeHttp, json, type Scripted } from './fake-http.test-support.js';
import { runClient } from './run.js';

const API = 'http://orc:3000/api';
const key = (Hostname: string, Port: number) => ({ Hostname, Port });

async function run(argv: string[], table: Record<string, Scripted> = {}, env: Record<string, string> = {}) {
  const http = fakeHttp(table);
  const sleeps: number[] = [];
  let out = '';
  let err = '';
  const code = await runClient(argv, {
    program: 'orc-client',
    pid: 42,
    env: { ORCHESTRATOR_API: 'http://orc:3000', ...env },
    user: 'ops',
    get: http.get,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
  });
  return { code, out, err, calls: http.calls, sleeps };
}

describe('runClient', () => {
  it('prints help without touching the network', async () => {
    for (const argv of [['-c', 'help'], ['--help'], ['-h']]) {
      const r = await run(argv);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^Usage: orc-client -c <command> \[flags\.\.\.\]/);
      expect(r.out).toContain('  submit-masters-to-kv-stores');
      expect(r.calls).toEqual([]);
    }
  });

  it("prints a command's help with the flags it needs", async () => {
    const r = await run(['-c', 'begin-downtime', '--help']);
    expect(r.out).toContain(
      'Usage: orc-client -c begin-downtime -i <host[:port]> -o <owner> -r <reason> -u <duration> [--json]',
    );
    expect(r.out).toContain('Calls: GET <api>/begin-downtime/:host/:port/:owner/:reason/:duration');
  });

  it('fails as the original without a command, with an unknown one, and without -i', async () => {
    expect(await run([])).toMatchObject({
      code: 1,
      err: 'orc-client[42]: No command given. Use orc-client -c <command> [...] or orc-client --command <command> [...] to do something useful\n',
    });
    expect(await run(['-c', 'which-mastr'])).toMatchObject({
      code: 1,
      err: 'orc-client[42]: Unsupported command which-mastr (did you mean which-master?); orc-client -c help lists them\n',
    });
    const missing = await run(['-c', 'which-master']);
    expect(missing).toMatchObject({ code: 1, err: 'orc-client[42]: instance must be provided\n', out: '' });
    expect(missing.calls).toEqual([]);
    expect((await run(['-c', 'topology'])).err).toBe('orc-client[42]: instance|alias must be provided\n');
    expect((await run(['-c', 'relocate', '-i', 'a'])).err).toBe('orc-client[42]: destination must be provided\n');
  });

  it('exits 2 on a bad flag, with a hint', async () => {
    const r = await run(['-c', 'clusters', '--colour']);
    expect(r.code).toBe(2);
    expect(r.err).toBe("orc-client[42]: unknown option --colour\nTry 'orc-client --help'.\n");
  });

  it('reads slave as replica in command names, as the original', async () => {
    const r = await run(['-c', 'stop-slave', '-i', 'db1'], {
      [`${API}/stop-replica/db1/3306`]: json({ Code: 'OK', Message: 'stopped', Details: { Key: key('db1', 3306) } }),
    });
    expect(r).toMatchObject({ code: 0, out: 'db1:3306\n' });
  });

  it('turns -i host and host:port into path segments, urlencodes owner and reason', async () => {
    const r = await run(['-c', 'begin-downtime', '-i', 'db1:3307', '-r', 'disk swap', '-o', 'a/b'], {
      [`${API}/begin-downtime/db1/3307/a%2Fb/disk%20swap/10m`]: json({
        Code: 'OK',
        Message: '',
        Details: key('db1', 3307),
      }),
    });
    expect(r).toMatchObject({ code: 0, out: 'db1:3307\n' });
  });

  it("prints the daemon's ERROR message on stderr and its details on stdout, exit 1", async () => {
    const r = await run(['-c', 'which-cluster', '-alias', 'nope'], {
      [`${API}/cluster-info/nope`]: json(
        {
          Code: 'ERROR',
          Message: 'no cluster named, aliased or containing "nope"',
          Details: [{ path: 'clusterHint', message: 'unknown cluster' }],
        },
        404,
      ),
    });
    expect(r).toEqual(
      expect.objectContaining({
        code: 1,
        err: 'no cluster named, aliased or containing nope\n',
        out: '[ { "path": "clusterHint", "message": "unknown cluster" } ]\n',
      }),
    );
  });

  it("prints a whole ERROR answer on stdout for -c api, as the original's raw mode", async () => {
    const r = await run(['-c', 'api', '-P', 'cluster/x'], {
      [`${API}/cluster/x`]: json({ Code: 'ERROR', Message: 'unknown', Details: null }, 404),
    });
    expect(r).toMatchObject({ code: 1, out: '{ "Code": "ERROR", "Message": "unknown", "Details": null }\n', err: '' });
  });

  it('says that authentication is required on a 401, without retrying', async () => {
    const r = await run(['-c', 'clusters'], {
      [`${API}/clusters-info`]: json({ Code: 'ERROR', Message: 'Unauthorized' }, 401),
    });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/requires authentication \(HTTP 401\): give -b user:password/);
    expect(r.calls).toHaveLength(1);
    const wrong = await run(['-c', 'clusters', '-b', 'u:bad'], { [`${API}/clusters-info`]: json({}, 401) });
    expect(wrong.err).toMatch(/refused the credentials given/);
  });

  it('sends basic auth from -b or the environment, header auth from -e', async () => {
    const table = { [`${API}/clusters-info`]: json([]) };
    expect((await run(['-c', 'clusters', '-b', 'u:p'], table)).calls[0]?.headers).toEqual({
      Authorization: `Basic ${Buffer.from('u:p').toString('base64')}`,
    });
    const env = { ORCHESTRATOR_AUTH_USER: 'e', ORCHESTRATOR_AUTH_PASSWORD: 'f' };
    expect((await run(['-c', 'clusters'], table, env)).calls[0]?.headers).toEqual({
      Authorization: `Basic ${Buffer.from('e:f').toString('base64')}`,
    });
    expect((await run(['-c', 'clusters', '-e', 'X-Auth-User: alice'], table)).calls[0]?.headers).toEqual({
      'X-Auth-User': 'alice',
    });
  });

  it('retries a refused connection with the original back-off, then names the URL', async () => {
    const r = await run(['-c', 'clusters'], { [`${API}/clusters-info`]: 'down' });
    expect(r.code).toBe(1);
    expect(r.sleeps).toEqual([100, 200, 500, 1000, 2000, 2500, 5000, 0]);
    expect(r.calls).toHaveLength(8);
    expect(r.err).toBe(
      `orc-client[42]: Cannot access orchestrator at ${API}.  Check ORCHESTRATOR_API is configured correctly and orchestrator is running\n  tried:\n    ${API}/clusters-info: ECONNREFUSED\n`,
    );
  });

  it('succeeds when the daemon comes back during the back-off', async () => {
    const r = await run(['-c', 'clusters'], {
      [`${API}/clusters-info`]: (n) => (n < 3 ? 'down' : json([{ ClusterName: 'm:1' }])),
    });
    expect(r).toMatchObject({ code: 0, out: 'm:1\n', sleeps: [100, 200] });
  });

  it('never retries an answer that is not JSON, and says what came', async () => {
    const r = await run(['-c', 'clusters'], { [`${API}/clusters-info`]: { status: 404, text: '404 page not found' } });
    expect(r.code).toBe(1);
    expect(r.calls).toHaveLength(1);
    expect(r.err).toBe(`orc-client[42]: ${API}/clusters-info answered HTTP 404 with no JSON: 404 page not found\n`);
  });

  it('prints --json answers as one JSON line', async () => {
    const body = [{ ClusterName: 'm:1', ClusterAlias: 'shop' }];
    const r = await run(['-c', 'clusters', '--json'], { [`${API}/clusters-info`]: json(body) });
    expect(JSON.parse(r.out)).toEqual(body);
    const failed = await run(['-c', 'which-master', '--json']);
    expect(JSON.parse(failed.out)).toMatchObject({ Code: 'ERROR', Message: 'instance must be provided' });
  });

  it('checks the raft state before raft-leader, raft-leader-hostname and raft-elect-leader', async () => {
    const leader = {
      [`${API}/raft-state`]: json('Leader'),
      [`${API}/raft-leader`]: json('10.0.0.1:10008'),
      [`${API}/status`]: json({ Code: 'OK', Message: '', Details: { Hostname: 'orc1' } }),
      [`${API}/raft-yield-hint/orc2`]: json({ Code: 'OK', Message: '', Details: 'orc2' }),
    };
    expect(await run(['-c', 'raft-leader'], leader)).toMatchObject({ code: 0, out: '10.0.0.1:10008\n' });
    expect(await run(['-c', 'raft-leader-hostname'], leader)).toMatchObject({ code: 0, out: 'orc1\n' });
    expect(await run(['-c', 'raft-elect-leader', '-H', 'orc2'], leader)).toMatchObject({ code: 0, out: 'orc2\n' });
    const follower = { [`${API}/raft-state`]: json('Follower') };
    expect(await run(['-c', 'raft-leader'], follower)).toMatchObject({
      code: 1,
      err: 'orc-client[42]: Cannot determine raft state\n',
    });
  });

  it('prints the leader it found for which-api', async () => {
    const r = await run(
      ['-c', 'which-api'],
      {
        'http://a:3000/api/leader-check': json('Not leader', 404),
        'http://b:3000/api/leader-check': json('OK'),
      },
      { ORCHESTRATOR_API: 'http://a:3000 http://b:3000' },
    );
    expect(r).toMatchObject({ code: 0, out: 'http://b:3000/api\n' });
  });
});
