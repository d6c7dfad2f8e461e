import { describe, it, expect } from '@jest/globals';
import type { Message } from '../core/messages.js';
import { EntryType, logIndex, nodeId, term } from '../core/types.js';
import { decodeMessage, encodeMessage } from './message-codec.js';

const h = { from: nodeId('node-a'), to: nodeId('nœud-b'), term: term(7) };
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const conf = { voters: [nodeId('a'), nodeId('b')], learners: [nodeId('c')], votersOutgoing: [] };

const samples: Message[] = [
  { type: 'vote', ...h, lastIndex: logIndex(10), lastTerm: term(6), isTransfer: true },
  { type: 'preVote', ...h, lastIndex: logIndex(0), lastTerm: term(0), isTransfer: false },
  { type: 'voteResp', ...h, granted: true },
  { type: 'preVoteResp', ...h, granted: false },
  {
    type: 'append',
    ...h,
    prevIndex: logIndex(9),
    prevTerm: term(6),
    commit: logIndex(8),
    entries: [
      { index: logIndex(10), term: term(7), type: EntryType.Command, data: bytes('set x=1') },
      { index: logIndex(11), term: term(7), type: EntryType.Noop, data: new Uint8Array(0) },
      { index: logIndex(2 ** 40), term: term(7), type: EntryType.ConfChange, data: bytes('cc') },
    ],
  },
  { type: 'append', ...h, prevIndex: logIndex(9), prevTerm: term(6), commit: logIndex(8), entries: [] },
  { type: 'appendResp', ...h, index: logIndex(5), reject: true, hintIndex: logIndex(3), hintTerm: term(2) },
  { type: 'heartbeat', ...h, commit: logIndex(4), readSeq: 12 },
  { type: 'heartbeatResp', ...h, readSeq: 12 },
  {
    type: 'snapshot',
    ...h,
    meta: { index: logIndex(100), term: term(5), conf },
    offset: 4096,
    data: bytes('chunk'),
    done: true,
  },
  { type: 'snapshotResp', ...h, index: logIndex(100), nextOffset: 8192, reject: false },
  { type: 'timeoutNow', ...h },
  { type: 'readIndex', ...h, context: bytes('ctx') },
  { type: 'readIndexResp', ...h, index: logIndex(44), reject: false, context: bytes('ctx') },
];

const plain = (v: unknown): unknown => {
  if (v instanceof Uint8Array) return Array.from(v);
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
};

describe('message codec', () => {
  it.each(samples.map((m) => [m.type, m] as const))('round-trips %s', (_t, m) => {
    expect(plain(decodeMessage(encodeMessage(m)))).toEqual(plain(m));
  });

  it('refuses every truncation of every message', () => {
    for (const m of samples) {
      const enc = encodeMessage(m);
      for (let n = 0; n < enc.length; n++) expect(() => decodeMessage(enc.subarray(0, n))).toThrow(/truncated/);
    }
  });

  it('refuses an unknown message type, another version, trailing bytes and malformed fields', () => {
    const enc = encodeMessage(samples[2]!);
    const unknown = Buffer.from(enc);
    unknown[1] = 200;
    expect(() => decodeMessage(unknown)).toThrow('unknown message type 200');
    const version = Buffer.from(enc);
    version[0] = 9;
    expect(() => decodeMessage(version)).toThrow('unsupported message wire version 9');
    expect(() => decodeMessage(Buffer.concat([enc, Buffer.from([0])]))).toThrow(/trailing bytes/);
    const badBool = Buffer.from(enc);
    badBool[badBool.length - 1] = 7;
    expect(() => decodeMessage(badBool)).toThrow(/granted is not a boolean/);
    const negTerm = Buffer.from(enc);
    negTerm.writeDoubleLE(-1, negTerm.length - 9);
    expect(() => decodeMessage(negTerm)).toThrow(/term is not a non-negative integer/);
  });

  it('refuses garbage without crashing', () => {
    let seed = 42;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed & 0xff);
    for (let i = 0; i < 500; i++) {
      const junk = Buffer.from(Array.from({ length: rnd() }, rnd));
      try {
        decodeMessage(junk);
      } catch (err) {
        expect((err as { code?: string }).code).toBe('PROTOCOL');
      }
    }
  });
});
