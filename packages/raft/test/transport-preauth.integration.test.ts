// What an unauthenticated client can make a TcpTransport do, over real sockets on 127.0.0.x:
// nothing larger than the pre-authentication frame limit is buffered, handshaking connections
// are capped per source address and in total, and nothing a client claims about itself (id,
// address) is believed before it proved the shared secret.
import { describe, it, expect, afterEach } from '@jest/globals';
import { createServer, type Server } from 'node:net';
import { nodeId, TcpTransport, type TcpTransportOptions } from '@orc/raft';
import { waitFor } from '@orc/testkit';
import { closedWithin, rawClient } from './support/raw-client.js';

const open: { close(): Promise<void> | void }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

const SECRET = 'a shared secret of the cluster';

function frame(kind: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(5);
  h.writeUInt32BE(payload.length, 0);
  h[4] = kind;
  return Buffer.concat([h, payload]);
}

async function transport(id: string, extra: Partial<TcpTransportOptions> = {}): Promise<TcpTransport> {
  const t = new TcpTransport({ localId: nodeId(id), bind: { host: '127.0.0.1', port: 0 }, clusterId: 'c', ...extra });
  open.push(t);
  await t.listen({ onFrame: () => undefined });
  return t;
}

const until = (what: string, cond: () => boolean): Promise<true> =>
  waitFor(what, () => cond() || undefined, { timeoutMs: 5000, intervalMs: 10 });

describe('TcpTransport before authentication', () => {
  it('refuses a frame over the pre-authentication limit from its header, without buffering it', async () => {
    const t = await transport('b', { secret: SECRET, connectTimeoutMs: 60_000 });
    const s = await rawClient(t, open);
    // A HELLO announcing 16 MiB minus one byte: within maxFrameBytes, far over the pre-auth limit.
    const header = Buffer.alloc(5);
    header.writeUInt32BE(16 * 1024 * 1024 - 1, 0);
    header[4] = 1;
    s.write(header);
    await closedWithin(s, 5000);
    const refusal = Buffer.concat(s.received);
    expect(refusal[4]).toBe(5); // REFUSE
    expect(JSON.parse(refusal.subarray(5).toString()).reason).toBe('frame larger than the maximum frame size');
    await until('no handshaking connection left', () => t.stats.handshakingConnections === 0);
  });

  it('caps handshaking connections per source address and in total; authenticated ones do not count', async () => {
    const t = await transport('b', {
      secret: SECRET,
      connectTimeoutMs: 60_000,
      maxHandshakingPerAddress: 2,
      maxHandshakingConnections: 3,
    });
    const first = await rawClient(t, open, '127.0.0.1');
    await rawClient(t, open, '127.0.0.1');
    await until('two handshaking', () => t.stats.handshakingConnections === 2);
    const thirdFromSameAddress = await rawClient(t, open, '127.0.0.1');
    await closedWithin(thirdFromSameAddress, 5000);
    await rawClient(t, open, '127.0.0.2');
    await until('three handshaking', () => t.stats.handshakingConnections === 3);
    const overTotal = await rawClient(t, open, '127.0.0.3');
    await closedWithin(overTotal, 5000);
    expect(t.stats.handshakingConnections).toBe(3);

    first.destroy();
    await until('a slot freed', () => t.stats.handshakingConnections === 2);
    const a = await transport('a', { secret: SECRET, peers: { b: t.localAddress } });
    a.send(nodeId('b'), Buffer.from('hello'));
    await until('a authenticated to b', () => a.stats.peers['b']?.state === 'open');
    expect(t.stats.handshakingConnections).toBe(2);
  });

  it('learns no id or address from a client that has not proven the secret, and dials nothing', async () => {
    let dialled = 0;
    const bait: Server = createServer((s) => {
      dialled++;
      s.destroy();
    });
    await new Promise<void>((r) => bait.listen(0, '127.0.0.1', r));
    open.push({ close: () => new Promise<void>((r) => bait.close(() => r())) });
    const baitAddress = `127.0.0.1:${(bait.address() as { port: number }).port}`;

    const t = await transport('b', { secret: SECRET, connectTimeoutMs: 60_000 });
    const s = await rawClient(t, open);
    s.write(
      frame(1, Buffer.from(JSON.stringify({ v: 1, cluster: 'c', from: 'evil', nonce: '00', addr: baitAddress }))),
    );
    await until('the challenge', () => Buffer.concat(s.received).length > 5);
    expect(Buffer.concat(s.received)[4]).toBe(2); // CHALLENGE
    expect(t.stats.peers['evil']).toBeUndefined();
    expect(t.peerAddress(nodeId('evil'))).toBeUndefined();
    s.write(frame(3, Buffer.from(JSON.stringify({ proof: 'not the proof' }))));
    await closedWithin(s, 5000);
    expect(t.stats.peers['evil']).toBeUndefined();
    expect(t.peerAddress(nodeId('evil'))).toBeUndefined();
    expect(dialled).toBe(0);
  });

  it('learns the address of an authenticated peer, but never over a configured one', async () => {
    const t = await transport('b', { secret: SECRET, peers: { c: '127.0.0.1:1' } });
    const a = await transport('a', { secret: SECRET, peers: { b: t.localAddress } });
    const c = await transport('c', { secret: SECRET, peers: { b: t.localAddress } });
    a.send(nodeId('b'), Buffer.from('from a'));
    c.send(nodeId('b'), Buffer.from('from c'));
    await until('a learnt', () => t.peerAddress(nodeId('a')) === a.localAddress);
    await until(
      'both authenticated',
      () => a.stats.peers['b']?.state === 'open' && c.stats.peers['b']?.state === 'open',
    );
    expect(t.peerAddress(nodeId('c'))).toBe('127.0.0.1:1');
  });
});
