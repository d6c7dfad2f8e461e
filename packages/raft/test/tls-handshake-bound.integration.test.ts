// A TLS listener closes a connection that never completes its handshake (or never starts it)
// after the same bound as plain TCP, and counts it against the handshaking caps meanwhile.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { nodeId, TcpTransport } from '@orc/raft';
import { waitFor } from '@orc/testkit';
import { closedWithin, rawClient } from './support/raw-client.js';
import { certDir } from './support/tls-certs.js';

const certs = certDir('orc-raft-tls-bound-');
const open: { close(): Promise<void> | void }[] = [];
let tlsMaterial: { key: string; cert: string; ca: string };

beforeAll(() => {
  // A self-signed certificate serves as its own CA: enough for a listener nobody completes.
  const n = certs.makeCa('n');
  tlsMaterial = { ...n, ca: n.cert };
});
afterAll(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
  certs.remove();
});

/** A TLS listener of node n on a free port, closed after the file; `options` set its bounds. */
async function listeningTls(options: { connectTimeoutMs: number; maxHandshakingPerAddress?: number }) {
  const t = new TcpTransport({
    localId: nodeId('n'),
    bind: { host: '127.0.0.1', port: 0 },
    clusterId: 'c',
    tls: tlsMaterial,
    ...options,
  });
  open.push(t);
  await t.listen({ onFrame: () => undefined });
  return t;
}

describe('TcpTransport with TLS before the handshake', () => {
  it('closes connections that never start or never finish the TLS handshake after connectTimeoutMs', async () => {
    const t = await listeningTls({ connectTimeoutMs: 300 });
    const silent = await rawClient(t, open);
    const partial = await rawClient(t, open);
    partial.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01])); // the start of a ClientHello
    await waitFor('both counted as handshaking', () => t.stats.handshakingConnections === 2, { timeoutMs: 5000 });
    expect(t.stats.handshakingConnections).toBe(2);
    await closedWithin(silent, 10_000);
    await closedWithin(partial, 10_000);
    // The client may see its socket closed an instant before the listener's own close event runs.
    await waitFor('the handshaking count back to 0', () => t.stats.handshakingConnections === 0, {
      timeoutMs: 5000,
      diagnose: () => t.stats,
    });
  });

  it('counts TLS connections that have not handshaken against the per-address cap', async () => {
    const t = await listeningTls({ connectTimeoutMs: 60_000, maxHandshakingPerAddress: 1 });
    const first = await rawClient(t, open);
    const second = await rawClient(t, open);
    await closedWithin(second, 5000);
    expect(first.closed).toBe(false);
    expect(t.stats.handshakingConnections).toBe(1);
  });
});
