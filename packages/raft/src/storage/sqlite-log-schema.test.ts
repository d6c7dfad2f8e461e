import { describe, it, expect } from '@jest/globals';
import { crc32 } from 'node:zlib';
import { entryChecksum, verifyEntry } from './sqlite-log-schema.js';

// The format-2 definition, spelled out the slow way: CRC-32 of index and term as big-endian
// float64s, the type byte, then the data. Every checksum already on disk was computed like this,
// so the fast path must give the same value for every input.
function reference(index: number, term: number, type: number, data: Uint8Array): number {
  const header = Buffer.alloc(17);
  header.writeDoubleBE(index, 0);
  header.writeDoubleBE(term, 8);
  header[16] = type;
  return crc32(data, crc32(header));
}

describe('entryChecksum', () => {
  it('gives the format-2 value for small, large and edge indexes, terms, types and data', () => {
    const datas = [
      new Uint8Array(0),
      Buffer.from('x'),
      Buffer.alloc(100, 0x61),
      new Uint8Array(4096).map((_, i) => i * 7),
    ];
    const numbers = [0, 1, 255, 256, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER];
    let checked = 0;
    for (const index of numbers)
      for (const term of numbers.slice(0, 5))
        for (const type of [0, 1, 2, 255])
          for (const data of datas) {
            expect(entryChecksum(index, term, type, data)).toBe(reference(index, term, type, data));
            checked++;
          }
    expect(checked).toBe(8 * 5 * 4 * 4);
  });

  it('is an unsigned 32-bit value that changes with the position, not only with the data', () => {
    const data = Buffer.from('value');
    const crc = entryChecksum(7, 2, 0, data);
    expect(crc).toBeGreaterThanOrEqual(0);
    expect(crc).toBeLessThan(2 ** 32);
    expect(entryChecksum(8, 2, 0, data)).not.toBe(crc);
    expect(entryChecksum(7, 3, 0, data)).not.toBe(crc);
    expect(entryChecksum(7, 2, 1, data)).not.toBe(crc);
  });

  it('lets verifyEntry accept the stored value and refuse a changed byte, naming the index', () => {
    const data = Buffer.from('value');
    const crc = entryChecksum(9, 1, 0, data);
    expect(() => verifyEntry('log.db', 9, 1, 0, data, crc)).not.toThrow();
    expect(() => verifyEntry('log.db', 9, 1, 0, Buffer.from('valuE'), crc)).toThrow(/log entry 9 in log\.db/);
  });
});
