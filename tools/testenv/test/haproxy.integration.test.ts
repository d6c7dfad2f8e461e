import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createServer, get, type Server } from 'node:http';
import { leaderCheckHaproxyConfig, startHaproxy, TestEnvError, type HaproxyServer } from '../src/index.js';
import { waitFor } from '@orc/testkit';
import { isProcessAlive as isAlive } from '../src/core/proc-info.js';

/** A tiny stand-in for an orc node: `/api/leader-check` answers 200 while it leads, else 500. */
interface FakeNode {
  name: string;
  port: number;
  isLeader: boolean;
  server: Server;
}

async function fakeNode(name: string, isLeader: boolean): Promise<FakeNode> {
  const node: FakeNode = { name, port: 0, isLeader, server: createServer() };
  node.server.on('request', (req, res) => {
    if (req.url === '/api/leader-check')
      res.writeHead(node.isLeader ? 200 : 500).end(node.isLeader ? 'leader' : 'not leader');
    else res.writeHead(200).end(name);
  });
  await new Promise<void>((resolve) => node.server.listen(0, '127.0.0.1', resolve));
  const address = node.server.address();
  node.port = typeof address === 'object' && address !== null ? address.port : 0;
  return node;
}

/** GET / through the proxy on a fresh connection; the body names the node that answered. */
function whoAnswers(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 2000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}

describe('startHaproxy with the leader-check configuration', () => {
  let n1: FakeNode;
  let n2: FakeNode;
  let hap: HaproxyServer;

  beforeAll(async () => {
    n1 = await fakeNode('n1', true);
    n2 = await fakeNode('n2', false);
    hap = await startHaproxy({
      config: leaderCheckHaproxyConfig({
        backends: [
          { name: 'n1', port: n1.port },
          { name: 'n2', port: n2.port },
        ],
      }),
    });
  }, 30_000);

  afterAll(async () => {
    await hap?.destroy();
    await Promise.all([n1, n2].map((n) => new Promise((resolve) => n?.server.close(resolve))));
  }, 30_000);

  it('forwards to the node whose leader-check answers 200, and follows a change of leader', async () => {
    await waitFor(
      'n1 answers through the proxy',
      async () => ((await whoAnswers(hap.port)) === 'n1' ? true : undefined),
      { timeoutMs: 10_000 },
    );
    // Servers count as UP until their first check: wait for the checks to have run.
    await waitFor(
      'n2 DOWN',
      async () => ((await hap.stats()).find((s) => s.server === 'n2')?.status === 'DOWN' ? true : undefined),
      { timeoutMs: 10_000 },
    );
    expect((await hap.stats()).find((s) => s.server === 'n1')?.status).toBe('UP');
    n1.isLeader = false;
    n2.isLeader = true;
    await waitFor(
      'n2 answers through the proxy',
      async () => ((await whoAnswers(hap.port)) === 'n2' ? true : undefined),
      { timeoutMs: 10_000 },
    );
    await waitFor(
      'n1 DOWN',
      async () => ((await hap.stats()).find((s) => s.server === 'n1')?.status === 'DOWN' ? true : undefined),
      { timeoutMs: 10_000 },
    );
  }, 30_000);

  it('restarts on the same port', async () => {
    const port = hap.port;
    const pid = hap.pid;
    await hap.stop();
    expect(isAlive(pid ?? 0)).toBe(false);
    await hap.start();
    expect(hap.port).toBe(port);
    expect(hap.isRunning()).toBe(true);
  }, 30_000);

  it('reports a configuration HAProxy rejects as INVALID_CONFIG with its message', async () => {
    const err = await startHaproxy({ config: 'listen broken\n    bind 127.0.0.1:notaport\n' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TestEnvError);
    expect((err as TestEnvError).code).toBe('INVALID_CONFIG');
    expect((err as TestEnvError).message).toMatch(/notaport|bind/);
  }, 30_000);
});
