// A TLS listener closes a connection that never completes its handshake (or never starts it)
// after the same bound as plain TCP, and counts it against the handshaking caps meanwhile.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeId, TcpTransport } from '@orc/raft';
import { waitFor } from '@orc/testkit';

const dir = mkdtempSync(join(tmpdir(), 'orc-raft-tls-bound-'));
const open: { close(): Promise<void> | void }[] = [];
let tlsMaterial: { key: string; cert: string; ca: string };

beforeAll(() => {
  // A self-signed certificate serves as its own CA: enough for a listener nobody completes.
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'n.key',
      '-out',
      'n.crt',
      '-days',
      '1',
      '-subj',
      '/CN=n',
    ],
    { cwd: dir, stdio: 'ignore' },
  );
  const cert = readFileSync(join(dir, 'n.crt'), 'utf8');
  tlsMaterial = { key: readFileSync(join(dir, 'n.key'), 'utf8'), cert, ca: cert };
});
afterAll(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
  rmSync(dir, { recursive: true, force: true });
});

async function rawClient(t: TcpTransport): Promise<Socket> {
  const s = connect({ host: '127.0.0.1', port: Number(t.localAddress.split(':')[1]) });
  // The listener resetting a connection it closes is expected; anything else fails the test.
  s.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') throw err;
  });
  s.resume();
  open.push({ close: () => void s.destroy() });
  await new Promise((r) => s.once('connect', r));
  return s;
}

function closedWithin(s: Socket, ms: number): Promise<void> {
  if (s.closed) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`connection still open after ${ms} ms`)), ms);
    s.once('close', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

describe('TcpTransport with TLS before the handshake', () => {
  it('closes connections that never start or never finish the TLS handshake after connectTimeoutMs', async () => {
    const t = new TcpTransport({
      localId: nodeId('n'),
      bind: { host: '127.0.0.1', port: 0 },
      clusterId: 'c',
      tls: tlsMaterial,
      connectTimeoutMs: 300,
    });
    open.push(t);
    await t.listen({ onFrame: () => undefined });
    const silent = await rawClient(t);
    const partial = await rawClient(t);
    partial.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01])); // the start of a ClientHello
    await waitFor('both counted as handshaking', () => t.stats.handshakingConnections === 2, { timeoutMs: 5000 });
    expect(t.stats.handshakingConnections).toBe(2);
    await closedWithin(silent, 10_000);
    await closedWithin(partial, 10_000);
    expect(t.stats.handshakingConnections).toBe(0);
  });

  it('counts TLS connections that have not handshaken against the per-address cap', async () => {
    const t = new TcpTransport({
      localId: nodeId('n'),
      bind: { host: '127.0.0.1', port: 0 },
      clusterId: 'c',
      tls: tlsMaterial,
      connectTimeoutMs: 60_000,
      maxHandshakingPerAddress: 1,
    });
    open.push(t);
    await t.listen({ onFrame: () => undefined });
    const first = await rawClient(t);
    const second = await rawClient(t);
    await closedWithin(second, 5000);
    expect(first.closed).toBe(false);
    expect(t.stats.handshakingConnections).toBe(1);
  });
});
