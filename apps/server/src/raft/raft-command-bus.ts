// The command bus of Raft mode: each command is proposed to the log, committed by a majority,
// applied by every node to its own backend and stores, and the caller gets the outcome of the
// apply on this node (the leader: followers proxy mutations to it at the HTTP level).
import { ApiError, type CommandBus, type CommandOutcomes, type OrcCommand, type OutcomeOf } from '@orc/api';
import { isRaftError } from '@orc/raft';
import { observeCommand } from '../commands/command-bus.js';
import type { Logger } from '../logging.js';
import type { DaemonMetrics } from '../metrics.js';
import type { FollowerKv, FollowerOutcomes } from './follower-outcomes.js';
import type { KvMasterValue } from './recovery-ops.js';
import { encodeOp } from './replicated-op.js';

/** How the bus gathers followers' KV outcomes of a KV-writing command. */
export interface FollowerKvWait {
  readonly outcomes: FollowerOutcomes;
  readonly followers: () => readonly string[];
  readonly boundMs: number;
  readonly newId: () => string;
}

/** The slice of `Raft` the bus needs. */
export interface RaftProposer {
  apply(data: Uint8Array, options?: { timeoutMs?: number }): Promise<unknown>;
}

/**
 * Proposes each command and resolves with its applied outcome.
 *
 * @example
 * const bus = new RaftCommandBus(raft, metrics, logger);
 * const { stores } = await bus.submit({ kind: 'submit-masters-to-kv-stores', cluster: undefined });
 */
export class RaftCommandBus implements CommandBus {
  readonly #raft: RaftProposer;
  readonly #metrics: DaemonMetrics;
  readonly #logger: Logger;
  readonly #timeoutMs: number;
  readonly #pending = new Set<Promise<unknown>>();
  #closed = false;

  readonly #followerKv: FollowerKvWait | undefined;
  readonly #masters: ((cluster: string | undefined) => Promise<readonly KvMasterValue[]>) | undefined;
  /** The time every node stamps a command's rows with (this leader's wall clock). */
  readonly #wallNow: () => number;

  constructor(
    raft: RaftProposer,
    metrics: DaemonMetrics,
    logger: Logger,
    timeoutMs = 10_000,
    followerKv?: FollowerKvWait,
    masters?: (cluster: string | undefined) => Promise<readonly KvMasterValue[]>,
    wallNow: () => number = Date.now,
  ) {
    this.#wallNow = wallNow;
    this.#masters = masters;
    this.#raft = raft;
    this.#metrics = metrics;
    this.#logger = logger;
    this.#timeoutMs = timeoutMs;
    this.#followerKv = followerKv;
  }

  /**
   * The same bus without waiting for followers' KV outcomes: for the periodic publisher, which
   * would otherwise resubmit every second while one follower's store is down (that store's
   * reconciler repairs it).
   */
  withoutFollowerKv(): CommandBus {
    return { submit: (command) => this.#submit(command, false) };
  }

  submit<C extends OrcCommand>(command: C): Promise<OutcomeOf<C>> {
    return this.#submit(command, true);
  }

  #submit<C extends OrcCommand>(command: C, waitFollowers: boolean): Promise<OutcomeOf<C>> {
    if (this.#closed) return Promise.reject(new ApiError('NOT_ACTIVE', 'orc is shutting down', { retryable: true }));
    const run = this.#propose(command, waitFollowers);
    this.#pending.add(run);
    void run.then(
      () => this.#pending.delete(run),
      () => this.#pending.delete(run),
    );
    return run;
  }

  #propose<C extends OrcCommand>(command: C, waitFollowers: boolean): Promise<OutcomeOf<C>> {
    return observeCommand(
      command,
      async () => {
        const wait = waitFollowers ? this.#followerKv : undefined;
        const masters = this.#masters;
        if (command.kind !== 'submit-masters-to-kv-stores' || masters === undefined)
          return (await this.#raft.apply(encodeOp({ op: 'command', value: command, at: this.#wallNow() }), {
            timeoutMs: this.#timeoutMs,
          })) as OutcomeOf<C>;
        // The primaries as this node (the leader) sees them travel in the entry.
        const value = { id: wait?.newId() ?? '', masters: await masters(command.cluster) };
        const followers =
          wait === undefined
            ? Promise.resolve<FollowerKv[]>([])
            : wait.outcomes.expect(value.id, wait.followers(), wait.boundMs);
        let outcome: CommandOutcomes['submit-masters-to-kv-stores'];
        try {
          outcome = (await this.#raft.apply(encodeOp({ op: 'put-cluster-masters', value }), {
            timeoutMs: this.#timeoutMs,
          })) as CommandOutcomes['submit-masters-to-kv-stores'];
        } catch (err) {
          wait?.outcomes.cancel(value.id);
          throw err;
        }
        const answered = await followers;
        const silent = answered.filter((f) => f.stores === null).map((f) => f.node);
        // A follower that is down must not fail the command: it applies the entry when it is back.
        if (silent.length > 0) this.#logger.warn('no KV outcome from followers within the bound', { silent });
        const stores = [
          ...outcome.stores,
          ...answered.flatMap((f) => (f.stores ?? []).map((s) => ({ ...s, store: `${f.node} ${s.store}` }))),
        ];
        return { ...outcome, stores } as unknown as OutcomeOf<C>;
      },
      this.#metrics,
      this.#logger,
      'command committed and applied',
      (err) => (isRaftError(err) ? toApiError(err) : err),
    );
  }

  /** Refuses new commands and waits for those already proposed. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled([...this.#pending]);
  }
}

/** Raft's own failures as the API's: the caller may retry except when the outcome is unknown. */
function toApiError(err: Error & { code: string; leaderAddress?: string | null }): ApiError {
  switch (err.code) {
    case 'NOT_LEADER':
      return new ApiError('NOT_ACTIVE', `not the Raft leader (leader: ${err.leaderAddress ?? 'unknown'})`, {
        retryable: true,
        cause: err,
      });
    case 'LEADERSHIP_LOST':
    case 'TIMEOUT':
      return new ApiError('NOT_ACTIVE', `outcome unknown: ${err.message}`, { retryable: false, cause: err });
    default:
      return new ApiError('NOT_ACTIVE', err.message, {
        retryable: err.code === 'SHUTDOWN' || err.code === 'BUSY',
        cause: err,
      });
  }
}
