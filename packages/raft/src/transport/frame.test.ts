import { describe, it, expect } from '@jest/globals';
import { encodeDataFrames, encodeFrame, FrameDecoder, FrameKind } from './frame.js';

describe('FrameDecoder', () => {
  it('reassembles frames split at every byte boundary', () => {
    const bytes = Buffer.concat([
      encodeFrame(FrameKind.Hello, Buffer.from('hi')),
      encodeDataFrames([Buffer.from('abc'), Buffer.alloc(0)], 3),
    ]);
    const d = new FrameDecoder(1024);
    const got: string[] = [];
    for (const b of bytes) for (const f of d.push(Buffer.from([b]))) got.push(`${f.kind}:${f.payload.toString()}`);
    expect(got).toEqual(['1:hi', '6:abc', '6:']);
    expect(d.pendingBytes).toBe(0);
  });

  it('refuses an oversized frame from its header alone', () => {
    const header = Buffer.from([0, 0, 4, 1, FrameKind.Data]);
    expect(() => new FrameDecoder(1024).push(header)).toThrow(/larger than the maximum frame size/);
  });

  it('refuses an unknown frame kind', () => {
    expect(() => new FrameDecoder(1024).push(Buffer.from([0, 0, 0, 0, 99]))).toThrow(/unknown frame kind/);
  });

  it('holds an incomplete frame as pending bytes', () => {
    const d = new FrameDecoder(1024);
    expect(d.push(encodeFrame(FrameKind.Data, Buffer.from('hello')).subarray(0, 7))).toEqual([]);
    expect(d.pendingBytes).toBe(7);
  });

  it('joins a frame spread over many reads once, with the frames around it intact', () => {
    const big = Buffer.alloc(300_000, 7);
    const bytes = Buffer.concat([
      encodeFrame(FrameKind.Data, Buffer.from('a')),
      encodeFrame(FrameKind.Data, big),
      encodeFrame(FrameKind.Data, Buffer.from('b')),
    ]);
    const d = new FrameDecoder(1 << 20);
    const got: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += 4096)
      got.push(...d.push(bytes.subarray(at, at + 4096)).map((f) => f.payload));
    expect(got.map((p) => p.length)).toEqual([1, 300_000, 1]);
    expect(got[1]!.equals(big)).toBe(true);
    expect(d.pendingBytes).toBe(0);
  });

  it('refuses an oversized frame whose header arrives split over reads', () => {
    const e = new FrameDecoder(1024);
    expect(e.push(Buffer.from([0, 0]))).toEqual([]);
    expect(() => e.push(Buffer.from([4, 1, FrameKind.Data]))).toThrow(/larger than the maximum frame size/);
  });
});
