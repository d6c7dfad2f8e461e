// How a command is committed. Single-node and shared-backend modes apply it at once, in order
// (one at a time, so two requests never interleave their writes); a Raft mode will implement
// the same interface by proposing the command and resolving when it is applied.
import { ApiError, type CommandBus, type OrcCommand, type OutcomeOf } from '@orc/api';
import type { DaemonMetrics } from '../metrics.js';
import type { Logger } from '../logging.js';

/**
 * Runs one command's commit and counts and logs its outcome, the same way in every mode; a
 * failure is rethrown as `mapError` makes it.
 *
 * @example
 * await observeCommand(command, () => apply(command), metrics, logger, 'command applied');
 */
export async function observeCommand<C extends OrcCommand>(
  command: C,
  commit: () => Promise<OutcomeOf<C>>,
  metrics: DaemonMetrics,
  logger: Logger,
  appliedMessage: string,
  mapError: (err: unknown) => unknown = (err) => err,
): Promise<OutcomeOf<C>> {
  try {
    const outcome = await commit();
    metrics.commands.inc({ kind: command.kind, outcome: 'ok' });
    logger.info(appliedMessage, { command: command.kind });
    return outcome;
  } catch (err) {
    metrics.commands.inc({ kind: command.kind, outcome: 'error' });
    logger.warn('command failed', { command: command.kind, error: err instanceof Error ? err.message : String(err) });
    throw mapError(err);
  }
}

/**
 * Applies each command at once, one at a time, and counts outcomes.
 *
 * @example
 * const bus = new ImmediateCommandBus((c) => applyCommand(targets, c), metrics, logger);
 * await bus.submit({ kind: 'forget', key });
 */
export class ImmediateCommandBus implements CommandBus {
  readonly #apply: <C extends OrcCommand>(c: C) => Promise<OutcomeOf<C>>;
  readonly #metrics: DaemonMetrics;
  readonly #logger: Logger;
  #tail: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(apply: <C extends OrcCommand>(c: C) => Promise<OutcomeOf<C>>, metrics: DaemonMetrics, logger: Logger) {
    this.#apply = apply;
    this.#metrics = metrics;
    this.#logger = logger;
  }

  submit<C extends OrcCommand>(command: C): Promise<OutcomeOf<C>> {
    if (this.#closed) return Promise.reject(new ApiError('NOT_ACTIVE', 'orc is shutting down', { retryable: true }));
    const run = (): Promise<OutcomeOf<C>> =>
      observeCommand(command, () => this.#apply(command), this.#metrics, this.#logger, 'command applied');
    const result = this.#tail.then(run, run);
    // The queue only orders commands; each failure reaches its own caller through `result`.
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /** Refuses new commands and waits for those already accepted. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#tail;
  }
}
