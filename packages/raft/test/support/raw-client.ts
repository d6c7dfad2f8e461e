// Raw TCP clients against a TcpTransport listener, for tests of what it does before a peer
// authenticates (or completes TLS).
import { connect, type Socket } from 'node:net';
import type { TcpTransport } from '@orc/raft';

/** A socket that keeps every chunk it received. */
export type RawClient = Socket & { received: Buffer[] };

/**
 * Connects to `t` from `from` (an address of the loopback range) and resolves once connected;
 * the socket is pushed onto `open` so the test's teardown destroys it.
 * @example
 * const s = await rawClient(t, open);
 * await closedWithin(s, 5000);
 */
export async function rawClient(
  t: TcpTransport,
  open: { close(): Promise<void> | void }[],
  from = '127.0.0.1',
): Promise<RawClient> {
  const port = Number(t.localAddress.split(':')[1]);
  const s = connect({ host: '127.0.0.1', port, localAddress: from }) as RawClient;
  s.received = [];
  s.on('data', (d: Buffer) => s.received.push(d));
  // The listener resetting a connection it refuses is expected; anything else fails the test.
  s.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') throw err;
  });
  open.push({ close: () => void s.destroy() });
  await new Promise((r) => s.once('connect', r));
  return s;
}

/**
 * Resolves when `s` closes; fails the test if it is still open after `ms` (a bound, not a speed).
 * @example
 * await closedWithin(s, 5000);
 */
export function closedWithin(s: Socket, ms: number): Promise<void> {
  if (s.closed) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`connection still open after ${ms} ms`)), ms);
    s.once('close', () => {
      clearTimeout(t);
      resolve();
    });
  });
}
