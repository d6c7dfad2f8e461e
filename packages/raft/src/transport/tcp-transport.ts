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
import { encodeFrame, FrameDecoder, FrameKind } from './frame.js';
import {
  decodeJson,
  encodeJson,
  newNonce,
  proof,
  proofMatches,
  PROTOCOL_VERSION,
  type Auth,
  type Hello,
} from './handshake.js';
import { PeerConnection, type DialContext } from './peer-connection.js';
import { parseAddress, resolveTcpOptions, type ResolvedTcpOptions, type TcpTransportOptions } from './tcp-options.js';

/** Counters a transport reports. */
export interface TcpTransportStats {
  readonly inboundConnections: number;
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
      options: this.#opts,
      clock: options.clock ?? systemClock,
      random: options.random ?? Math.random,
      logger,
      onUnreachable: (peer, reason) => this.#handlers?.onPeerUnreachable?.(peer, reason),
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
          { key: tls.key, cert: tls.cert, ca: tls.ca as string, requestCert: true, rejectUnauthorized: true },
          (s) => this.#accept(s),
        )
      : netServer((s) => this.#accept(s));
    server.on('tlsClientError', (err: Error, socket: Socket) => {
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

  #accept(socket: Socket): void {
    if (this.#closed) {
      socket.destroy();
      return;
    }
    const ctx = this.#ctx;
    socket.setNoDelay(true);
    this.#inbound.add(socket);
    const tracked = socket as Socket & { orcLastActivity?: number };
    tracked.orcLastActivity = ctx.clock.now();
    const decoder = new FrameDecoder(this.#opts.maxFrameBytes);
    let state: 'hello' | 'auth' | 'open' | 'done' = 'hello';
    let peer: NodeId | null = null;
    let serverNonce = '';
    const handshakeTimer = ctx.clock.setTimer(this.#opts.connectTimeoutMs, () => {
      if (state !== 'open' && state !== 'done') {
        state = 'done';
        this.#refuse(socket, 'handshake timed out', false);
      }
    });

    const fail = (reason: string, tell: boolean): void => {
      if (state === 'done') return;
      state = 'done';
      handshakeTimer.cancel();
      this.#refuse(socket, reason, tell, peer === null ? {} : { peer });
    };

    socket.on('data', (chunk: Buffer) => {
      if (state === 'done') return;
      tracked.orcLastActivity = ctx.clock.now();
      let frames;
      try {
        frames = decoder.push(chunk);
      } catch (err) {
        fail(errorField(err), true);
        return;
      }
      for (const f of frames) {
        if (state === 'open' && f.kind === FrameKind.Data) {
          this.#received++;
          try {
            this.#handlers?.onFrame(peer!, f.payload);
          } catch (err) {
            fail(`payload refused: ${errorField(err)}`, true);
            return;
          }
          continue;
        }
        try {
          if (state === 'hello' && f.kind === FrameKind.Hello) {
            const h = decodeJson<Hello>(f.payload, ['cluster', 'from', 'nonce'], 'HELLO');
            if (h.v !== PROTOCOL_VERSION)
              throw new RaftError('PROTOCOL', `unsupported protocol version ${String(h.v)}`);
            if (h.cluster !== ctx.clusterId) {
              fail(`cluster id mismatch: peer is in cluster ${JSON.stringify(h.cluster)}`, true);
              return;
            }
            peer = h.from as NodeId;
            // Learn how to answer a dialer we had no address for (e.g. a new leader or member).
            if (
              typeof h.addr === 'string' &&
              parseAddress(h.addr) !== null &&
              !this.#addresses.has(peer) &&
              peer !== this.localId
            ) {
              this.setPeer(peer, h.addr);
              ctx.logger.info('raft transport: learned peer address', { peer, address: h.addr });
            }
            if (ctx.secret === undefined) {
              state = 'open';
              handshakeTimer.cancel();
              socket.write(encodeFrame(FrameKind.Welcome, encodeJson({})));
            } else {
              state = 'auth';
              serverNonce = newNonce();
              socket.write(
                encodeFrame(
                  FrameKind.Challenge,
                  encodeJson({
                    nonce: serverNonce,
                    proof: proof(ctx.secret, 'listener', ctx.clusterId, h.from, h.nonce),
                  }),
                ),
              );
            }
          } else if (state === 'auth' && f.kind === FrameKind.Auth) {
            const a = decodeJson<Auth>(f.payload, ['proof'], 'AUTH');
            if (!proofMatches(proof(ctx.secret!, 'dialer', ctx.clusterId, peer!, serverNonce), a.proof)) {
              fail('authentication failed: wrong shared secret', true);
              return;
            }
            state = 'open';
            handshakeTimer.cancel();
            socket.write(encodeFrame(FrameKind.Welcome, encodeJson({})));
          } else {
            fail(`unexpected frame kind ${f.kind} in state ${state}`, true);
            return;
          }
        } catch (err) {
          fail(errorField(err), true);
          return;
        }
      }
    });
    socket.on('error', (err) => {
      if (state !== 'done')
        ctx.logger.debug('raft transport: inbound connection error', { peer, reason: errorField(err) });
    });
    socket.on('close', () => {
      this.#inbound.delete(socket);
      handshakeTimer.cancel();
      if (state !== 'done' && decoder.pendingBytes > 0) {
        this.#refused++;
        ctx.logger.warn('raft transport: connection closed mid-frame (truncated frame)', {
          peer,
          pendingBytes: decoder.pendingBytes,
        });
      } else if (state === 'hello' || state === 'auth') {
        ctx.logger.warn('raft transport: connection closed during handshake', { peer, state });
      }
      state = 'done';
    });
  }
}
