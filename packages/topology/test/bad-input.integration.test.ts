// Bad servers to probe: each one becomes a recorded probe error within the timeouts, and the loop
// goes on discovering the good server next to them.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { startMariaDbTopology } from '@orc/testenv';
import type { MariaDbTopology } from '@orc/testenv';
import { OrcTopology, instanceKey } from '../src/index.js';
import { waitFor } from '@orc/testkit';

let topo: MariaDbTopology;
let silent: Server;
const sockets: Socket[] = [];
let silentPort = 0;
let closedPort = 0;

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

beforeAll(async () => {
  topo = await startMariaDbTopology({ shape: '1+1' });
  await topo.waitReplicating();
  // A server that accepts the connection and never says a word.
  silent = createServer((socket) => sockets.push(socket));
  silentPort = await listen(silent);
  // A port with nothing listening: bind one, then close it.
  const probe = createServer();
  closedPort = await listen(probe);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}, 90_000);

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => silent?.close(() => resolve()));
  await topo?.stop();
});

describe('probe errors', () => {
  it('records unresolvable, refused and silent servers, and still discovers the good one', async () => {
    const good = instanceKey(topo.primary.host, topo.primary.port);
    const topology = new OrcTopology({
      config: {
        discoverySeeds: ['no-such-host.invalid:3306', `127.0.0.1:${closedPort}`, `127.0.0.1:${silentPort}`, good],
        mysqlTopologyUser: topo.orcUser.user,
        mysqlTopologyPassword: topo.orcUser.password,
        mysqlConnectTimeoutSeconds: 1,
        mysqlDiscoveryReadTimeoutSeconds: 1,
      },
    });
    await topology.start();
    try {
      const errorOf = (key: string) => topology.instance(key)?.lastProbeError?.code;
      await waitFor(
        'every probe error recorded',
        () =>
          [
            errorOf('no-such-host.invalid:3306'),
            errorOf(`127.0.0.1:${closedPort}`),
            errorOf(`127.0.0.1:${silentPort}`),
          ].every((c) => c !== undefined),
        { timeoutMs: 10_000 },
      );
      expect(['UNRESOLVABLE_HOST', 'TIMEOUT']).toContain(errorOf('no-such-host.invalid:3306'));
      expect(errorOf(`127.0.0.1:${closedPort}`)).toBe('CONNECTION_REFUSED');
      expect(errorOf(`127.0.0.1:${silentPort}`)).toBe('TIMEOUT');
      await waitFor(
        'the good primary and its replica discovered',
        () => topology.instances().filter((i) => i.lastSeenAt !== null).length === 2,
      );
      // Servers never reached are not analysed as dead primaries.
      expect(await topology.analysis()).toEqual([]);
    } finally {
      await topology.stop();
    }
  });

  it('records wrong credentials as auth_failed', async () => {
    const key = instanceKey(topo.primary.host, topo.primary.port);
    const topology = new OrcTopology({
      config: {
        mysqlTopologyUser: topo.orcUser.user,
        mysqlTopologyPassword: 'wrong-password',
        mysqlConnectTimeoutSeconds: 1,
      },
    });
    await topology.start();
    try {
      const instance = await topology.discover(key);
      expect(instance.lastProbeError?.code).toBe('AUTH_FAILED');
      expect(instance.lastSeenAt).toBeNull();
    } finally {
      await topology.stop();
    }
  });
});
