// A compact binary encoding of the core's Message union. One pass computes the size, one
// allocation holds the message, and decoded entry payloads are views into the received bytes
// (no per-entry copies). Numbers (terms, indexes, offsets) are written as 64-bit floats: exact
// for every integer up to 2^53. Layout: [u8 wire version][u8 type tag][from][to][term][fields].
import type { Message, MessageType } from '../core/messages.js';
import { messageTypes } from '../core/messages.js';
import type { ConfState, Entry, EntryType, LogIndex, NodeId, SnapshotMeta, Term } from '../core/types.js';
import { RaftError } from '../errors.js';

/** The codec's version byte; a message with another is refused. */
export const WIRE_VERSION = 1;

const tagOf = new Map<MessageType, number>(messageTypes.map((t, i) => [t, i]));
const ENTRY_TYPES: ReadonlySet<number> = new Set([0, 1, 2]);

const strBytes = (s: string): number => 2 + Buffer.byteLength(s, 'utf8');
const listBytes = (xs: readonly string[]): number => {
  let n = 2;
  for (const x of xs) n += strBytes(x);
  return n;
};
const confBytes = (c: ConfState): number => listBytes(c.voters) + listBytes(c.learners) + listBytes(c.votersOutgoing);

function bodyBytes(m: Message): number {
  switch (m.type) {
    case 'vote':
    case 'preVote':
      return 17;
    case 'voteResp':
    case 'preVoteResp':
      return 1;
    case 'append': {
      let n = 28;
      for (const e of m.entries) n += 21 + e.data.byteLength;
      return n;
    }
    case 'appendResp':
      return 25;
    case 'heartbeat':
      return 16;
    case 'heartbeatResp':
      return 8;
    case 'snapshot':
      return 16 + confBytes(m.meta.conf) + 8 + 1 + 4 + m.data.byteLength;
    case 'snapshotResp':
      return 17;
    case 'timeoutNow':
      return 0;
    case 'readIndex':
      return 4 + m.context.byteLength;
    case 'readIndexResp':
      return 9 + 4 + m.context.byteLength;
  }
}

class Writer {
  at = 0;
  readonly buf: Buffer;
  constructor(buf: Buffer) {
    this.buf = buf;
  }
  u8(v: number): void {
    this.buf[this.at++] = v;
  }
  u16(v: number): void {
    this.buf.writeUInt16LE(v, this.at);
    this.at += 2;
  }
  u32(v: number): void {
    this.buf.writeUInt32LE(v, this.at);
    this.at += 4;
  }
  num(v: number): void {
    this.buf.writeDoubleLE(v, this.at);
    this.at += 8;
  }
  str(s: string): void {
    const n = this.buf.write(s, this.at + 2, 'utf8');
    this.buf.writeUInt16LE(n, this.at);
    this.at += 2 + n;
  }
  list(xs: readonly string[]): void {
    this.u16(xs.length);
    for (const x of xs) this.str(x);
  }
  bytes(b: Uint8Array): void {
    this.u32(b.byteLength);
    this.buf.set(b, this.at);
    this.at += b.byteLength;
  }
}

/**
 * Encodes a message for the wire.
 *
 * @example
 * ```ts
 * transport.send(msg.to, encodeMessage(msg));
 * ```
 */
export function encodeMessage(m: Message): Buffer {
  const tag = tagOf.get(m.type);
  if (tag === undefined)
    throw new RaftError('INVALID_ARGUMENT', `encodeMessage: unknown message type ${String(m.type)}`);
  const buf = Buffer.allocUnsafe(2 + strBytes(m.from) + strBytes(m.to) + 8 + bodyBytes(m));
  const w = new Writer(buf);
  w.u8(WIRE_VERSION);
  w.u8(tag);
  w.str(m.from);
  w.str(m.to);
  w.num(m.term);
  switch (m.type) {
    case 'vote':
    case 'preVote':
      w.num(m.lastIndex);
      w.num(m.lastTerm);
      w.u8(m.isTransfer ? 1 : 0);
      break;
    case 'voteResp':
    case 'preVoteResp':
      w.u8(m.granted ? 1 : 0);
      break;
    case 'append':
      w.num(m.prevIndex);
      w.num(m.prevTerm);
      w.num(m.commit);
      w.u32(m.entries.length);
      for (const e of m.entries) {
        w.num(e.index);
        w.num(e.term);
        w.u8(e.type);
        w.bytes(e.data);
      }
      break;
    case 'appendResp':
      w.num(m.index);
      w.u8(m.reject ? 1 : 0);
      w.num(m.hintIndex);
      w.num(m.hintTerm);
      break;
    case 'heartbeat':
      w.num(m.commit);
      w.num(m.readSeq);
      break;
    case 'heartbeatResp':
      w.num(m.readSeq);
      break;
    case 'snapshot':
      w.num(m.meta.index);
      w.num(m.meta.term);
      w.list(m.meta.conf.voters);
      w.list(m.meta.conf.learners);
      w.list(m.meta.conf.votersOutgoing);
      w.num(m.offset);
      w.u8(m.done ? 1 : 0);
      w.bytes(m.data);
      break;
    case 'snapshotResp':
      w.num(m.index);
      w.num(m.nextOffset);
      w.u8(m.reject ? 1 : 0);
      break;
    case 'timeoutNow':
      break;
    case 'readIndex':
      w.bytes(m.context);
      break;
    case 'readIndexResp':
      w.num(m.index);
      w.u8(m.reject ? 1 : 0);
      w.bytes(m.context);
      break;
  }
  return buf;
}

class Reader {
  at = 0;
  readonly buf: Buffer;
  constructor(bytes: Uint8Array) {
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  #need(n: number, what: string): void {
    if (this.at + n > this.buf.length) throw new RaftError('PROTOCOL', `message truncated reading ${what}`);
  }
  u8(what: string): number {
    this.#need(1, what);
    return this.buf[this.at++]!;
  }
  bool(what: string): boolean {
    const v = this.u8(what);
    if (v > 1) throw new RaftError('PROTOCOL', `message field ${what} is not a boolean`);
    return v === 1;
  }
  u16(what: string): number {
    this.#need(2, what);
    const v = this.buf.readUInt16LE(this.at);
    this.at += 2;
    return v;
  }
  u32(what: string): number {
    this.#need(4, what);
    const v = this.buf.readUInt32LE(this.at);
    this.at += 4;
    return v;
  }
  /** A non-negative integer. */
  num(what: string): number {
    this.#need(8, what);
    const v = this.buf.readDoubleLE(this.at);
    this.at += 8;
    if (!Number.isSafeInteger(v) || v < 0)
      throw new RaftError('PROTOCOL', `message field ${what} is not a non-negative integer`);
    return v;
  }
  str(what: string): string {
    const n = this.u16(what);
    this.#need(n, what);
    const s = this.buf.toString('utf8', this.at, this.at + n);
    this.at += n;
    return s;
  }
  list(what: string): string[] {
    const n = this.u16(what);
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.str(what));
    return out;
  }
  bytes(what: string): Buffer {
    const n = this.u32(what);
    this.#need(n, what);
    const b = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return b;
  }
}

/**
 * Decodes a message; throws a `PROTOCOL` RaftError naming the problem for a truncated message,
 * an unknown type or version, a malformed field or trailing bytes. Byte fields are views into `bytes`.
 */
export function decodeMessage(bytes: Uint8Array): Message {
  const r = new Reader(bytes);
  const version = r.u8('version');
  if (version !== WIRE_VERSION) throw new RaftError('PROTOCOL', `unsupported message wire version ${version}`);
  const tag = r.u8('type');
  const type = messageTypes[tag];
  if (type === undefined) throw new RaftError('PROTOCOL', `unknown message type ${tag}`);
  const from = r.str('from') as NodeId;
  const to = r.str('to') as NodeId;
  const term = r.num('term') as Term;
  const h = { from, to, term };
  let m: Message;
  switch (type) {
    case 'vote':
    case 'preVote':
      m = {
        type,
        ...h,
        lastIndex: r.num('lastIndex') as LogIndex,
        lastTerm: r.num('lastTerm') as Term,
        isTransfer: r.bool('isTransfer'),
      };
      break;
    case 'voteResp':
    case 'preVoteResp':
      m = { type, ...h, granted: r.bool('granted') };
      break;
    case 'append': {
      const prevIndex = r.num('prevIndex') as LogIndex;
      const prevTerm = r.num('prevTerm') as Term;
      const commit = r.num('commit') as LogIndex;
      const count = r.u32('entries.length');
      if (count * 21 > r.buf.length - r.at) throw new RaftError('PROTOCOL', 'message truncated reading entries');
      const entries: Entry[] = new Array<Entry>(count);
      for (let i = 0; i < count; i++) {
        const index = r.num('entry.index') as LogIndex;
        const t = r.num('entry.term') as Term;
        const et = r.u8('entry.type');
        if (!ENTRY_TYPES.has(et)) throw new RaftError('PROTOCOL', `unknown entry type ${et}`);
        entries[i] = { index, term: t, type: et as EntryType, data: r.bytes('entry.data') };
      }
      m = { type, ...h, prevIndex, prevTerm, commit, entries };
      break;
    }
    case 'appendResp':
      m = {
        type,
        ...h,
        index: r.num('index') as LogIndex,
        reject: r.bool('reject'),
        hintIndex: r.num('hintIndex') as LogIndex,
        hintTerm: r.num('hintTerm') as Term,
      };
      break;
    case 'heartbeat':
      m = { type, ...h, commit: r.num('commit') as LogIndex, readSeq: r.num('readSeq') };
      break;
    case 'heartbeatResp':
      m = { type, ...h, readSeq: r.num('readSeq') };
      break;
    case 'snapshot': {
      const meta: SnapshotMeta = {
        index: r.num('meta.index') as LogIndex,
        term: r.num('meta.term') as Term,
        conf: {
          voters: r.list('meta.conf.voters') as NodeId[],
          learners: r.list('meta.conf.learners') as NodeId[],
          votersOutgoing: r.list('meta.conf.votersOutgoing') as NodeId[],
        },
      };
      m = { type, ...h, meta, offset: r.num('offset'), done: r.bool('done'), data: r.bytes('data') };
      break;
    }
    case 'snapshotResp':
      m = { type, ...h, index: r.num('index') as LogIndex, nextOffset: r.num('nextOffset'), reject: r.bool('reject') };
      break;
    case 'timeoutNow':
      m = { type, ...h };
      break;
    case 'readIndex':
      m = { type, ...h, context: r.bytes('context') };
      break;
    case 'readIndexResp':
      m = { type, ...h, index: r.num('index') as LogIndex, reject: r.bool('reject'), context: r.bytes('context') };
      break;
  }
  if (r.at !== r.buf.length)
    throw new RaftError('PROTOCOL', `${r.buf.length - r.at} trailing bytes after a ${type} message`);
  return m;
}
