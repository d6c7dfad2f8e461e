// Runs the same repository tests on SQLite and on a real MariaDB from @orc/testenv. Each test gets
// a fresh database (a new :memory: SQLite, or a new MariaDB database on one shared server per file).
import { randomBytes } from 'node:crypto';
import { startMariaDb, type MariaDbInstance } from '@orc/testenv';
import { createConnection } from 'mysql2/promise';
import { Backend, validateBackendConfig, type BackendConfig, type BackendOptions } from '../../src/index.js';

/** The dialects every repository test runs on. */
export const DIALECTS = ['sqlite', 'mariadb'] as const;
export type TestDialect = (typeof DIALECTS)[number];

/** A controllable wall clock. */
export class TestClock {
  now: number;
  constructor(start = 1_800_000_000_000) {
    this.now = start;
  }
  readonly read = (): number => this.now;
  advance(ms: number): void {
    this.now += ms;
  }
}

/** Starts (lazily) and stops the test server of a dialect, and makes fresh backend configs. */
export class DialectHarness {
  readonly dialect: TestDialect;
  #server: MariaDbInstance | undefined;
  readonly #databases: string[] = [];
  readonly #backends: Backend[] = [];

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

  /** A new open backend on a fresh database; closed by stop(). */
  async open(options: BackendOptions = {}, config: BackendConfig = this.config()): Promise<Backend> {
    const backend = new Backend(config, options);
    await backend.open();
    this.#backends.push(backend);
    return backend;
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
  }
}
