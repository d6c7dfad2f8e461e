// The wire's outer layer: every frame is [u32 big-endian payload length][u8 kind][payload].
// The decoder refuses a frame above the size limit as soon as its header arrives, before
// buffering it, so a garbage or hostile length cannot make a node allocate without bound.
import { RaftError } from '../errors.js';

/** Frame kinds. A handshake precedes any DATA frame on a connection. */
export const FrameKind = {
  Hello: 1,
  Challenge: 2,
  Auth: 3,
  Welcome: 4,
  Refuse: 5,
  Data: 6,
} as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

const KINDS: ReadonlySet<number> = new Set(Object.values(FrameKind));

/** Bytes of the frame header. */
export const FRAME_HEADER_BYTES = 5;

/** A decoded frame. `payload` is a view into received bytes; copy it to keep it beyond the call. */
export interface Frame {
  readonly kind: FrameKind;
  readonly payload: Buffer;
}

/** Encodes one frame into a new buffer. */
export function encodeFrame(kind: FrameKind, payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.byteLength);
  out.writeUInt32BE(payload.byteLength, 0);
  out[4] = kind;
  out.set(payload, FRAME_HEADER_BYTES);
  return out;
}

/** Writes several DATA frames into one buffer, so a batch costs one socket write. */
export function encodeDataFrames(payloads: readonly Uint8Array[], totalBytes: number): Buffer {
  const out = Buffer.allocUnsafe(payloads.length * FRAME_HEADER_BYTES + totalBytes);
  let at = 0;
  for (const p of payloads) {
    out.writeUInt32BE(p.byteLength, at);
    out[at + 4] = FrameKind.Data;
    out.set(p, at + FRAME_HEADER_BYTES);
    at += FRAME_HEADER_BYTES + p.byteLength;
  }
  return out;
}

/**
 * Reassembles frames from a byte stream. `push` returns the complete frames so far, or throws a
 * `PROTOCOL` RaftError for an oversized frame or an unknown kind (the caller closes the connection).
 * A frame that spans reads is joined once, when its last byte arrives: joining at every read
 * would copy a 1 MB append ~16 times over (8 MB of garbage buffers per frame while catching up).
 */
export class FrameDecoder {
  #maxFrameBytes: number;
  /** Reads holding the start of an incomplete frame. */
  #chunks: Buffer[] = [];
  #pending = 0;

  constructor(maxFrameBytes: number) {
    this.#maxFrameBytes = maxFrameBytes;
  }

  /**
   * Changes the size limit for frames whose header has not been read yet: a listener starts a
   * connection at the small pre-authentication limit and raises it once the peer authenticated.
   */
  setMaxFrameBytes(maxFrameBytes: number): void {
    this.#maxFrameBytes = maxFrameBytes;
  }

  /** Bytes of an incomplete frame held (non-zero when a stream ends mid-frame: truncated). */
  get pendingBytes(): number {
    return this.#pending;
  }

  push(chunk: Buffer): Frame[] {
    let buf = chunk;
    if (this.#chunks.length > 0) {
      this.#chunks.push(chunk);
      this.#pending += chunk.length;
      if (this.#pending < this.#frameBytes()) return [];
      buf = Buffer.concat(this.#chunks, this.#pending);
      this.#chunks = [];
      this.#pending = 0;
    }
    const frames: Frame[] = [];
    while (buf.length >= FRAME_HEADER_BYTES) {
      const len = this.#payloadBytes(buf);
      if (buf.length < FRAME_HEADER_BYTES + len) break;
      frames.push({ kind: buf[4] as FrameKind, payload: buf.subarray(FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + len) });
      buf = buf.subarray(FRAME_HEADER_BYTES + len);
    }
    if (buf.length > 0) {
      this.#chunks = [buf];
      this.#pending = buf.length;
    }
    return frames;
  }

  /** Bytes (header included) of the frame whose start is held, once its header is complete. */
  #frameBytes(): number {
    if (this.#pending < FRAME_HEADER_BYTES) return FRAME_HEADER_BYTES;
    let first = this.#chunks[0]!;
    if (first.length < FRAME_HEADER_BYTES) {
      first = Buffer.concat(this.#chunks, this.#pending);
      this.#chunks = [first];
    }
    return FRAME_HEADER_BYTES + this.#payloadBytes(first);
  }

  /** Checks the header at the start of `buf` and returns the payload length. */
  #payloadBytes(buf: Buffer): number {
    const len = buf.readUInt32BE(0);
    const kind = buf[4]!;
    if (len > this.#maxFrameBytes) {
      throw new RaftError('PROTOCOL', 'frame larger than the maximum frame size', {
        details: [{ path: 'frame.length', message: `is ${len}; maximum ${this.#maxFrameBytes}` }],
      });
    }
    if (!KINDS.has(kind)) {
      throw new RaftError('PROTOCOL', 'unknown frame kind', {
        details: [{ path: 'frame.kind', message: `is ${kind}` }],
      });
    }
    return len;
  }
}
