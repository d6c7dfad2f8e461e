import { describe, it, expect } from '@jest/globals';
import { BackendError } from '../errors.js';
import { bool, camel, int, longtext, nullable, serial, table, text, time } from './column.js';
import { RowCodec } from './row-codec.js';

const t = table(
  't',
  { t_id: serial(), host_name: text(5), is_up: bool(), seen_at: time(), note: longtext(), lag: nullable(int()) },
  { primaryKey: ['t_id'] },
);
const codec = new RowCodec(t);

describe('RowCodec', () => {
  it('maps snake_case columns to camelCase fields, 0/1 to booleans and driver strings to numbers', () => {
    expect(codec.decode({ t_id: '7', host_name: 'db1', is_up: 1, seen_at: 5, note: 'n', lag: null })).toEqual({
      tId: 7,
      hostName: 'db1',
      isUp: true,
      seenAt: 5,
      note: 'n',
      lag: null,
    });
    expect(codec.decode({ t_id: 1, host_name: 'x', is_up: 0, seen_at: 0, note: '', lag: 3 }).isUp).toBe(false);
  });

  it('encodes records, leaving auto-increment out unless asked', () => {
    const record = { tId: 9, hostName: 'db1', isUp: true, seenAt: 5, note: '', lag: null };
    expect(codec.encode(record, 'r')).toEqual({ host_name: 'db1', is_up: 1, seen_at: 5, note: '', lag: null });
    expect(codec.encode(record, 'r', true)).toMatchObject({ t_id: 9 });
  });

  it('refuses wrong types, too-long text and out-of-range numbers, naming the field', () => {
    const ok = { hostName: 'db1', isUp: true, seenAt: 5, note: '', lag: null };
    expect(() => codec.encode({ ...ok, isUp: 1 }, 'r')).toThrow(/r\.isUp: expected a boolean/);
    expect(() => codec.encode({ ...ok, hostName: 'toolong' }, 'r')).toThrow(/r\.hostName: longer than 5/);
    expect(() => codec.encode({ ...ok, seenAt: 1.5 }, 'r')).toThrow(/r\.seenAt: expected a safe integer/);
    expect(() => codec.encode({ ...ok, lag: 2 ** 40 }, 'r')).toThrow(/32-bit/);
    expect(() => codec.encode({ ...ok, note: undefined }, 'r')).toThrow(BackendError);
  });

  it('encodeInto writes the same values as encode, flat, with the same checks', () => {
    const record = { tId: 9, hostName: 'db1', isUp: false, seenAt: 5, note: 'n', lag: null };
    const out: unknown[] = ['x'];
    expect(codec.insertColumns).toEqual(['host_name', 'is_up', 'seen_at', 'note', 'lag']);
    expect(codec.encodeInto(record, 'r', out, 1)).toBe(6);
    expect(out).toEqual(['x', 'db1', 0, 5, 'n', null]);
    expect(Object.values(codec.encode(record, 'r'))).toEqual(out.slice(1));
    const ok = { hostName: 'db1', isUp: true, seenAt: 5, note: '', lag: null };
    expect(() => codec.encodeInto({ ...ok, isUp: 1 }, 'r', [], 0)).toThrow(/r\.isUp: expected a boolean/);
    expect(() => codec.encodeInto({ ...ok, hostName: 'toolong' }, 'r', [], 0)).toThrow(/r\.hostName: longer than 5/);
    expect(() => codec.encodeInto({ ...ok, seenAt: 1.5 }, 'r', [], 0)).toThrow(/r\.seenAt: expected a safe integer/);
    expect(() => codec.encodeInto({ ...ok, lag: 2 ** 40 }, 'r', [], 0)).toThrow(/32-bit/);
    expect(() => codec.encodeInto({ ...ok, note: undefined }, 'r', [], 0)).toThrow(/r\.note: required/);
  });

  it('camel() matches the type-level conversion', () => {
    expect(camel('semi_sync_master_wait_for_slave_count')).toBe('semiSyncMasterWaitForSlaveCount');
    expect(camel('hostname')).toBe('hostname');
  });
});
