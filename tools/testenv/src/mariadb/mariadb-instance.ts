import { constants } from 'node:fs';
import { cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createConnection, createPool, type Pool } from 'mysql2/promise';
import { requireExecutable } from '../core/binaries.js';
import { createServerDir, registryDirOf } from '../core/paths.js';
import { allocatePort } from '../core/ports.js';
import { IP_PATH } from '../netns/net-namespace.js';
import { reapOrphans } from '../core/registry.js';
import { startOrDestroy, TestServer } from '../core/test-server.js';
import { delay, type ProcessSpec } from '../core/server-process.js';
import { TestEnvError } from '../errors.js';
import { validateMariaDbOptions, type MariaDbOptions, type ResolvedMariaDbOptions } from './mariadb-config.js';
import { ensureMariaDbTemplate } from './mariadb-template.js';
import { MARIADB_INNODB_ARGS, TEMPLATE_USERS, type DbCredentials } from './mariadb-users.js';

/** Connection settings for mysql2 or the `mariadb` client. */
export interface MariaDbConnectionConfig {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
}

/** Internal: what a topology adds when it creates an instance. */
export interface MariaDbInstanceRole {
  readonly sourceName: string | null;
}

/**
 * One mariadbd on 127.0.0.1 with its own directory (datadir, tmpdir, socket, error log), binary
 * log, GTID and `report_host`/`report_port` set. `stop()`/`kill()` keep the datadir; `start()`
 * brings the server back on the same port with its data; `destroy()` removes everything.
 */
export class MariaDbInstance extends TestServer {
  /** The source this instance was created to replicate from (null for a primary or a standalone server); later repointing is not tracked. */
  readonly sourceName: string | null;
  /** The datadir (binary logs and relay logs live here too). */
  readonly datadir: string;
  /** The server's error log. */
  readonly errorLog: string;
  /** An admin user reachable over TCP (ALL PRIVILEGES WITH GRANT OPTION). */
  readonly rootUser: DbCredentials = TEMPLATE_USERS.root;
  readonly #o: ResolvedMariaDbOptions;
  #port: number;
  #pool: Pool | null = null;

  /** @internal use {@link startMariaDb} or {@link startMariaDbTopology}. */
  constructor(options: ResolvedMariaDbOptions, dir: string, port: number, role: MariaDbInstanceRole) {
    super(options.name, dir, options.host);
    this.#o = options;
    this.sourceName = role.sourceName;
    this.datadir = join(dir, 'data');
    this.errorLog = join(dir, 'error.log');
    this.#port = port;
    this.manage(
      {
        kind: 'mariadb',
        name: options.name,
        dir,
        registryDir: registryDirOf(options.baseDir),
        logFile: this.errorLog,
        startTimeoutMs: options.startTimeoutMs,
        stopTimeoutMs: options.stopTimeoutMs,
        portTakenPattern: /Address already in use|Bind on TCP\/IP port/,
        logger: options.logger,
      },
      {
        spawnSpec: () => this.#spawnSpec(),
        waitReady: (signal) => this.#waitReady(signal),
        ports: () => ({ mysql: this.#port }),
        ...(options.port === undefined
          ? {
              reallocatePorts: async () => {
                this.#port = await allocatePort();
              },
            }
          : {}),
        beforeStop: () => this.#closePool(),
      },
    );
  }

  /** The TCP port (fixed for the instance's life once it first started). */
  get port(): number {
    return this.#port;
  }

  /** server_id: the one given, else the port. */
  get serverId(): number {
    return this.#o.serverId ?? this.#port;
  }

  /** Connection settings for a user (the admin user by default). */
  connectionConfig(user: DbCredentials = this.rootUser): MariaDbConnectionConfig {
    return { host: this.host, port: this.#port, user: user.user, password: user.password };
  }

  /** A command line for a person: `mariadb -h127.0.0.1 -P<port> -uroot -ptestenv`. */
  clientCommand(user: DbCredentials = this.rootUser): string {
    return `mariadb -h${this.host} -P${this.#port} -u${user.user} -p${user.password}`;
  }

  /**
   * Runs SQL as the admin user over a small mysql2 pool (multiple statements allowed) and returns
   * the rows (or the result header of a write). mysql2's errors pass through unchanged.
   *
   * @example
   * ```ts
   * const rows = await db.query<{ v: number }[]>('SELECT ? AS v', [1]);
   * ```
   */
  async query<T = Record<string, unknown>[]>(sql: string, params?: readonly unknown[]): Promise<T> {
    if (this.#pool === null) {
      this.#pool = createPool({
        ...this.connectionConfig(),
        connectionLimit: 4,
        multipleStatements: true,
        connectTimeout: 5000,
      });
    }
    const [rows] = await this.#pool.query(sql, params === undefined ? undefined : [...params]);
    return rows as T;
  }

  /** Closes the admin pool, kills the server if running and removes its directory. Idempotent. */
  override async destroy(): Promise<void> {
    await this.#closePool();
    await super.destroy();
  }

  async #closePool(): Promise<void> {
    const pool = this.#pool;
    this.#pool = null;
    // A server that no longer answers (SIGSTOP, a cut network) must not hang a stop: give up after 2 s.
    if (pool !== null) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        pool.end().catch(() => undefined),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, 2000);
        }),
      ]);
      clearTimeout(timer);
    }
  }

  #spawnSpec(): ProcessSpec {
    const port = this.#port;
    const d = this.dir;
    // `ip netns exec` enters the namespace and execs the server: the pid stays the server's own.
    const [command, ...prefix] =
      this.#o.netns === null ? [this.#o.mariadbdPath] : [IP_PATH, 'netns', 'exec', this.#o.netns, this.#o.mariadbdPath];
    return {
      command: command ?? this.#o.mariadbdPath,
      args: [
        ...prefix,
        '--no-defaults',
        '--user=root',
        `--datadir=${this.datadir}`,
        `--tmpdir=${join(d, 'tmp')}`,
        `--socket=${join(d, 'mysqld.sock')}`,
        `--pid-file=${join(d, 'mysqld.pid')}`,
        `--log-error=${this.errorLog}`,
        `--bind-address=${this.host}`,
        `--port=${port}`,
        `--server-id=${this.serverId}`,
        '--log-bin=mariadb-bin',
        '--log-bin-index=mariadb-bin.index',
        '--relay-log=relay-bin',
        '--relay-log-index=relay-bin.index',
        '--log-slave-updates=1',
        '--binlog-format=ROW',
        '--gtid-strict-mode=0',
        `--report-host=${this.host}`,
        `--report-port=${port}`,
        `--read-only=${this.#o.readOnly ? 1 : 0}`,
        '--skip-name-resolve',
        '--performance-schema=0',
        '--innodb-flush-log-at-trx-commit=2',
        '--sync-binlog=0',
        // Many servers per machine exhaust the kernel's AIO contexts (io_setup EAGAIN).
        '--innodb-use-native-aio=0',
        '--character-set-server=utf8mb4',
        '--collation-server=utf8mb4_general_ci',
        '--max-connections=300',
        ...MARIADB_INNODB_ARGS,
        ...this.#o.extraArgs,
      ],
      cwd: d,
      logFile: join(d, 'stdout.log'),
    };
  }

  async #waitReady(signal: AbortSignal): Promise<void> {
    let lastError: unknown;
    while (!signal.aborted) {
      try {
        const conn = await createConnection({ ...this.connectionConfig(), connectTimeout: 2000 });
        try {
          await conn.query('SELECT 1');
          return;
        } finally {
          await conn.end().catch(() => undefined);
        }
      } catch (err) {
        lastError = err;
        // A wrong login will not heal by waiting.
        if ((err as { code?: string }).code === 'ER_ACCESS_DENIED_ERROR') {
          throw new TestEnvError('START_TIMEOUT', `mariadb "${this.name}" refused the admin login: ${String(err)}`, {
            cause: err,
          });
        }
      }
      await delay(50);
    }
    throw new TestEnvError('START_TIMEOUT', `mariadb "${this.name}" never accepted a login: ${String(lastError)}`, {
      cause: lastError,
    });
  }
}

/** Creates the directory from the template and the instance object, without starting it. @internal */
export async function createMariaDbInstance(
  options: ResolvedMariaDbOptions,
  role: MariaDbInstanceRole,
): Promise<MariaDbInstance> {
  requireExecutable(options.mariadbdPath, 'mariadb-server', 'mariadbd (the MariaDB server)');
  requireExecutable(options.installDbPath, 'mariadb-server', 'mariadb-install-db');
  await reapOrphans(registryDirOf(options.baseDir));
  const template = await ensureMariaDbTemplate({
    mariadbd: options.mariadbdPath,
    installDb: options.installDbPath,
    cacheDir: options.cacheDir,
    logger: options.logger,
    timeoutMs: 120_000,
  });
  const dir = createServerDir(options.baseDir, 'mariadb', options.name);
  try {
    await cp(template.datadir, join(dir, 'data'), { recursive: true, mode: constants.COPYFILE_FICLONE });
    await mkdir(join(dir, 'tmp'));
  } catch (cause) {
    throw new TestEnvError('DIR_NOT_WRITABLE', `cannot copy the MariaDB template into ${dir}: ${String(cause)}`, {
      cause,
      context: { dir },
    });
  }
  const port = options.port ?? (await allocatePort());
  return new MariaDbInstance(options, dir, port, role);
}

/**
 * Starts one standalone MariaDB server on 127.0.0.1 (e.g. orc's MySQL backend) and waits until
 * it accepts connections.
 *
 * @example
 * ```ts
 * const db = await startMariaDb({ name: 'backend' });
 * try {
 *   await db.query('CREATE DATABASE orc');
 * } finally {
 *   await db.destroy();
 * }
 * ```
 */
export async function startMariaDb(options: MariaDbOptions = {}): Promise<MariaDbInstance> {
  const resolved = validateMariaDbOptions(options);
  return startOrDestroy(await createMariaDbInstance(resolved, { sourceName: null }));
}
