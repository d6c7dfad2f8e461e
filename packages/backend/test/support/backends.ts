// Runs the same repository tests on SQLite and on a real MariaDB from @orc/testenv. Each test gets
// a fresh database (a new :memory: SQLite, or a new MariaDB database on one shared server per file).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { startMariaDb, type MariaDbInstance } from '@orc/testenv';
import { ManualClock } from '@orc/testkit';
import { createConnection } from 'mysql2/promise';
import { Backend, validateBackendConfig, type BackendConfig, type BackendOptions } from '../../src/index.js';

/** The dialects every repository test runs on. */
export const DIALECTS = ['sqlite', 'mariadb'] as const;
export type TestDialect = (typeof DIALECTS)[number];

/**
 * A virtual clock for the repository tests: wall time starts at 2027-01-15 and moves only with
 * `advance(ms)`, so stamped rows and expiry windows are exact.
 */
export function testClock(): ManualClock {
  return new ManualClock(0, 1_800_000_000_000);
}

/** Starts (lazily) and stops the test server of a dialect, and makes fresh backend configs. */
export class DialectHarness {
  readonly dialect: TestDialect;
  #server: MariaDbInstance | undefined;
  readonly #databases: string[] = [];
  readonly #backends: Backend[] = [];
  readonly #dirs: string[] = [];

  constructor(dialect: TestDialect) {
    this.dialect = dialect;
  }

  /** Starts the server (MariaDB) if needed. */
  async start(): Promise<void> {
    if (this.dialect === 'mariadb' && this.#server === undefined)
      this.#server = await startMariaDb({ name: 'backend-test' });
  }

  /** A config for a new, empty database (same database when `database` is given). */
  config(database?: string): BackendConfig {
    if (this.dialect === 'sqlite') return validateBackendConfig({ dialect: 'sqlite', sqlite: { file: ':memory:' } });
    const server = this.#server;
    if (server === undefined) throw new Error('DialectHarness.start() first');
    const name = database ?? `orc_test_${randomBytes(6).toString('hex')}`;
    this.#databases.push(name);
    return validateBackendConfig({
      dialect: 'mysql',
      mysql: {
        host: server.host,
        port: server.port,
        user: server.rootUser.user,
        password: server.rootUser.password,
        database: name,
        connectTimeoutMs: 3000,
      },
    });
  }

  /**
   * A config several backends can share: a temporary SQLite file, or one MariaDB database.
   * Call once and pass the result to each open().
   */
  sharedConfig(): BackendConfig {
    if (this.dialect === 'mariadb') return this.config();
    const dir = mkdtempSync(join(tmpdir(), 'orc-backend-test-'));
    this.#dirs.push(dir);
    return validateBackendConfig({ dialect: 'sqlite', sqlite: { file: join(dir, 'orc.sqlite3') } });
  }

  /** A new open backend on a fresh database; closed by stop(). */
  async open(options: BackendOptions = {}, config: BackendConfig = this.config()): Promise<Backend> {
    const backend = new Backend(config, options);
    await backend.open();
    this.#backends.push(backend);
    return backend;
  }

  /** The server (MariaDB only). */
  get server(): MariaDbInstance {
    if (this.#server === undefined) throw new Error('not a started MariaDB harness');
    return this.#server;
  }

  /** Table names and each table's columns in the database `config` points at, read outside orc. */
  async inspect(config: BackendConfig): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (config.dialect === 'sqlite') {
      const Database = createRequire(import.meta.url)('better-sqlite3') as new (file: string) => {
        prepare(q: string): { all(...p: unknown[]): Record<string, unknown>[] };
        close(): void;
      };
      const db = new Database(config.sqlite.file);
      try {
        for (const t of db
          .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
          .all()) {
          const name = String(t.name);
          out.set(
            name,
            db
              .prepare(`select name from pragma_table_info(?)`)
              .all(name)
              .map((c) => String(c.name)),
          );
        }
      } finally {
        db.close();
      }
      return out;
    }
    const rows = (await this.mysqlQuery(
      config.mysql.database,
      'select table_name as t, column_name as c from information_schema.columns where table_schema = database() order by table_name, ordinal_position',
    )) as { t: string; c: string }[];
    for (const r of rows) out.set(r.t, [...(out.get(r.t) ?? []), r.c]);
    return out;
  }

  /** Runs raw SQL on the MariaDB server (root), in `database`. */
  async mysqlQuery(database: string, query: string): Promise<unknown> {
    const server = this.#server;
    if (server === undefined) throw new Error('not a MariaDB harness');
    const conn = await createConnection({
      host: server.host,
      port: server.port,
      user: server.rootUser.user,
      password: server.rootUser.password,
      database,
    });
    try {
      const [rows] = await conn.query(query);
      return rows;
    } finally {
      await conn.end();
    }
  }

  /** Closes every backend and stops the server. */
  async stop(): Promise<void> {
    for (const b of this.#backends.splice(0)) await b.close();
    await this.#server?.destroy();
    this.#server = undefined;
    for (const dir of this.#dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}
