// The command bus of Raft mode: each command is proposed to the log, committed by a majority,
// applied by every node to its own backend and stores, and the caller gets the outcome of the
// apply on this node (the leader: followers proxy mutations to it at the HTTP level).
import { ApiError, type CommandBus, type OrcCommand, type OutcomeOf } from '@orc/api';
import { isRaftError } from '@orc/raft';
import { observeCommand } from '../commands/command-bus.js';
import type { Logger } from '../logging.js';
import type { DaemonMetrics } from '../metrics.js';
import { encodeOp } from './replicated-op.js';

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

  constructor(raft: RaftProposer, metrics: DaemonMetrics, logger: Logger, timeoutMs = 10_000) {
    this.#raft = raft;
    this.#metrics = metrics;
    this.#logger = logger;
    this.#timeoutMs = timeoutMs;
  }

  submit<C extends OrcCommand>(command: C): Promise<OutcomeOf<C>> {
    if (this.#closed) return Promise.reject(new ApiError('NOT_ACTIVE', 'orc is shutting down', { retryable: true }));
    const run = this.#propose(command);
    this.#pending.add(run);
    void run.then(
      () => this.#pending.delete(run),
      () => this.#pending.delete(run),
    );
    return run;
  }

  #propose<C extends OrcCommand>(command: C): Promise<OutcomeOf<C>> {
    return observeCommand(
      command,
      async () =>
        (await this.#raft.apply(encodeOp({ op: 'command', value: command }), {
          timeoutMs: this.#timeoutMs,
        })) as OutcomeOf<C>,
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
