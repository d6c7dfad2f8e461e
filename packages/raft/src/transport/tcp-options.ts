// Options of the TCP transport, validated once with every problem reported.
import type { LookupFunction } from 'node:net';
import type { NodeId } from '../core/types.js';
import type { Clock, RandomSource } from '../ports.js';
import { RaftError, type RaftErrorDetail } from '../errors.js';
import type { Logger } from '../logger.js';

/** Mutual TLS material (PEM). Both sides present a certificate signed by `ca`. */
export interface TcpTlsOptions {
  readonly key: string | Buffer;
  readonly cert: string | Buffer;
  readonly ca: string | Buffer | readonly (string | Buffer)[];
}

/** Options of {@link TcpTransport}. */
export interface TcpTransportOptions {
  readonly localId: NodeId;
  /** Where to listen. Port 0 picks a free port (read `localAddress` after `listen`). */
  readonly bind: { readonly host: string; readonly port: number };
  /** The address peers dial; default `host:port` of the bound socket. */
  readonly advertiseAddress?: string;
  /** Nodes of another cluster id are refused during the handshake. */
  readonly clusterId: string;
  /** Initial peers: id → `host:port`. */
  readonly peers?: Readonly<Record<string, string>>;
  /** Shared secret: both sides prove they hold it (HMAC challenge); never sent. */
  readonly secret?: string | Buffer;
  /** Mutual TLS with peer certificates. */
  readonly tls?: TcpTlsOptions;
  /**
   * Resolves a peer's host name at each dial (default: the system resolver, `dns.lookup`). A
   * member restarted under the same name with a new address is found at the next dial.
   */
  readonly lookup?: LookupFunction;
  /** Largest frame accepted or sent. Default 16 MiB. */
  readonly maxFrameBytes?: number;
  /**
   * Largest frame accepted before the peer has authenticated (HELLO, CHALLENGE, AUTH, REFUSE are
   * a few hundred bytes). Default 4 KiB (or `maxFrameBytes` if smaller). An unauthenticated peer cannot make a node buffer more.
   */
  readonly maxHandshakeFrameBytes?: number;
  /** Inbound connections still handshaking (TLS included), from all sources. Default 64. */
  readonly maxHandshakingConnections?: number;
  /** Inbound connections still handshaking from one source address. Default 16. */
  readonly maxHandshakingPerAddress?: number;
  /**
   * Connect plus handshake (TLS included) must finish within this; an inbound connection that
   * has not authenticated by then is closed. Default 2000 ms.
   */
  readonly connectTimeoutMs?: number;
  /** A connection with no traffic for this long is closed. Default 60000 ms. */
  readonly idleTimeoutMs?: number;
  /** A write that does not drain within this closes the connection. Default 5000 ms. */
  readonly writeTimeoutMs?: number;
  /** Per-peer send queue bound; beyond it payloads are dropped and reported. Default 64 MiB. */
  readonly maxQueueBytes?: number;
  /** Reconnect backoff: doubles from `initialMs` to `maxMs`, with jitter. Default 20 / 1000 ms. */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  readonly clock?: Clock;
  readonly random?: RandomSource;
  readonly logger?: Logger;
}

/** The options with defaults filled. */
export interface ResolvedTcpOptions {
  readonly maxFrameBytes: number;
  readonly maxHandshakeFrameBytes: number;
  readonly maxHandshakingConnections: number;
  readonly maxHandshakingPerAddress: number;
  readonly connectTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly writeTimeoutMs: number;
  readonly maxQueueBytes: number;
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
}

/** Fills defaults and throws one INVALID_CONFIG error listing every problem. */
export function resolveTcpOptions(o: TcpTransportOptions): ResolvedTcpOptions {
  const details: RaftErrorDetail[] = [];
  const positive = (path: string, v: number | undefined, dflt: number): number => {
    if (v === undefined) return dflt;
    if (!Number.isFinite(v) || v <= 0) details.push({ path, message: `must be a positive number, got ${String(v)}` });
    return v;
  };
  if (typeof o.localId !== 'string' || o.localId.length === 0)
    details.push({ path: 'localId', message: 'must be a non-empty string' });
  if (typeof o.clusterId !== 'string' || o.clusterId.length === 0)
    details.push({ path: 'clusterId', message: 'must be a non-empty string' });
  if (typeof o.bind?.host !== 'string') details.push({ path: 'bind.host', message: 'must be a string' });
  if (!Number.isInteger(o.bind?.port) || o.bind.port < 0 || o.bind.port > 65535)
    details.push({ path: 'bind.port', message: 'must be an integer 0..65535' });
  for (const [id, addr] of Object.entries(o.peers ?? {})) {
    if (parseAddress(addr) === null) details.push({ path: `peers.${id}`, message: `is not host:port: ${addr}` });
  }
  if (o.secret !== undefined && o.secret.length < 16)
    details.push({ path: 'secret', message: 'must be at least 16 bytes' });
  const maxFrameBytes = positive('maxFrameBytes', o.maxFrameBytes, 16 * 1024 * 1024);
  const r: ResolvedTcpOptions = {
    maxFrameBytes,
    maxHandshakeFrameBytes: positive('maxHandshakeFrameBytes', o.maxHandshakeFrameBytes, Math.min(4096, maxFrameBytes)),
    maxHandshakingConnections: positive('maxHandshakingConnections', o.maxHandshakingConnections, 64),
    maxHandshakingPerAddress: positive('maxHandshakingPerAddress', o.maxHandshakingPerAddress, 16),
    connectTimeoutMs: positive('connectTimeoutMs', o.connectTimeoutMs, 2000),
    idleTimeoutMs: positive('idleTimeoutMs', o.idleTimeoutMs, 60_000),
    writeTimeoutMs: positive('writeTimeoutMs', o.writeTimeoutMs, 5000),
    maxQueueBytes: positive('maxQueueBytes', o.maxQueueBytes, 64 * 1024 * 1024),
    backoffInitialMs: positive('backoff.initialMs', o.backoff?.initialMs, 20),
    backoffMaxMs: positive('backoff.maxMs', o.backoff?.maxMs, 1000),
  };
  if (r.maxHandshakeFrameBytes > r.maxFrameBytes)
    details.push({ path: 'maxHandshakeFrameBytes', message: 'must be <= maxFrameBytes' });
  if (r.maxHandshakingPerAddress > r.maxHandshakingConnections)
    details.push({ path: 'maxHandshakingPerAddress', message: 'must be <= maxHandshakingConnections' });
  if (r.backoffMaxMs < r.backoffInitialMs)
    details.push({ path: 'backoff.maxMs', message: 'must be >= backoff.initialMs' });
  if (details.length > 0)
    throw new RaftError(
      'INVALID_CONFIG',
      `invalid TCP transport options: ${details.map((p) => `${p.path} ${p.message}`).join('; ')}`,
      { details },
    );
  return r;
}

/** Splits `host:port` (IPv6 as `[::1]:port`); null when malformed. */
export function parseAddress(address: string): { host: string; port: number } | null {
  const i = address.lastIndexOf(':');
  if (i <= 0) return null;
  let host = address.slice(0, i);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  const port = Number(address.slice(i + 1));
  if (!Number.isInteger(port) || port <= 0 || port > 65535 || host.length === 0) return null;
  return { host, port };
}
