import { BackendError } from '../errors.js';
import { camel, type ColumnDef, type RecordOf, type TableDef } from './column.js';

interface Field {
  readonly column: string;
  readonly property: string;
  readonly def: ColumnDef;
}

/**
 * Converts between a table's snake_case rows and the camelCase records repositories return:
 * booleans to 0/1 and back, bigint/decimal strings from drivers to numbers. Built once per table.
 */
export class RowCodec<T extends TableDef> {
  readonly table: T;
  readonly #fields: readonly Field[];

  constructor(table: T) {
    this.table = table;
    this.#fields = Object.entries(table.columns).map(([column, def]) => ({ column, property: camel(column), def }));
  }

  /** The table's column names, in definition order. */
  get columns(): readonly string[] {
    return this.#fields.map((f) => f.column);
  }

  /** A database row to a record. */
  decode(row: Readonly<Record<string, unknown>>): RecordOf<T> {
    const out: Record<string, unknown> = {};
    for (const f of this.#fields) out[f.property] = decodeValue(f.def, row[f.column]);
    return out as RecordOf<T>;
  }

  /**
   * A record to a database row, checking every value's type; `what` names the argument in errors.
   * Auto-increment columns are left out unless `withGenerated`.
   */
  encode(record: Readonly<Record<string, unknown>>, what: string, withGenerated = false): Record<string, unknown> {
    const row: Record<string, unknown> = {};
    for (const f of this.#fields) {
      if (f.def.autoIncrement && !withGenerated) continue;
      row[f.column] = encodeValue(f, record[f.property], what);
    }
    return row;
  }
}

function decodeValue(def: ColumnDef, value: unknown): unknown {
  if (value === null || value === undefined) return def.nullable ? null : defaultFor(def);
  switch (def.kind) {
    case 'bool':
      return value === 1 || value === true || value === '1' || (typeof value === 'bigint' && value !== 0n);
    case 'text':
    case 'longtext':
      return typeof value === 'string' ? value : String(value);
    default:
      return typeof value === 'number' ? value : Number(value);
  }
}

function defaultFor(def: ColumnDef): unknown {
  if (def.kind === 'bool') return false;
  if (def.kind === 'text' || def.kind === 'longtext') return '';
  return 0;
}

function encodeValue(f: Field, value: unknown, what: string): unknown {
  const { def } = f;
  if (value === null || value === undefined) {
    if (def.nullable) return null;
    throw new BackendError('invalid-argument', `${what}.${f.property}: required (${def.kind}), got ${String(value)}`);
  }
  switch (def.kind) {
    case 'bool':
      if (typeof value !== 'boolean')
        throw new BackendError('invalid-argument', `${what}.${f.property}: expected a boolean, got ${typeof value}`);
      return value ? 1 : 0;
    case 'text':
      if (typeof value !== 'string')
        throw new BackendError('invalid-argument', `${what}.${f.property}: expected a string, got ${typeof value}`);
      if (value.length > def.length)
        throw new BackendError('invalid-argument', `${what}.${f.property}: longer than ${def.length} characters`);
      return value;
    case 'longtext':
      if (typeof value !== 'string')
        throw new BackendError('invalid-argument', `${what}.${f.property}: expected a string, got ${typeof value}`);
      return value;
    default:
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
        throw new BackendError(
          'invalid-argument',
          `${what}.${f.property}: expected a safe integer, got ${String(value)}`,
        );
      }
      if (def.kind === 'int' && (value > 2147483647 || value < -2147483648)) {
        throw new BackendError('invalid-argument', `${what}.${f.property}: out of 32-bit range: ${value}`);
      }
      return value;
  }
}
