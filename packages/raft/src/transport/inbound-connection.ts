// The listener's side of one inbound connection: the handshake (cluster id, then the shared
// secret challenge when configured), then DATA frames for the owner. Until the peer has proven
// itself the connection is held at the small pre-authentication frame limit and nothing it says
// is believed: its id and address are learnt only once it authenticated.
import type { Socket } from 'node:net';
import type { NodeId } from '../core/types.js';
import { RaftError } from '../errors.js';
import { errorField } from '../logger.js';
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
import type { DialContext } from './peer-connection.js';

/** What an inbound connection needs from its transport. */
export interface InboundHost {
  readonly ctx: DialContext;
  onFrame(from: NodeId, payload: Uint8Array): void;
  /** The peer authenticated: it no longer counts as handshaking; `addr` is what it announced. */
  authenticated(socket: Socket, peer: NodeId, addr: string | undefined): void;
  refuse(socket: Socket, reason: string, tell: boolean, fields?: Record<string, unknown>): void;
  closed(socket: Socket): void;
  countRefused(): void;
}

/** A socket with the time it last carried anything (for the idle sweep). */
export type TrackedSocket = Socket & { orcLastActivity?: number };

/**
 * Runs the listener's handshake and then the DATA stream on `socket`. The handshake deadline is
 * the transport's (it starts when the TCP connection is accepted, before any TLS handshake).
 *
 * @example
 * ```ts
 * serveInbound(socket, host); // host: the TcpTransport's InboundHost
 * ```
 */
export function serveInbound(socket: TrackedSocket, host: InboundHost): void {
  const ctx = host.ctx;
  socket.setNoDelay(true);
  socket.orcLastActivity = ctx.clock.now();
  const decoder = new FrameDecoder(ctx.options.maxHandshakeFrameBytes);
  let state: 'hello' | 'auth' | 'open' | 'done' = 'hello';
  // Claimed in HELLO; trusted only once state is 'open'.
  let peer: NodeId | null = null;
  let announced: string | undefined;
  let serverNonce = '';

  const fail = (reason: string, tell: boolean): void => {
    if (state === 'done') return;
    state = 'done';
    host.refuse(socket, reason, tell, peer === null ? {} : { peer });
  };
  const open = (): void => {
    state = 'open';
    decoder.setMaxFrameBytes(ctx.options.maxFrameBytes);
    host.authenticated(socket, peer!, announced);
    socket.write(encodeFrame(FrameKind.Welcome, encodeJson({})));
  };

  const handshake = (kind: FrameKind, payload: Buffer): boolean => {
    if (state === 'hello' && kind === FrameKind.Hello) {
      const h = decodeJson<Hello>(payload, ['cluster', 'from', 'nonce'], 'HELLO');
      if (h.v !== PROTOCOL_VERSION) throw new RaftError('PROTOCOL', `unsupported protocol version ${String(h.v)}`);
      if (h.cluster !== ctx.clusterId) {
        fail(`cluster id mismatch: peer is in cluster ${JSON.stringify(h.cluster)}`, true);
        return false;
      }
      peer = h.from as NodeId;
      announced = typeof h.addr === 'string' ? h.addr : undefined;
      if (ctx.secret === undefined) {
        open();
        return true;
      }
      state = 'auth';
      serverNonce = newNonce();
      socket.write(
        encodeFrame(
          FrameKind.Challenge,
          encodeJson({ nonce: serverNonce, proof: proof(ctx.secret, 'listener', ctx.clusterId, h.from, h.nonce) }),
        ),
      );
      return true;
    }
    if (state === 'auth' && kind === FrameKind.Auth) {
      const a = decodeJson<Auth>(payload, ['proof'], 'AUTH');
      if (!proofMatches(proof(ctx.secret!, 'dialer', ctx.clusterId, peer!, serverNonce), a.proof)) {
        fail('authentication failed: wrong shared secret', true);
        return false;
      }
      open();
      return true;
    }
    fail(`unexpected frame kind ${kind} in state ${state}`, true);
    return false;
  };

  socket.on('data', (chunk: Buffer) => {
    if (state === 'done') return;
    socket.orcLastActivity = ctx.clock.now();
    let frames;
    try {
      frames = decoder.push(chunk);
    } catch (err) {
      fail(errorField(err), true);
      return;
    }
    for (const f of frames) {
      if (state === 'open' && f.kind === FrameKind.Data) {
        try {
          host.onFrame(peer!, f.payload);
        } catch (err) {
          fail(`payload refused: ${errorField(err)}`, true);
          return;
        }
        continue;
      }
      try {
        if (!handshake(f.kind, f.payload)) return;
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
    host.closed(socket);
    if (state !== 'done' && decoder.pendingBytes > 0) {
      host.countRefused();
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
