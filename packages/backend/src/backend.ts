import type { BackendConfig } from './backend-config.js';
import { systemClock, type Clock } from './clock.js';
import { openMysql } from './dialect/mysql-dialect.js';
import type { DialectName, OrcDb, SqlDialect } from './dialect/sql-dialect.js';
import { openBackendSqlite, sqliteDialect } from './dialect/sqlite-dialect.js';
import { ActiveNodeElection, type ActiveNodeElectionOptions } from './election/active-node-election.js';
import { BackendError, toBackendError } from './errors.js';
import { noopLogger, type Logger } from './logger.js';
import type { Migration } from './migrations/migration.js';
import { migrate } from './migrations/migrator.js';
import { migrations as builtinMigrations } from './migrations/migrations.js';
import { AuditRepository } from './repositories/audit-repository.js';
import { CandidateRepository } from './repositories/candidate-repository.js';
import { ClusterRepository } from './repositories/cluster-repository.js';
import { DowntimeRepository } from './repositories/downtime-repository.js';
import { FailureDetectionRepository } from './repositories/failure-detection-repository.js';
import { InstanceRepository } from './repositories/instance-repository.js';
import { KvRepository } from './repositories/kv-repository.js';
import { NodeHealthRepository } from './repositories/node-health-repository.js';
import { RecoveryRepository } from './repositories/recovery-repository.js';
import { TagRepository } from './repositories/tag-repository.js';
import { checkNonNegative, type RepositoryContext } from './repositories/repository-context.js';
import { exportSnapshot, importSnapshot } from './snapshot/backend-snapshot.js';

/** Parts a {@link Backend} takes besides its configuration. */
export interface BackendOptions {
  readonly logger?: Logger;
  /**
   * Stamps rows (last_checked, downtime, audit...) with `wallNow()`, and is the default clock of
   * {@link Backend.election}, which bounds lease belief with `now()`. Default {@link systemClock}.
   */
  readonly clock?: Clock;
  /** @internal Tests replace the migration list to exercise failures. */
  readonly migrations?: readonly Migration[];
}

type State =
  | { kind: 'new' }
  | { kind: 'opening' }
  | { kind: 'open'; db: OrcDb; dialect: SqlDialect; schemaVersion: number }
  | { kind: 'closed' };

/**
 * orc's backend database: one object per process, opened once, closed once. `open()` connects
 * (creating the MySQL database when missing) and migrates the schema; every repository call before
 * that or after `close()` throws `CLOSED`.
 *
 * @example
 * ```ts
 * const backend = new Backend(validateBackendConfig({ dialect: 'sqlite', sqlite: { file: ':memory:' } }));
 * await backend.open();
 * await backend.kv.put([{ key: 'k', value: 'v' }]);
 * await backend.close();
 * ```
 */
export class Backend {
  readonly #config: BackendConfig;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #migrations: readonly Migration[];
  #state: State = { kind: 'new' };

  /** `database_instance`. */
  readonly instances: InstanceRepository;
  /** `cluster_alias`, `cluster_alias_override`. */
  readonly clusters: ClusterRepository;
  /** `database_instance_downtime`, `database_instance_maintenance`. */
  readonly downtime: DowntimeRepository;
  /** `candidate_database_instance`. */
  readonly candidates: CandidateRepository;
  /** `topology_failure_detection`. */
  readonly failureDetections: FailureDetectionRepository;
  /** `topology_recovery`, `topology_recovery_steps`, `blocked_topology_recovery`, `global_recovery_disable`, `cluster_recovery_disable`. */
  readonly recoveries: RecoveryRepository;
  /** `database_instance_tags`. */
  readonly tags: TagRepository;
  /** `audit`. */
  readonly audit: AuditRepository;
  /** `kv_store`; satisfies @orc/kv's internal-store port. */
  readonly kv: KvRepository;
  /** `node_health`. */
  readonly nodeHealth: NodeHealthRepository;

  constructor(config: BackendConfig, options: BackendOptions = {}) {
    this.#config = Object.freeze({ ...config });
    this.#logger = options.logger ?? noopLogger;
    this.#clock = options.clock ?? systemClock;
    this.#migrations = options.migrations ?? builtinMigrations;
    const ctx: RepositoryContext = {
      session: () => this.#session(),
      clock: this.#clock,
      logger: this.#logger,
    };
    this.instances = new InstanceRepository(ctx);
    this.clusters = new ClusterRepository(ctx);
    this.downtime = new DowntimeRepository(ctx);
    this.candidates = new CandidateRepository(ctx);
    this.failureDetections = new FailureDetectionRepository(ctx);
    this.recoveries = new RecoveryRepository(ctx);
    this.tags = new TagRepository(ctx);
    this.audit = new AuditRepository(ctx);
    this.kv = new KvRepository(ctx);
    this.nodeHealth = new NodeHealthRepository(ctx);
  }

  /** Which dialect this backend speaks. */
  get dialect(): DialectName {
    return this.#config.dialect;
  }

  /** The schema version after open(). */
  get schemaVersion(): number {
    return this.#open().schemaVersion;
  }

  /**
   * Connects and migrates. Call once; a failed open (for example `UNREACHABLE`) may be retried.
   * @throws BackendError `UNREACHABLE`, `SCHEMA_TOO_NEW`, `MIGRATION_FAILED`, `CLOSED` (already open or closed).
   */
  async open(): Promise<void> {
    if (this.#state.kind !== 'new')
      throw new BackendError('CLOSED', `open: the backend is ${this.#state.kind}; open() may be called once`);
    this.#state = { kind: 'opening' };
    let db: OrcDb | undefined;
    try {
      let dialect: SqlDialect;
      if (this.#config.dialect === 'sqlite') {
        db = openBackendSqlite(this.#config.sqlite);
        dialect = sqliteDialect;
      } else {
        ({ db, dialect } = await openMysql(this.#config.mysql, () => this.#clock.now()));
      }
      const outcome = await migrate(db, dialect, this.#migrations, this.#logger, this.#clock);
      if (this.#state.kind !== 'opening') throw new BackendError('CLOSED', 'open: closed while opening');
      this.#state = { kind: 'open', db, dialect, schemaVersion: outcome.to };
      this.#logger.info('backend open', {
        dialect: dialect.name,
        schemaVersion: outcome.to,
        migratedFrom: outcome.from,
      });
    } catch (err) {
      if (this.#state.kind === 'opening') this.#state = { kind: 'new' };
      await db
        ?.destroy()
        .catch((destroyErr: unknown) =>
          this.#logger.warn('closing a backend that failed to open', { error: String(destroyErr) }),
        );
      throw toBackendError(err, 'open backend');
    }
  }

  /** Closes connections. Further calls throw `CLOSED`; closing twice is harmless. */
  async close(): Promise<void> {
    const state = this.#state;
    this.#state = { kind: 'closed' };
    if (state.kind === 'open') {
      try {
        await state.db.destroy();
      } catch (err) {
        throw toBackendError(err, 'close backend');
      }
    }
  }

  /**
   * This node's part in the shared-backend election (see {@link ActiveNodeElection}); it uses the
   * backend's clock and logger unless `options` names others.
   */
  election(options: ActiveNodeElectionOptions): ActiveNodeElection {
    return new ActiveNodeElection(() => this.#session(), { logger: this.#logger, clock: this.#clock, ...options });
  }

  /**
   * The repositories a replicated write touches (recoveries, failure detections, downtime,
   * candidates, cluster aliases, tags, audit), stamping rows with `wallMs` instead of the clock's
   * `wallNow()`. A Raft node applies a logged write with the time its leader gave
   * it: every node (also one replaying the log hours later) then writes the same rows and, since
   * anti-flapping's block periods are measured from that time, takes the same decisions.
   *
   * @example
   * ```ts
   * await backend.stampedAt(op.at).recoveries.appendStep(uid, '[promote +12ms] read_only=0');
   * ```
   * @throws BackendError `INVALID_ARGUMENT` when `wallMs` is not a non-negative number.
   */
  stampedAt(
    wallMs: number,
  ): Pick<Backend, 'recoveries' | 'failureDetections' | 'downtime' | 'candidates' | 'clusters' | 'tags' | 'audit'> {
    checkNonNegative(wallMs, 'wallMs');
    const base = this.#clock;
    const clock: Clock = { now: () => base.now(), wallNow: () => wallMs, setTimer: (ms, fn) => base.setTimer(ms, fn) };
    const ctx: RepositoryContext = { session: () => this.#session(), clock, logger: this.#logger };
    return {
      recoveries: new RecoveryRepository(ctx),
      failureDetections: new FailureDetectionRepository(ctx),
      downtime: new DowntimeRepository(ctx),
      candidates: new CandidateRepository(ctx),
      clusters: new ClusterRepository(ctx),
      tags: new TagRepository(ctx),
      audit: new AuditRepository(ctx),
    };
  }

  /** The replicated tables as deterministic bytes, for a Raft snapshot. */
  async exportSnapshot(): Promise<Uint8Array> {
    const { db } = this.#session();
    try {
      return await exportSnapshot(db);
    } catch (err) {
      throw toBackendError(err, 'export snapshot');
    }
  }

  /** Replaces the replicated tables with a snapshot's content, in one transaction. */
  async importSnapshot(bytes: Uint8Array): Promise<void> {
    if (!(bytes instanceof Uint8Array)) throw new BackendError('INVALID_ARGUMENT', 'bytes: expected a Uint8Array');
    const { db, dialect } = this.#session();
    try {
      await importSnapshot(db, dialect, bytes);
    } catch (err) {
      throw toBackendError(err, 'import snapshot');
    }
  }

  #open(): Extract<State, { kind: 'open' }> {
    const state = this.#state;
    if (state.kind !== 'open')
      throw new BackendError('CLOSED', `the backend is ${state.kind === 'closed' ? 'closed' : 'not open yet'}`);
    return state;
  }

  #session(): { db: OrcDb; dialect: SqlDialect } {
    const { db, dialect } = this.#open();
    return { db, dialect };
  }
}
