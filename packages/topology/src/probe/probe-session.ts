import type { Connection } from 'mysql2';
import type { TimerHandle, Clock } from '../clock.js';
import { STATUS_QUERY, VARIABLES_QUERY } from './probe-dialect.js';
import { isUnusableStatement } from './probe-errors.js';
import { discardConnection } from './discard-connection.js';

/** A result row as mysql2 returns it. */
export type Row = Record<string, unknown>;

/**
 * The batch tried on a server's first probe, before its version is known: statements every MariaDB
 * and MySQL up to 8.0 understands. A server that rejects one (MySQL 8.4) is probed statement by
 * statement instead, and its own plan is learned from that.
 */
export const FIRST_PROBE_PLAN: readonly string[] = [
  VARIABLES_QUERY,
  STATUS_QUERY,
  'SHOW MASTER STATUS',
  'SHOW SLAVE STATUS',
  'SHOW SLAVE HOSTS',
];

/**
 * One probe's use of a connection: every query under mysql2's per-query timeout, the whole probe
 * under one deadline timer (whatever the driver does, the probe ends by then), results fetched
 * ahead in one multi-statement round trip, and the record of which statements worked.
 */
export class ProbeSession {
  readonly conn: Connection;
  readonly #clock: Clock;
  readonly #readTimeoutMs: number;
  readonly #deadline: number;
  readonly #timer: TimerHandle;
  readonly #prefetched = new Map<string, Row[]>();
  /** Statements that succeeded in this probe, in order: the next probe's batch. */
  readonly used: string[] = [];
  #abort: ((error: unknown) => void) | null = null;
  #abortedWith: Error | null = null;

  constructor(conn: Connection, clock: Clock, timeouts: { connectTimeoutMs: number; readTimeoutMs: number }) {
    this.conn = conn;
    this.#clock = clock;
    this.#readTimeoutMs = timeouts.readTimeoutMs;
    const budget = timeouts.connectTimeoutMs + timeouts.readTimeoutMs;
    this.#deadline = clock.now() + budget;
    this.#timer = clock.setTimer(budget + 50, () => {
      const error = Object.assign(new Error(`probe exceeded its ${budget} ms deadline`), { code: 'ORC_PROBE_TIMEOUT' });
      this.#abortedWith = error;
      discardConnection(conn);
      this.#abort?.(error);
    });
  }

  /** Ends the deadline timer (the probe finished). */
  finish(): void {
    this.#timer.cancel();
  }

  /**
   * Sends `plan` (statements the server answered last time) as one multi-statement round trip, so
   * that a steady-state probe costs one round trip instead of five. Returns false when a statement
   * was refused: the caller drops the plan and the probe goes on statement by statement (the
   * connection stays usable). A connection error throws as usual.
   */
  async prefetch(plan: readonly string[]): Promise<boolean> {
    if (plan.length < 2) return true;
    let results: unknown;
    try {
      results = await this.#raw(plan.join(';\n'));
    } catch (error) {
      if (!isUnusableStatement(error)) throw error;
      return false;
    }
    if (!Array.isArray(results) || results.length < plan.length) return false;
    plan.forEach((sql, i) => {
      const rows: unknown = results[i];
      this.#prefetched.set(sql, Array.isArray(rows) ? (rows as Row[]) : []);
    });
    return true;
  }

  /** One statement's rows (from the prefetched batch when it is there). */
  async query(sql: string): Promise<Row[]> {
    const ahead = this.#prefetched.get(sql);
    if (ahead !== undefined) {
      this.#prefetched.delete(sql);
      this.used.push(sql);
      return ahead;
    }
    const rows = await this.#raw(sql);
    if (!sql.includes(';')) this.used.push(sql);
    return Array.isArray(rows) ? (rows as Row[]) : [];
  }

  /** Runs the first statement the server accepts; [] (and a warning) when it accepts none. */
  async firstUsable(statements: readonly string[], warnings: string[]): Promise<Row[]> {
    let last: unknown;
    for (const sql of statements) {
      try {
        return await this.query(sql);
      } catch (error) {
        if (!isUnusableStatement(error)) throw error;
        last = error;
      }
    }
    warnings.push(`none of [${statements.join('; ')}] usable: ${last instanceof Error ? last.message : String(last)}`);
    return [];
  }

  /** The first column of the first row of an optional detection query; '' when unset or failing. */
  async singleValue(sql: string | undefined, warnings: string[]): Promise<string> {
    if (sql === undefined || sql.trim() === '') return '';
    try {
      const rows = await this.query(sql);
      const first = rows[0];
      const value = first === undefined ? undefined : Object.values(first)[0];
      return value === null || value === undefined ? '' : String(value);
    } catch (error) {
      if (!isUnusableStatement(error) && (error as { fatal?: unknown }).fatal === true) throw error;
      if (this.#abortedWith !== null) throw this.#abortedWith;
      warnings.push(`detection query failed (${sql}): ${error instanceof Error ? error.message : String(error)}`);
      return '';
    }
  }

  #raw(sql: string): Promise<unknown> {
    if (this.#abortedWith !== null) return Promise.reject(this.#abortedWith);
    const timeout = Math.max(1, Math.min(this.#readTimeoutMs, this.#deadline - this.#clock.now()));
    return new Promise((resolve, reject) => {
      this.#abort = reject;
      this.conn.query({ sql, timeout }, (error: unknown, rows: unknown) => {
        if (this.#abort !== reject) return;
        this.#abort = null;
        if (error) reject(error);
        else resolve(rows);
      });
    });
  }
}
