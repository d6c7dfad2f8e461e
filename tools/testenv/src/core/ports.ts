import { readFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';

/** The only address servers bind: loopback. */
export const LOOPBACK = '127.0.0.1';

// Ports handed out by this process recently: the kernel may return the same free port to two
// allocations made before either server binds it.
const recentlyAllocated = new Map<number, number>();
const RECENT_MS = 60_000;

function bindOnce(port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(bound));
    });
  });
}

const LOW_PORT = 20_000;

/**
 * The ports to pick from: below the kernel's ephemeral range (where outgoing connections take
 * their local port) when there is room, so that a stopped server's port is not taken by some
 * client's connection before the server starts again on it. Null: use port 0 (the kernel's pick).
 */
function quietRange(): { low: number; high: number } | null {
  try {
    const [ephemeralLow] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    if (ephemeralLow !== undefined && ephemeralLow - LOW_PORT >= 2000) return { low: LOW_PORT, high: ephemeralLow };
  } catch {
    // not Linux, or /proc unreadable: fall back to the kernel's pick
  }
  return null;
}

/**
 * Returns a TCP port that was free on `host` a moment ago: a random port below the ephemeral
 * range that binds, or else whatever binding port 0 gives. A server can still lose it to another
 * process before binding it, so callers retry on a bind failure.
 */
export async function allocatePort(host: string = LOOPBACK): Promise<number> {
  const now = Date.now();
  for (const [port, at] of recentlyAllocated) if (now - at > RECENT_MS) recentlyAllocated.delete(port);
  const range = quietRange();
  for (let attempt = 0; attempt < 50; attempt++) {
    let port: number;
    if (range !== null && attempt < 40) {
      port = range.low + Math.floor(Math.random() * (range.high - range.low));
      if (recentlyAllocated.has(port) || !(await isPortFree(port, host))) continue;
    } else {
      port = await bindOnce(0, host);
      if (recentlyAllocated.has(port)) continue;
    }
    recentlyAllocated.set(port, now);
    return port;
  }
  throw new Error(`no free port found on ${host} after 50 attempts`);
}

/** Whether `port` on `host` can be bound right now. */
export async function isPortFree(port: number, host: string = LOOPBACK): Promise<boolean> {
  try {
    await bindOnce(port, host);
    return true;
  } catch {
    return false;
  }
}

/** Whether a TCP connection to `host:port` succeeds within `timeoutMs`. */
export function canConnect(port: number, host: string = LOOPBACK, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => done(true));
  });
}

/** Sends `payload` over TCP and resolves with everything the peer wrote before closing (ZooKeeper four-letter words). */
export function tcpExchange(port: number, payload: string, host: string = LOOPBACK, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new Error(`no answer from ${host}:${port} within ${timeoutMs} ms`));
    });
    socket.once('error', reject);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.connect(port, host, () => socket.write(payload));
  });
}
