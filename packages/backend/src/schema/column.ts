import type { Generated } from 'kysely';

/**
 * The logical column kinds of orc's schema. Each dialect renders them (see `ddl.ts`):
 *
 * | kind       | MySQL/MariaDB        | SQLite  | TypeScript            |
 * | ---------- | -------------------- | ------- | --------------------- |
 * | `text`     | `varchar(length)`    | TEXT    | string                |
 * | `longtext` | `mediumtext`         | TEXT    | string (not in keys)  |
 * | `int`      | `int`                | INTEGER | number                |
 * | `bigint`   | `bigint`             | INTEGER | number                |
 * | `bool`     | `tinyint`            | INTEGER | boolean (0/1 stored)  |
 * | `time`     | `bigint`             | INTEGER | epoch milliseconds    |
 */
export type ColumnKind = 'text' | 'longtext' | 'int' | 'bigint' | 'bool' | 'time';

/** One column of a table definition. */
export interface ColumnDef<
  K extends ColumnKind = ColumnKind,
  N extends boolean = boolean,
  A extends boolean = boolean,
> {
  readonly kind: K;
  readonly nullable: N;
  readonly autoIncrement: A;
  /** For `text`: the maximum number of characters. */
  readonly length: number;
}

function column<K extends ColumnKind>(kind: K, length = 0): ColumnDef<K, false, false> {
  return Object.freeze({ kind, nullable: false as const, autoIncrement: false as const, length });
}

/** A `varchar(length)` column. */
export function text(length: number): ColumnDef<'text', false, false> {
  return column('text', length);
}
/** A long text column (never part of a key). */
export function longtext(): ColumnDef<'longtext', false, false> {
  return column('longtext');
}
/** A 32-bit integer column. */
export function int(): ColumnDef<'int', false, false> {
  return column('int');
}
/** A 64-bit integer column (values stay within JavaScript's safe integers). */
export function bigint(): ColumnDef<'bigint', false, false> {
  return column('bigint');
}
/** An auto-increment 64-bit primary key. */
export function serial(): ColumnDef<'bigint', false, true> {
  return Object.freeze({ kind: 'bigint' as const, nullable: false as const, autoIncrement: true as const, length: 0 });
}
/** A boolean stored as 0/1. */
export function bool(): ColumnDef<'bool', false, false> {
  return column('bool');
}
/** A point in time, stored as epoch milliseconds. */
export function time(): ColumnDef<'time', false, false> {
  return column('time');
}
/** The same column, allowing NULL. */
export function nullable<K extends ColumnKind>(def: ColumnDef<K, false, false>): ColumnDef<K, true, false> {
  return Object.freeze({ ...def, nullable: true as const, autoIncrement: false as const });
}

/** A named index or unique key over columns. */
export interface IndexDef {
  readonly name: string;
  readonly columns: readonly string[];
}

/** A table: orchestrator's name, its columns in order, its keys. */
export interface TableDef<C extends Readonly<Record<string, ColumnDef>> = Readonly<Record<string, ColumnDef>>> {
  readonly name: string;
  readonly columns: C;
  readonly primaryKey: readonly string[];
  readonly uniques: readonly IndexDef[];
  readonly indexes: readonly IndexDef[];
}

/** Defines a table; column order is the order of `columns`. */
export function table<const C extends Readonly<Record<string, ColumnDef>>>(
  name: string,
  columns: C,
  keys: { primaryKey: readonly (keyof C & string)[]; uniques?: readonly IndexDef[]; indexes?: readonly IndexDef[] },
): TableDef<C> {
  return Object.freeze({
    name,
    columns,
    primaryKey: keys.primaryKey,
    uniques: keys.uniques ?? [],
    indexes: keys.indexes ?? [],
  });
}

/** `snake_case` to `camelCase`, at the type level. */
export type Camel<S extends string> = S extends `${infer H}_${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;

/** `snake_case` to `camelCase`, at run time (matches {@link Camel}). */
export function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

type DomainValue<D> =
  D extends ColumnDef<infer K, infer N, boolean>
    ? (K extends 'bool' ? boolean : K extends 'text' | 'longtext' ? string : number) | (N extends true ? null : never)
    : never;
type DbValue<D> =
  D extends ColumnDef<infer K, infer N, infer A>
    ? A extends true
      ? Generated<number>
      : (K extends 'text' | 'longtext' ? string : number) | (N extends true ? null : never)
    : never;

/** The camelCase object a repository returns for a row of `T`. */
export type RecordOf<T extends TableDef> = {
  -readonly [K in keyof T['columns'] & string as Camel<K>]: DomainValue<T['columns'][K]>;
};

/** The snake_case row kysely sees for `T`. */
export type RowOf<T extends TableDef> = { [K in keyof T['columns'] & string]: DbValue<T['columns'][K]> };
