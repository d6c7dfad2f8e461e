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
  readonly #decode: (row: Readonly<Record<string, unknown>>) => Record<string, unknown>;
  readonly #encodeInto: EncodeInto;

  constructor(table: T) {
    this.table = table;
    this.#fields = Object.entries(table.columns).map(([column, def]) => ({ column, property: camel(column), def }));
    this.#decode = compileDecoder(this.#fields);
    this.#encodeInto = compileEncoder(this.#fields.filter((f) => !f.def.autoIncrement));
  }

  /** The table's column names, in definition order. */
  get columns(): readonly string[] {
    return this.#fields.map((f) => f.column);
  }

  /** The columns {@link encodeInto} writes, in order (auto-increment columns left out). */
  get insertColumns(): readonly string[] {
    return this.#fields.filter((f) => !f.def.autoIncrement).map((f) => f.column);
  }

  /**
   * Checks a record and writes its values, in {@link insertColumns} order, into `out` from index
   * `at`; returns the index after the last value written. Same checks and messages as {@link encode}.
   */
  encodeInto(record: Readonly<Record<string, unknown>>, what: string, out: unknown[], at: number): number {
    return this.#encodeInto(record, what, out, at, fail);
  }

  /** A database row to a record. */
  decode(row: Readonly<Record<string, unknown>>): RecordOf<T> {
    return this.#decode(row) as RecordOf<T>;
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

/**
 * Builds a decoder specialised to the table: one object literal, no per-field dispatch. Reading the
 * analysis input decodes ~800,000 fields; a generic loop costs more than the query. The generated
 * code only contains column names from the static schema definition.
 */
function compileDecoder(fields: readonly Field[]): (row: Readonly<Record<string, unknown>>) => Record<string, unknown> {
  const props = fields.map(
    (f) => `${JSON.stringify(f.property)}: ${decodeExpression(f.def, `r[${JSON.stringify(f.column)}]`)}`,
  );
  return new Function('r', `let v;\nreturn {\n${props.join(',\n')}\n};`) as (
    row: Readonly<Record<string, unknown>>,
  ) => Record<string, unknown>;
}

function decodeExpression(def: ColumnDef, read: string): string {
  const missing = def.nullable
    ? 'null'
    : def.kind === 'bool'
      ? 'false'
      : def.kind === 'text' || def.kind === 'longtext'
        ? "''"
        : '0';
  switch (def.kind) {
    case 'bool':
      return `((v = ${read}) == null ? ${missing} : v === 1 || v === true || v === '1' || v === 1n)`;
    case 'text':
    case 'longtext':
      return `(typeof (v = ${read}) === 'string' ? v : v == null ? ${missing} : String(v))`;
    default:
      return `(typeof (v = ${read}) === 'number' ? v : v == null ? ${missing} : Number(v))`;
  }
}

type EncodeInto = (
  record: Readonly<Record<string, unknown>>,
  what: string,
  out: unknown[],
  at: number,
  fail: (what: string, property: string, message: string) => never,
) => number;

function fail(what: string, property: string, message: string): never {
  throw new BackendError('INVALID_ARGUMENT', `${what}.${property}: ${message}`);
}

/** Like compileDecoder: one straight-line function per table, the checks of encodeValue inlined. */
function compileEncoder(fields: readonly Field[]): EncodeInto {
  const lines = fields.map((f) => {
    const p = JSON.stringify(f.property);
    const { def } = f;
    const onNull = def.nullable ? 'out[k++] = null;' : `fail(what, ${p}, 'required (${def.kind}), got ' + String(v));`;
    let check: string;
    switch (def.kind) {
      case 'bool':
        check = `if (typeof v !== 'boolean') fail(what, ${p}, 'expected a boolean, got ' + typeof v); out[k++] = v ? 1 : 0;`;
        break;
      case 'text':
        check = `if (typeof v !== 'string') fail(what, ${p}, 'expected a string, got ' + typeof v); if (v.length > ${def.length}) fail(what, ${p}, 'longer than ${def.length} characters'); out[k++] = v;`;
        break;
      case 'longtext':
        check = `if (typeof v !== 'string') fail(what, ${p}, 'expected a string, got ' + typeof v); out[k++] = v;`;
        break;
      case 'int':
        check = `if (typeof v !== 'number' || !Number.isSafeInteger(v)) fail(what, ${p}, 'expected a safe integer, got ' + String(v)); if (v > 2147483647 || v < -2147483648) fail(what, ${p}, 'out of 32-bit range: ' + v); out[k++] = v;`;
        break;
      default:
        check = `if (typeof v !== 'number' || !Number.isSafeInteger(v)) fail(what, ${p}, 'expected a safe integer, got ' + String(v)); out[k++] = v;`;
    }
    return `v = record[${p}];\nif (v === null || v === undefined) { ${onNull} } else { ${check} }`;
  });
  return new Function(
    'record',
    'what',
    'out',
    'at',
    'fail',
    `let v;\nlet k = at;\n${lines.join('\n')}\nreturn k;`,
  ) as EncodeInto;
}

function encodeValue(f: Field, value: unknown, what: string): unknown {
  const { def } = f;
  if (value === null || value === undefined) {
    if (def.nullable) return null;
    throw new BackendError('INVALID_ARGUMENT', `${what}.${f.property}: required (${def.kind}), got ${String(value)}`);
  }
  switch (def.kind) {
    case 'bool':
      if (typeof value !== 'boolean')
        throw new BackendError('INVALID_ARGUMENT', `${what}.${f.property}: expected a boolean, got ${typeof value}`);
      return value ? 1 : 0;
    case 'text':
      if (typeof value !== 'string')
        throw new BackendError('INVALID_ARGUMENT', `${what}.${f.property}: expected a string, got ${typeof value}`);
      if (value.length > def.length)
        throw new BackendError('INVALID_ARGUMENT', `${what}.${f.property}: longer than ${def.length} characters`);
      return value;
    case 'longtext':
      if (typeof value !== 'string')
        throw new BackendError('INVALID_ARGUMENT', `${what}.${f.property}: expected a string, got ${typeof value}`);
      return value;
    default:
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
        throw new BackendError(
          'INVALID_ARGUMENT',
          `${what}.${f.property}: expected a safe integer, got ${String(value)}`,
        );
      }
      if (def.kind === 'int' && (value > 2147483647 || value < -2147483648)) {
        throw new BackendError('INVALID_ARGUMENT', `${what}.${f.property}: out of 32-bit range: ${value}`);
      }
      return value;
  }
}
