import { sql } from 'kysely';
import { systemClock, type Clock } from '../clock.js';
import { BackendError, toBackendError } from '../errors.js';
import { noopLogger, type Logger } from '../logger.js';
import type { OrcDb, SqlDialect } from '../dialect/sql-dialect.js';

/** Settings of one node's part in the shared-backend election. */
export interface ActiveNodeElectionOptions {
  /** This node's host name. */
  readonly hostname: string;
  /** Unique per process run, so a restarted node is a new contender. */
  readonly token: string;
  /** How long a lease lasts after its last renewal, by the database's clock. Default 5000 (orchestrator's ActiveNodeExpireSeconds). */
  readonly leaseMs?: number;
  /**
   * How much earlier than the lease's end the holder stops believing in it, to absorb the drift
   * between its monotonic clock and the database's clock. Default 1000; must be below `leaseMs`.
   */
  readonly safetyMarginMs?: number;
  /** Bounds this node's belief in its lease with the monotonic `now()`. Default {@link systemClock}. */
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/** Who holds the lease, as the database says. */
export interface LeaseHolder {
  readonly hostname: string;
  readonly token: string;
  /** When the holder first took the lease (database clock, epoch ms). */
  readonly firstSeenActive: number;
  /** When the holder last renewed (database clock, epoch ms). */
  readonly lastSeenActive: number;
  /** The database's clock at the read. */
  readonly dbNow: number;
  /** Whether the lease has run out by the database's clock (anyone may take it over). */
  readonly isExpired: boolean;
}

/** What one election attempt did. */
export type ElectionOutcome = 'acquired' | 'renewed' | 'took-over' | 'held-by-other';

/**
 * One node's part in electing the single active node of several orc nodes sharing one backend
 * (orchestrator's `active_node` row, anchor = 1). Call {@link attempt} every second or so.
 *
 * Safety (docs/adr/0302-shared-backend-election.md): the database's clock alone decides when a lease
 * has expired (`last_seen_active < db_now - lease`), and a holder stops believing in its lease
 * `leaseMs - safetyMarginMs` after it SENT the renewal that succeeded, measured on its monotonic
 * clock. The renewal was stamped by the database after that send, so the holder's belief ends
 * before anyone can take over. {@link grab} and {@link stepDown} keep the same rule.
 *
 * @example
 * ```ts
 * const election = backend.election({ hostname: 'orc1', token: randomUUID() });
 * setInterval(() => void election.attempt().catch(log), 1000);
 * if (election.isLeader()) runRecoveries();
 * ```
 */
export class ActiveNodeElection {
  readonly #db: () => { db: OrcDb; dialect: SqlDialect };
  readonly #hostname: string;
  readonly #token: string;
  readonly #leaseMs: number;
  readonly #marginMs: number;
  readonly #clock: Clock;
  readonly #logger: Logger;
  /** Monotonic time until which this node believes it holds the lease. */
  #validUntil = Number.NEGATIVE_INFINITY;
  /** Monotonic time from which it may believe (after a grab, once the previous holder's belief is over). */
  #believeFrom = Number.NEGATIVE_INFINITY;

  /** @internal Use `backend.election(options)`. */
  constructor(session: () => { db: OrcDb; dialect: SqlDialect }, options: ActiveNodeElectionOptions) {
    const leaseMs = options.leaseMs ?? 5000;
    const marginMs = options.safetyMarginMs ?? 1000;
    if (typeof options.hostname !== 'string' || options.hostname.length === 0 || options.hostname.length > 255) {
      throw new BackendError(
        'INVALID_ARGUMENT',
        'options.hostname: expected a non-empty string of at most 255 characters',
      );
    }
    if (typeof options.token !== 'string' || options.token.length === 0 || options.token.length > 128) {
      throw new BackendError(
        'INVALID_ARGUMENT',
        'options.token: expected a non-empty string of at most 128 characters',
      );
    }
    if (!Number.isInteger(leaseMs) || leaseMs <= 0)
      throw new BackendError(
        'INVALID_ARGUMENT',
        `options.leaseMs: expected a positive integer, got ${String(leaseMs)}`,
      );
    if (!Number.isInteger(marginMs) || marginMs < 0 || marginMs >= leaseMs) {
      throw new BackendError(
        'INVALID_ARGUMENT',
        `options.safetyMarginMs: expected an integer 0 <= margin < leaseMs (${leaseMs}), got ${String(marginMs)}`,
      );
    }
    this.#db = session;
    this.#hostname = options.hostname;
    this.#token = options.token;
    this.#leaseMs = leaseMs;
    this.#marginMs = marginMs;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? noopLogger;
  }

  /** Whether this node may act as the active node right now. Never true on two nodes at once. */
  isLeader(): boolean {
    const now = this.#clock.now();
    return now >= this.#believeFrom && now < this.#validUntil;
  }

  /**
   * Renews this node's lease, or acquires a free one, or takes over an expired one. On a database
   * error the belief is left to run out on its own (it cannot outlive the lease) and the error is thrown.
   */
  async attempt(): Promise<ElectionOutcome> {
    const sentAt = this.#clock.now();
    const { db, dialect } = this.#db();
    const now = dialect.nowMs();
    try {
      const renewed = await db
        .updateTable('active_node')
        .set({ last_seen_active: now })
        .where('anchor', '=', 1)
        .where('hostname', '=', this.#hostname)
        .where('token', '=', this.#token)
        .executeTakeFirst();
      if (Number(renewed.numUpdatedRows) > 0) {
        this.#extend(sentAt);
        return 'renewed';
      }
      const inserted = await dialect.insertIgnore(db, 'active_node', {
        anchor: 1,
        hostname: this.#hostname,
        token: this.#token,
        first_seen_active: now,
        last_seen_active: now,
      });
      if (inserted) {
        this.#believeFrom = Number.NEGATIVE_INFINITY;
        this.#extend(sentAt);
        this.#logger.info('acquired the active-node lease', { hostname: this.#hostname });
        return 'acquired';
      }
      const taken = await db
        .updateTable('active_node')
        .set({ hostname: this.#hostname, token: this.#token, first_seen_active: now, last_seen_active: now })
        .where('anchor', '=', 1)
        .where('last_seen_active', '<', sql<number>`${now} - ${this.#leaseMs}`)
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) > 0) {
        // Expired by the database's clock, so the previous holder's belief is already over.
        this.#believeFrom = Number.NEGATIVE_INFINITY;
        this.#extend(sentAt);
        this.#logger.info('took over the expired active-node lease', { hostname: this.#hostname });
        return 'took-over';
      }
      this.#lose();
      return 'held-by-other';
    } catch (err) {
      throw toBackendError(err, 'active-node election');
    }
  }

  /**
   * Takes the lease whoever holds it (orchestrator's `GrabElection`, an operator's override). This
   * node starts believing only once the previous holder's lease would have run out by the
   * database's clock, so there is no overlap; until then {@link isLeader} is false.
   */
  async grab(): Promise<void> {
    const sentAt = this.#clock.now();
    const { db, dialect } = this.#db();
    try {
      const before = await db.transaction().execute(async (trx) => {
        const previous = await this.#read(trx, dialect);
        await trx.deleteFrom('active_node').where('anchor', '=', 1).execute();
        const now = dialect.nowMs();
        await trx
          .insertInto('active_node')
          .values({
            anchor: 1,
            hostname: this.#hostname,
            token: this.#token,
            first_seen_active: now,
            last_seen_active: now,
          })
          .execute();
        return previous;
      });
      const answeredAt = this.#clock.now();
      const mine = before !== undefined && before.hostname === this.#hostname && before.token === this.#token;
      // Any renewal the previous holder got through was sent before our statement replaced the row,
      // so before `answeredAt`: its belief ends before answeredAt + lease - margin. Waiting a whole
      // lease from the answer is therefore enough, whatever the clocks of the two nodes read.
      this.#believeFrom = before === undefined || mine ? Number.NEGATIVE_INFINITY : answeredAt + this.#leaseMs;
      this.#extend(sentAt);
      this.#logger.warn('grabbed the active-node lease', { hostname: this.#hostname });
    } catch (err) {
      throw toBackendError(err, 'grab active-node lease');
    }
  }

  /** Gives the lease up (orchestrator's `Reelect`): belief ends before the row is deleted. */
  async stepDown(): Promise<void> {
    this.#lose();
    const { db } = this.#db();
    try {
      await db
        .deleteFrom('active_node')
        .where('anchor', '=', 1)
        .where('hostname', '=', this.#hostname)
        .where('token', '=', this.#token)
        .execute();
    } catch (err) {
      throw toBackendError(err, 'step down from active-node lease');
    }
  }

  /** Who holds the lease now, by the database; undefined when nobody does. */
  async readHolder(): Promise<LeaseHolder | undefined> {
    const { db, dialect } = this.#db();
    try {
      return await this.#read(db, dialect);
    } catch (err) {
      throw toBackendError(err, 'read active-node lease');
    }
  }

  async #read(db: OrcDb, dialect: SqlDialect): Promise<LeaseHolder | undefined> {
    const row = await db
      .selectFrom('active_node')
      .select(['hostname', 'token', 'first_seen_active', 'last_seen_active', dialect.nowMs().as('db_now')])
      .where('anchor', '=', 1)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    const lastSeenActive = Number(row.last_seen_active);
    const dbNow = Number(row.db_now);
    return {
      hostname: row.hostname,
      token: row.token,
      firstSeenActive: Number(row.first_seen_active),
      lastSeenActive,
      dbNow,
      isExpired: lastSeenActive < dbNow - this.#leaseMs,
    };
  }

  #extend(sentAt: number): void {
    this.#validUntil = sentAt + this.#leaseMs - this.#marginMs;
  }

  #lose(): void {
    this.#validUntil = Number.NEGATIVE_INFINITY;
  }
}
