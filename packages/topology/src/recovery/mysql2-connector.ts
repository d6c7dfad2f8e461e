import type { Clock } from '../clock.js';
import type { Connection } from 'mysql2';
import { createConnection } from 'mysql2';
import { TopologyError } from '../errors.js';
import type { InstanceKey } from '../instance/instance-key.js';
import { splitInstanceKey } from '../instance/instance-key.js';
import { probeError } from '../probe/probe-errors.js';
import type { ServerConnector, ServerSession, SqlRow } from './recovery-ports.js';
import { connectBounded, discardConnection } from '../probe/discard-connection.js';

/** Credentials and bounds of the recovery's connections. */
export interface Mysql2ConnectorOptions {
  readonly user: string;
  readonly password: string;
  /** TCP connect plus handshake (MySQLConnectTimeoutSeconds). */
  readonly connectTimeoutMs: number;
  /** Default bound on each statement (RecoveryStatementTimeoutSeconds). */
  readonly statementTimeoutMs: number;
  readonly clock: Clock;
}

class Mysql2Session implements ServerSession {
  readonly #conn: Connection;
  readonly #key: InstanceKey;
  readonly #options: Mysql2ConnectorOptions;

  constructor(conn: Connection, key: InstanceKey, options: Mysql2ConnectorOptions) {
    this.#conn = conn;
    this.#key = key;
    this.#options = options;
  }

  query(sql: string, timeoutMs = this.#options.statementTimeoutMs): Promise<SqlRow[]> {
    // mysql2's own timeout covers a server that answers late; the timer also covers a socket
    // that never answers at all (a silent host), whatever the driver does.
    return new Promise((resolve, reject) => {
      let settled = false;
      const timer = this.#options.clock.setTimer(timeoutMs + 100, () => {
        if (settled) return;
        settled = true;
        discardConnection(this.#conn);
        reject(new TopologyError('TIMEOUT', `${this.#key}: ${sql} took longer than ${timeoutMs} ms`));
      });
      this.#conn.query({ sql, timeout: timeoutMs }, (error: unknown, rows: unknown) => {
        if (settled) return;
        settled = true;
        timer.cancel();
        if (error) reject(probeError(error, this.#key, sql));
        else resolve(Array.isArray(rows) ? (rows as SqlRow[]) : []);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.#options.clock.setTimer(1000, () => {
        discardConnection(this.#conn);
        resolve();
      });
      this.#conn.end(() => {
        timer.cancel();
        resolve();
      });
    });
  }
}

/**
 * Opens recovery connections over mysql2, every one bounded: the connect by `connectTimeoutMs`
 * (a host that drops packets fails in time, not after the kernel's minutes), each statement by
 * its own timeout. Errors are {@link TopologyError}s naming the server and the statement.
 *
 * @example
 * const connector = new Mysql2Connector({ user: 'orc', password: 'orc', connectTimeoutMs: 1000, statementTimeoutMs: 5000, clock: systemClock });
 * const s = await connector.open(instanceKey('127.0.0.1', 3306));
 * await s.query('SELECT 1');
 * await s.close();
 */
export class Mysql2Connector implements ServerConnector {
  readonly #options: Mysql2ConnectorOptions;

  constructor(options: Mysql2ConnectorOptions) {
    this.#options = options;
  }

  async open(key: InstanceKey): Promise<ServerSession> {
    const { host, port } = splitInstanceKey(key);
    const o = this.#options;
    const conn = createConnection({
      host,
      port,
      user: o.user,
      password: o.password,
      connectTimeout: o.connectTimeoutMs,
    });
    // A session's later socket errors surface through its queries; this keeps them off 'error'.
    conn.on('error', () => undefined);
    await connectBounded(conn, o.clock, o.connectTimeoutMs, {
      onTimeout: () => new TopologyError('TIMEOUT', `${key}: connect took longer than ${o.connectTimeoutMs} ms`),
      onError: (error) => probeError(error, key, 'connect'),
    });
    return new Mysql2Session(conn, key, o);
  }
}
