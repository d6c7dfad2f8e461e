// Network namespaces and veth links (needs root and iproute2, as CI has): a downed link is silent,
// not refused; everything made is removed on stop and after a failed start.
import { describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { Socket } from 'node:net';
import { createNetNamespace, createVethLink, isTestEnvError, runIp, startNetnsTopology } from '../src/index.js';

/** This process's namespaces under /run/netns. */
function ownNamespaces(): string[] {
  let names: string[];
  try {
    names = readdirSync('/run/netns');
  } catch {
    return [];
  }
  return names.filter((n) => n.startsWith(`otn${process.pid}x`));
}

/** How a TCP connect to `host:port` ends within `ms`: 'connected', an error code, or 'silent'. */
function connectOutcome(host: string, port: number, ms: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('silent');
    }, ms);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(error.code ?? String(error));
    });
    socket.connect(port, host);
  });
}

describe('network namespaces', () => {
  it('a downed end of a veth link makes its host silent (no refusal, no unreachable), and up again it answers', async () => {
    const host = await createNetNamespace();
    const link = await createVethLink(null, host);
    try {
      // Nothing listens inside: a reachable host refuses at once.
      expect(await connectOutcome(link.b.address, 9, 5000)).toBe('ECONNREFUSED');
      await link.setUp(link.b, false);
      // 4 s: longer than ARP's failure report (about 3 s) would take without the pinned neighbour.
      expect(await connectOutcome(link.b.address, 9, 4000)).toBe('silent');
      await link.setUp(link.b, true);
      expect(await connectOutcome(link.b.address, 9, 5000)).toBe('ECONNREFUSED');
    } finally {
      await link.destroy();
      await host.destroy();
    }
    expect(ownNamespaces()).toEqual([]);
    await expect(runIp(['-o', 'link', 'show', link.a.device])).rejects.toMatchObject({
      code: 'NETWORK_SETUP_FAILED',
    });
  }, 60_000);

  it('a topology that cannot start removes the namespaces it made (their links go with them)', async () => {
    const error: unknown = await startNetnsTopology({ mariadbdPath: '/nonexistent/mariadbd' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isTestEnvError(error, 'BINARY_MISSING')).toBe(true);
    expect(ownNamespaces()).toEqual([]);
  }, 60_000);
});
