// The slice of better-sqlite3 this package uses, typed here so that the package needs no
// @types dependency and loads the native module only when a SQLite store is opened.
import { createRequire } from 'node:module';

/** A prepared statement (better-sqlite3's `Statement`, only what we call). */
export interface SqliteStatement {
  run(...params: unknown[]): { changes: number };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  iterate(...params: unknown[]): IterableIterator<unknown>;
  raw(toggle?: boolean): this;
  pluck(toggle?: boolean): this;
}

/** An open database (better-sqlite3's `Database`, only what we call). */
export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): void;
  pragma(sql: string, options?: { simple?: boolean }): unknown;
  transaction<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void;
  close(): void;
  readonly open: boolean;
}

type SqliteConstructor = new (file: string, options?: { timeout?: number }) => SqliteDatabase;

let ctor: SqliteConstructor | undefined;

/**
 * Opens the better-sqlite3 database that holds a Raft log, loading the native module on first
 * use. Named apart from @orc/backend's `openSqlite`: this one serves only the log store.
 *
 * @example
 * ```ts
 * const db = openLogDatabase(join(dir, 'raft-log.db'));
 * ```
 */
export function openLogDatabase(file: string): SqliteDatabase {
  ctor ??= createRequire(import.meta.url)('better-sqlite3') as SqliteConstructor;
  return new ctor(file, { timeout: 5000 });
}
