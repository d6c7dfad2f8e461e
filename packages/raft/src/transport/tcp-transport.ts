// Raft messages over TCP (optionally mutual TLS): one listening socket for inbound connections,
// one pooled outbound connection per peer. Inbound connections must finish the handshake (cluster
// id, and the shared-secret challenge when configured) before any DATA frame is accepted; any
// protocol violation is logged with its reason and closes that connection only.
import { createServer as netServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as tlsServer } from 'node:tls';
import type { NodeId } from '../core/types.js';
import type { Transport, TransportHandlers } from '../ports.js';
import { systemClock } from '../clock.js';
import { RaftError } from '../errors.js';
import { errorField, noopLogger } from '../logger.js';
import { encodeFrame, FrameKind } from './frame.js';
import { encodeJson } from './handshake.js';
import { HandshakeGate } from './handshake-gate.js';
import { serveInbound, type InboundHost } from './inbound-connection.js';
import { PeerConnection, type DialContext } from './peer-connection.js';
import { parseAddress, resolveTcpOptions, type ResolvedTcpOptions, type TcpTransportOptions } from './tcp-options.js';

/** Counters a transport reports. */
export interface TcpTransportStats {
  readonly inboundConnections: number;
  /** Inbound connections that have not authenticated yet (capped, see the options). */
  readonly handshakingConnections: number;
  readonly refusedConnections: number;
  readonly receivedFrames: number;
  readonly peers: Readonly<
    Record<string, { state: string; queuedBytes: number; sentFrames: number; droppedFrames: number }>
  >;
}

/**
 * A `Transport` over TCP with length-prefixed frames, a cluster-id handshake and optional
 * shared-secret or mutual-TLS authentication.
 *
 * @example
 * ```ts
 * const transport = new TcpTransport({
 *   localId: nodeId('a'), bind: { host: '127.0.0.1', port: 7001 }, clusterId: 'orders',
 *   peers: { b: '127.0.0.1:7002', c: '127.0.0.1:7003' }, secret: process.env.RAFT_SECRET,
 * });
 * ```
 */
export class TcpTransport implements Transport {
  readonly localId: NodeId;
  readonly #o: TcpTransportOptions;
  readonly #opts: ResolvedTcpOptions;
  readonly #ctx: DialContext;
  readonly #peers = new Map<NodeId, PeerConnection>();
  readonly #addresses = new Map<NodeId, string>();
  readonly #inbound = new Set<Socket>();
  readonly #gate: HandshakeGate;
  /** Handshaking connections by `address:port`: the raw socket and what releases its slot. */
  readonly #handshaking = new Map<string, { readonly raw: Socket; readonly release: () => void }>();
  readonly #host: InboundHost;
  #isSaturated = false;
  #server: Server | null = null;
  #handlers: TransportHandlers | null = null;
  #address = '';
  #closed = false;
  #sweep: { cancel(): void } | null = null;
  #refused = 0;
  #received = 0;

  constructor(options: TcpTransportOptions) {
    this.#opts = resolveTcpOptions(options);
    this.#o = options;
    this.localId = options.localId;
    const logger = options.logger ?? noopLogger;
    this.#ctx = {
      localId: options.localId,
      localAddress: () => this.#address,
      clusterId: options.clusterId,
      secret: options.secret,
      tls: options.tls,
      lookup: options.lookup,
      options: this.#opts,
      clock: options.clock ?? systemClock,
      random: options.random ?? Math.random,
      logger,
      onUnreachable: (peer, reason) => this.#handlers?.onPeerUnreachable?.(peer, reason),
    };
    this.#gate = new HandshakeGate({
      total: this.#opts.maxHandshakingConnections,
      perAddress: this.#opts.maxHandshakingPerAddress,
    });
    this.#host = {
      ctx: this.#ctx,
      onFrame: (from, payload) => {
        this.#received++;
        this.#handlers?.onFrame(from, payload);
      },
      authenticated: (socket, peer, addr) => this.#authenticated(socket, peer, addr),
      refuse: (socket, reason, tell, fields) => this.#refuse(socket, reason, tell, fields),
      closed: (socket) => this.#inbound.delete(socket),
      countRefused: () => this.#refused++,
    };
    for (const [id, addr] of Object.entries(options.peers ?? {})) this.setPeer(id as NodeId, addr);
  }

  get localAddress(): string {
    return this.#address;
  }

  async listen(handlers: TransportHandlers): Promise<void> {
    if (this.#server !== null) throw new RaftError('INVALID_ARGUMENT', 'TcpTransport.listen called twice');
    if (this.#closed) throw new RaftError('SHUTDOWN', 'TcpTransport is closed');
    this.#handlers = handlers;
    const tls = this.#o.tls;
    const server = tls
      ? tlsServer(
          {
            key: tls.key,
            cert: tls.cert,
            ca: tls.ca as string,
            requestCert: true,
            rejectUnauthorized: true,
            handshakeTimeout: this.#opts.connectTimeoutMs,
          },
          (s) => this.#accept(s),
        )
      : netServer();
    // For TLS this runs after tls.Server wrapped the raw socket: closing it closes both.
    server.on('connection', (raw: Socket) => {
      if (this.#admit(raw) && tls === undefined) this.#accept(raw);
    });
    server.on('tlsClientError', (err: Error, socket: Socket) => {
      // With a listener attached Node leaves the socket open: close it here.
      socket.destroy();
      const key = `${socket.remoteAddress ?? 'unknown'}:${socket.remotePort}`;
      if (!this.#handshaking.has(key)) return; // refused by the gate or timed out: already told
      this.#refused++;
      this.#ctx.logger.warn('raft transport: TLS handshake refused', {
        remote: socket.remoteAddress,
        reason: errorField(err),
      });
    });
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#o.bind.port, this.#o.bind.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => this.#ctx.logger.error('raft transport: server error', { reason: errorField(err) }));
    const a = server.address() as AddressInfo;
    this.#address =
      this.#o.advertiseAddress ?? (a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`);
    this.#scheduleSweep();
    for (const conn of this.#peers.values()) conn.warm();
    this.#ctx.logger.info('raft transport listening', {
      address: this.#address,
      tls: tls !== undefined,
      secret: this.#o.secret !== undefined,
    });
  }

  send(to: NodeId, payload: Uint8Array): void {
    if (this.#closed) return;
    const conn = this.#peers.get(to);
    if (conn === undefined) {
      this.#handlers?.onPeerUnreachable?.(to, 'no address known for peer');
      return;
    }
    conn.send(payload);
  }

  setPeer(id: NodeId, address: string): void {
    if (id === this.localId) return;
    this.#addresses.set(id, address);
    const conn = this.#peers.get(id);
    if (conn === undefined) {
      const fresh = new PeerConnection(this.#ctx, id, address);
      this.#peers.set(id, fresh);
      if (this.#server !== null && !this.#closed) fresh.warm();
    } else conn.setAddress(address);
  }

  removePeer(id: NodeId): void {
    this.#peers.get(id)?.close();
    this.#peers.delete(id);
    this.#addresses.delete(id);
  }

  /** The address known for a peer, if any. */
  peerAddress(id: NodeId): string | undefined {
    return id === this.localId ? this.#address : this.#addresses.get(id);
  }

  get stats(): TcpTransportStats {
    const peers: Record<string, TcpTransportStats['peers'][string]> = {};
    for (const [id, c] of this.#peers) peers[id] = c.stats;
    return {
      inboundConnections: this.#inbound.size,
      handshakingConnections: this.#gate.size,
      refusedConnections: this.#refused,
      receivedFrames: this.#received,
      peers,
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#sweep?.cancel();
    for (const c of this.#peers.values()) c.close();
    for (const s of this.#inbound) s.destroy();
    // Including TLS connections whose handshake has not finished (not in #inbound yet).
    for (const h of [...this.#handshaking.values()]) h.raw.destroy();
    const server = this.#server;
    if (server !== null) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #scheduleSweep(): void {
    const every = Math.max(10, this.#opts.idleTimeoutMs / 2);
    this.#sweep = this.#ctx.clock.setTimer(every, () => {
      if (this.#closed) return;
      const now = this.#ctx.clock.now();
      for (const c of this.#peers.values()) c.sweepIdle(now);
      for (const s of this.#inbound) {
        const last = (s as Socket & { orcLastActivity?: number }).orcLastActivity ?? now;
        if (now - last > this.#opts.idleTimeoutMs) this.#refuse(s, 'idle timeout', false);
      }
      this.#scheduleSweep();
    });
  }

  #refuse(socket: Socket, reason: string, tell: boolean, fields: Record<string, unknown> = {}): void {
    this.#refused++;
    this.#ctx.logger.warn('raft transport: connection refused', {
      remote: `${socket.remoteAddress}:${socket.remotePort}`,
      reason,
      ...fields,
    });
    if (tell && socket.writable) socket.end(encodeFrame(FrameKind.Refuse, encodeJson({ reason })));
    setImmediate(() => socket.destroy());
  }

  /**
   * Counts a new TCP connection (TLS or not) as handshaking, or closes it at once when the
   * caps are reached. It stays counted until it authenticated or closed; one that has not
   * authenticated within `connectTimeoutMs` is closed, whether or not its TLS handshake started.
   */
  #admit(raw: Socket): boolean {
    const address = raw.remoteAddress ?? 'unknown';
    const refusal = this.#closed ? 'transport closed' : this.#gate.admit(address);
    if (refusal !== null) {
      this.#refused++;
      // One warning per burst: a flood must not also flood the log.
      const log = this.#isSaturated ? this.#ctx.logger.debug : this.#ctx.logger.warn;
      this.#isSaturated = true;
      log.call(this.#ctx.logger, 'raft transport: connection refused', {
        remote: address,
        reason: refusal,
        handshaking: this.#gate.size,
      });
      raw.destroy();
      return false;
    }
    const key = `${address}:${raw.remotePort}`;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      timer.cancel();
      this.#gate.release(address);
      this.#handshaking.delete(key);
      if (this.#gate.size === 0) this.#isSaturated = false;
    };
    const timer = this.#ctx.clock.setTimer(this.#opts.connectTimeoutMs, () => {
      if (done) return;
      finish();
      this.#refused++;
      this.#ctx.logger.warn('raft transport: connection refused', { remote: key, reason: 'handshake timed out' });
      raw.destroy();
    });
    this.#handshaking.set(key, { raw, release: finish });
    raw.once('close', finish);
    return true;
  }

  #accept(socket: Socket): void {
    if (this.#closed) {
      socket.destroy();
      return;
    }
    this.#inbound.add(socket);
    serveInbound(socket, this.#host);
  }

  /** An inbound peer proved itself: only now is what it said about itself believed. */
  #authenticated(socket: Socket, peer: NodeId, addr: string | undefined): void {
    this.#handshaking.get(`${socket.remoteAddress ?? 'unknown'}:${socket.remotePort}`)?.release();
    // Learn how to answer a dialer we had no address for (e.g. a new leader or member). An
    // address from configuration or the log is never replaced by one a peer announces.
    if (addr !== undefined && parseAddress(addr) !== null && !this.#addresses.has(peer) && peer !== this.localId) {
      this.setPeer(peer, addr);
      this.#ctx.logger.info('raft transport: learned peer address', { peer, address: addr });
    }
  }
}
