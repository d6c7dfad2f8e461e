// The on-disk format of the SQLite log store, its versions, and the per-entry checksum.
// Format 1 (before checksums): raft_log(idx, term, type, data). Format 2 adds `crc`, a CRC-32
// over the entry's index, term, type and data, written with the entry and verified on every
// read; a format-1 file is migrated in place, in one transaction, when it is opened (ADR 0213).
import { crc32 } from 'node:zlib';
import { RaftError } from '../errors.js';
import type { SqliteDatabase } from './sqlite-types.js';

/** The format this version writes. Stored in raft_meta under `format`. */
export const LOG_FORMAT = 2;

/** Creates a fresh store in the current format (no-op for tables that exist). */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS raft_log (idx INTEGER PRIMARY KEY, term INTEGER NOT NULL, type INTEGER NOT NULL, data BLOB NOT NULL, crc INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS raft_meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
`;

// CRC-32 (the zlib polynomial, reflected) one byte at a time, for the 17-byte header only: a
// JS loop over it costs less than a second call into zlib plus writing the floats into a Buffer,
// and the value is the same as `crc32(header)` (stored checksums do not change).
const CRC_TABLE = new Int32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  CRC_TABLE[n] = c;
}
const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
// Index of each big-endian byte of a float64 in the platform's own layout.
const beOrder = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 7 : 0;

/** Folds `value` as 8 big-endian float64 bytes into a running (pre-inverted) CRC. */
function crcDouble(crc: number, value: number): number {
  f64[0] = value;
  for (let i = 0; i < 8; i++) crc = CRC_TABLE[(crc ^ f64Bytes[i ^ beOrder]!) & 0xff]! ^ (crc >>> 8);
  return crc;
}

/**
 * CRC-32 of an entry: index and term as big-endian 64-bit floats (exact for every safe integer),
 * the type byte, then the data. Covering the position means an intact entry moved to another
 * index (or given another term) fails too, not only a flipped data byte.
 *
 * @example
 * ```ts
 * const crc = entryChecksum(7, 2, 0, Buffer.from('x'));
 * ```
 */
export function entryChecksum(index: number, term: number, type: number, data: Uint8Array): number {
  let c = crcDouble(crcDouble(-1, index), term);
  c = CRC_TABLE[(c ^ type) & 0xff]! ^ (c >>> 8);
  return crc32(data, (c ^ -1) >>> 0);
}

/** Throws the fatal CORRUPTED error for the entry at `index` when its checksum does not match. */
export function verifyEntry(
  file: string,
  index: number,
  term: number,
  type: number,
  data: Uint8Array,
  crc: number,
): void {
  const actual = entryChecksum(index, term, type, data);
  if (actual === crc) return;
  throw new RaftError('CORRUPTED', `log entry ${index} in ${file} fails its checksum: the log is damaged`, {
    details: [{ path: `log.${index}`, message: `stored checksum ${crc}, computed ${actual}` }],
  });
}

/**
 * Brings an opened database to the current format inside one transaction: creates a fresh one,
 * or adds checksums to a format-1 log (each existing entry checksummed as it is now: what an
 * older version wrote is trusted once, as it was before). Refuses a newer format.
 */
export function migrateLog(db: SqliteDatabase, file: string): { readonly from: number; readonly migrated: number } {
  const columns = (db.prepare('PRAGMA table_info(raft_log)').all() as { name: string }[]).map((c) => c.name);
  if (columns.length === 0) {
    db.exec(SCHEMA);
    db.prepare('INSERT OR REPLACE INTO raft_meta (k, v) VALUES (?, ?)').run('format', String(LOG_FORMAT));
    return { from: LOG_FORMAT, migrated: 0 };
  }
  db.exec(SCHEMA);
  const stored = db.prepare("SELECT v FROM raft_meta WHERE k = 'format'").pluck(true).get() as string | undefined;
  const from = stored === undefined ? (columns.includes('crc') ? LOG_FORMAT : 1) : Number(stored);
  if (!Number.isInteger(from) || from > LOG_FORMAT) {
    throw new RaftError('STORAGE', `the log at ${file} has format ${stored}, newer than this version reads`, {
      details: [{ path: 'raft_meta.format', message: `is ${stored}; this version reads up to ${LOG_FORMAT}` }],
    });
  }
  let migrated = 0;
  if (from < 2) {
    if (!columns.includes('crc')) db.exec('ALTER TABLE raft_log ADD COLUMN crc INTEGER NOT NULL DEFAULT 0');
    const update = db.prepare('UPDATE raft_log SET crc = ? WHERE idx = ?');
    const rows = db.prepare('SELECT idx, term, type, data FROM raft_log').raw(true).all() as [
      number,
      number,
      number,
      Buffer,
    ][];
    for (const [idx, term, type, data] of rows) update.run(entryChecksum(idx, term, type, data), idx);
    migrated = rows.length;
  }
  db.prepare('INSERT OR REPLACE INTO raft_meta (k, v) VALUES (?, ?)').run('format', String(LOG_FORMAT));
  return { from, migrated };
}
