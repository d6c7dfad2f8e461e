// One pooled outbound connection to a peer: connects lazily, handshakes, batches queued payloads
// into one socket write per event-loop turn, and reconnects with exponential backoff.
import { connect as netConnect, type LookupFunction, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { NodeId } from '../core/types.js';
import type { Clock, RandomSource } from '../ports.js';
import { errorField, type Logger } from '../logger.js';
import { encodeDataFrames, encodeFrame, FrameDecoder, FrameKind } from './frame.js';
import {
  decodeJson,
  encodeJson,
  newNonce,
  proof,
  proofMatches,
  PROTOCOL_VERSION,
  type Challenge,
  type Refuse,
} from './handshake.js';
import { parseAddress, type ResolvedTcpOptions, type TcpTlsOptions } from './tcp-options.js';

/** What every peer connection of a transport shares. */
export interface DialContext {
  readonly localId: NodeId;
  /** This node's listening address, announced in HELLO. */
  localAddress(): string;
  readonly clusterId: string;
  readonly secret: string | Buffer | undefined;
  readonly tls: TcpTlsOptions | undefined;
  /** Host name resolution at each dial; undefined: the system resolver. */
  readonly lookup: LookupFunction | undefined;
  readonly options: ResolvedTcpOptions;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly logger: Logger;
  onUnreachable(peer: NodeId, reason: string): void;
}

type State = 'idle' | 'connecting' | 'open' | 'backoff' | 'closed';
type Timer = { cancel(): void };

// Stop handing bytes to a socket whose kernel buffer is this far behind; wait for 'drain'.
const HIGH_WATER_BYTES = 4 * 1024 * 1024;

export class PeerConnection {
  readonly #ctx: DialContext;
  readonly #peer: NodeId;
  #address: string;
  #state: State = 'idle';
  #socket: Socket | null = null;
  #queue: Uint8Array[] = [];
  #queueBytes = 0;
  #flushScheduled = false;
  #attempts = 0;
  #timer: Timer | null = null;
  #writeTimer: Timer | null = null;
  #lastActivity = 0;
  #sentFrames = 0;
  #listenerProved = false;
  #droppedFrames = 0;
  /** Dialled ahead of any message (`warm`): a failure is not news until something is sent. */
  #isWarmup = false;

  constructor(ctx: DialContext, peer: NodeId, address: string) {
    this.#ctx = ctx;
    this.#peer = peer;
    this.#address = address;
  }

  get stats(): {
    readonly state: State;
    readonly queuedBytes: number;
    readonly sentFrames: number;
    readonly droppedFrames: number;
  } {
    return {
      state: this.#state,
      queuedBytes: this.#queueBytes,
      sentFrames: this.#sentFrames,
      droppedFrames: this.#droppedFrames,
    };
  }

  setAddress(address: string): void {
    if (address === this.#address) return;
    this.#address = address;
    if (this.#state === 'open' || this.#state === 'connecting') this.#fail('peer address changed', false);
  }

  /**
   * Connects now if idle, before there is anything to send: a node dials its peers while its
   * election timer runs, so that the first campaign does not also wait for two connection
   * set-ups (one each way) and leave a longer window for a competing campaign.
   */
  warm(): void {
    if (this.#state !== 'idle') return;
    this.#isWarmup = true;
    this.#connect();
  }

  send(payload: Uint8Array): void {
    if (this.#state === 'closed') return;
    this.#isWarmup = false;
    if (payload.byteLength > this.#ctx.options.maxFrameBytes) {
      // The peer would refuse it and close the connection: never send it.
      this.#droppedFrames++;
      this.#ctx.logger.warn('raft transport: payload larger than the maximum frame size dropped', {
        peer: this.#peer,
        bytes: payload.byteLength,
        maxFrameBytes: this.#ctx.options.maxFrameBytes,
      });
      this.#ctx.onUnreachable(this.#peer, 'payload larger than the maximum frame size: dropped');
      return;
    }
    if (this.#queueBytes + payload.byteLength > this.#ctx.options.maxQueueBytes) {
      this.#droppedFrames++;
      this.#ctx.onUnreachable(this.#peer, 'send queue full: payload dropped');
      return;
    }
    this.#queue.push(payload);
    this.#queueBytes += payload.byteLength;
    if (this.#state === 'idle') this.#connect();
    else if (this.#state === 'open') this.#scheduleFlush();
  }

  /** Closes an open connection that carried nothing for the idle timeout. */
  sweepIdle(now: number): void {
    if (
      this.#state === 'open' &&
      this.#queue.length === 0 &&
      now - this.#lastActivity > this.#ctx.options.idleTimeoutMs
    ) {
      this.#ctx.logger.debug('raft transport: idle connection closed', { peer: this.#peer });
      this.#socket?.destroy();
      this.#socket = null;
      this.#state = 'idle';
    }
  }

  close(): void {
    this.#state = 'closed';
    this.#timer?.cancel();
    this.#writeTimer?.cancel();
    this.#socket?.destroy();
    this.#socket = null;
    this.#queue = [];
    this.#queueBytes = 0;
  }

  #connect(): void {
    const target = parseAddress(this.#address);
    if (target === null) {
      this.#fail(`bad peer address ${this.#address}`, true);
      return;
    }
    this.#state = 'connecting';
    this.#listenerProved = false;
    const ctx = this.#ctx;
    const tls = ctx.tls;
    const socket: Socket = tls
      ? tlsConnect({
          host: target.host,
          port: target.port,
          key: tls.key,
          cert: tls.cert,
          ca: tls.ca as string,
          checkServerIdentity: () => undefined,
          ...(ctx.lookup === undefined ? {} : { lookup: ctx.lookup }),
        })
      : netConnect({
          host: target.host,
          port: target.port,
          ...(ctx.lookup === undefined ? {} : { lookup: ctx.lookup }),
        });
    socket.setNoDelay(true);
    this.#socket = socket;
    this.#timer = ctx.clock.setTimer(ctx.options.connectTimeoutMs, () =>
      this.#fail('connect or handshake timed out', true),
    );
    const nonce = newNonce();
    // A listener only ever sends handshake frames: a dialed address (maybe not a peer at all)
    // cannot make this node buffer more than the pre-authentication limit.
    const decoder = new FrameDecoder(ctx.options.maxHandshakeFrameBytes);
    socket.once(tls ? 'secureConnect' : 'connect', () => {
      socket.write(
        encodeFrame(
          FrameKind.Hello,
          encodeJson({
            v: PROTOCOL_VERSION,
            cluster: ctx.clusterId,
            from: ctx.localId,
            nonce,
            addr: ctx.localAddress(),
          }),
        ),
      );
    });
    socket.on('data', (chunk: Buffer) => {
      if (this.#socket !== socket) return;
      try {
        for (const f of decoder.push(chunk)) this.#onHandshakeFrame(socket, f.kind, f.payload, nonce);
      } catch (err) {
        this.#fail(`handshake failed: ${errorField(err)}`, true);
      }
    });
    socket.on('drain', () => {
      this.#writeTimer?.cancel();
      this.#writeTimer = null;
      this.#scheduleFlush();
    });
    socket.on('error', (err) => {
      if (this.#socket === socket) this.#fail(errorField(err), true);
    });
    socket.on('close', () => {
      if (this.#socket === socket) this.#fail('connection closed by peer', true);
    });
  }

  #onHandshakeFrame(socket: Socket, kind: FrameKind, payload: Buffer, nonce: string): void {
    const ctx = this.#ctx;
    if (this.#state === 'open') throw new Error(`unexpected frame kind ${kind} on an open outbound connection`);
    switch (kind) {
      case FrameKind.Refuse:
        throw new Error(`refused by peer: ${decodeJson<Refuse>(payload, ['reason'], 'REFUSE').reason}`);
      case FrameKind.Challenge: {
        if (ctx.secret === undefined) throw new Error('peer requires a shared secret and none is configured');
        const c = decodeJson<Challenge>(payload, ['nonce', 'proof'], 'CHALLENGE');
        if (!proofMatches(proof(ctx.secret, 'listener', ctx.clusterId, ctx.localId, nonce), c.proof)) {
          throw new Error('peer failed to prove the shared secret');
        }
        this.#listenerProved = true;
        socket.write(
          encodeFrame(
            FrameKind.Auth,
            encodeJson({ proof: proof(ctx.secret, 'dialer', ctx.clusterId, ctx.localId, c.nonce) }),
          ),
        );
        return;
      }
      case FrameKind.Welcome:
        if (ctx.secret !== undefined && !this.#listenerProved)
          throw new Error('peer did not authenticate (no shared secret configured there)');
        this.#timer?.cancel();
        this.#timer = null;
        this.#state = 'open';
        this.#isWarmup = false;
        this.#attempts = 0;
        this.#lastActivity = ctx.clock.now();
        ctx.logger.debug('raft transport: connected', { peer: this.#peer, address: this.#address });
        this.#scheduleFlush();
        return;
      default:
        throw new Error(`unexpected frame kind ${kind} during handshake`);
    }
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    queueMicrotask(() => this.#flush());
  }

  #flush(): void {
    this.#flushScheduled = false;
    const socket = this.#socket;
    if (this.#state !== 'open' || socket === null || this.#queue.length === 0) return;
    if (socket.writableLength > HIGH_WATER_BYTES) return; // 'drain' schedules the next flush
    const batch = this.#queue;
    const bytes = this.#queueBytes;
    this.#queue = [];
    this.#queueBytes = 0;
    const ok = socket.write(encodeDataFrames(batch, bytes));
    this.#sentFrames += batch.length;
    this.#lastActivity = this.#ctx.clock.now();
    if (!ok && this.#writeTimer === null) {
      this.#writeTimer = this.#ctx.clock.setTimer(this.#ctx.options.writeTimeoutMs, () =>
        this.#fail('write timed out', true),
      );
    }
  }

  #fail(reason: string, report: boolean): void {
    if (this.#state === 'closed') return;
    this.#timer?.cancel();
    this.#writeTimer?.cancel();
    this.#writeTimer = null;
    this.#socket?.destroy();
    this.#socket = null;
    // Messages queued for a broken connection are stale by the time it is back: Raft resends.
    this.#droppedFrames += this.#queue.length;
    this.#queue = [];
    this.#queueBytes = 0;
    if (this.#isWarmup) {
      // A peer not up yet when this node starts: the first message sent to it will report it.
      this.#isWarmup = false;
      this.#ctx.logger.debug('raft transport: early connection failed', { peer: this.#peer, reason });
      report = false;
    }
    if (report) {
      // Warn once per streak of failures; later attempts (one per backoff) only at debug level.
      const logger = this.#ctx.logger;
      (this.#attempts === 0 ? logger.warn : logger.debug).call(logger, 'raft transport: peer unreachable', {
        peer: this.#peer,
        address: this.#address,
        reason,
        attempt: this.#attempts,
      });
      this.#ctx.onUnreachable(this.#peer, reason);
    }
    const { backoffInitialMs, backoffMaxMs } = this.#ctx.options;
    const delay = Math.min(backoffMaxMs, backoffInitialMs * 2 ** this.#attempts) * (0.5 + this.#ctx.random() / 2);
    this.#attempts = Math.min(this.#attempts + 1, 30);
    this.#state = 'backoff';
    this.#timer = this.#ctx.clock.setTimer(delay, () => {
      this.#timer = null;
      if (this.#state !== 'backoff') return;
      this.#state = 'idle';
      if (this.#queue.length > 0) this.#connect();
    });
  }
}
