// Each node's side of failover on agreement: whenever its own probes see a server fail (or a
// replica's stream break), it runs its own analysis and sends the leader the servers it calls
// dead. It sends when that set changes (an empty set retracts an earlier report) and refreshes a
// non-empty one before it would leave the leader's window. The leader's own reports go straight
// to its gate. Like the recovery trigger, a run starts no sooner after the previous one than that
// one took: on a large fleet under many failing probes, back-to-back analyses took the CPU the
// probes needed.
import { instanceKey, type ReplicationAnalysis } from '@orc/topology';
import type { Clock, TimerHandle } from '../clock.js';
import type { Logger } from '../logging.js';
import { agreementFamily, type AnalysisReport } from './failover-agreement.js';

/** What {@link AnalysisReporter} takes. */
export interface AnalysisReporterParts {
  /** This node's own analysis now. */
  readonly analysis: () => Promise<readonly ReplicationAnalysis[]>;
  /** Hands a report to the leader; false when it was not taken (retried at the next run). */
  readonly deliver: (entries: AnalysisReport['entries']) => Promise<boolean>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** A non-empty report is sent again after this long (ms), so it stays inside the leader's window. */
  readonly refreshMs: number;
}

/**
 * Reports this node's dead-server analyses to the leader.
 *
 * @example
 * const reporter = new AnalysisReporter({ analysis: () => topology.analysis(), deliver, clock, logger, refreshMs: 2000 });
 * topology.onProbe((e) => { if (!e.ok) reporter.poke(); });
 */
export class AnalysisReporter {
  readonly #p: AnalysisReporterParts;
  #sent: string | undefined;
  #sentAt = -Infinity;
  #running: Promise<void> | undefined;
  #again = false;
  #refresh: TimerHandle | undefined;
  #paced: TimerHandle | undefined;
  /** Monotonic time before which a run waits: the previous run's end plus its analysis's duration. */
  #earliest = -Infinity;
  #analysisMs = 0;
  #stopped = false;

  constructor(parts: AnalysisReporterParts) {
    this.#p = parts;
  }

  /**
   * Runs the analysis and reports soon; calls while one runs, or while the next waits its turn,
   * are folded into one more run.
   */
  poke(): void {
    if (this.#stopped) return;
    if (this.#running !== undefined) {
      this.#again = true;
      return;
    }
    const wait = this.#earliest - this.#p.clock.now();
    if (wait > 0) {
      this.#paced ??= this.#p.clock.setTimer(wait, () => {
        this.#paced = undefined;
        this.poke();
      });
      return;
    }
    this.#running = this.#run()
      .catch((err: unknown) => this.#p.logger.warn('analysis report failed', { error: String(err) }))
      .finally(() => {
        this.#earliest = this.#p.clock.now() + this.#analysisMs;
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          this.poke();
        }
      });
  }

  /** Resolves when the current run (if any) is done: for tests and shutdown. */
  async idle(): Promise<void> {
    while (this.#running !== undefined) await this.#running;
  }

  stop(): void {
    this.#stopped = true;
    this.#refresh?.cancel();
    this.#paced?.cancel();
  }

  async #run(): Promise<void> {
    // Only the analysis is paced: a slow delivery to the leader costs this node no CPU.
    const startedAt = this.#p.clock.now();
    this.#analysisMs = 0;
    const entries = deadEntries(await this.#p.analysis());
    const now = this.#p.clock.now();
    this.#analysisMs = now - startedAt;
    const text = JSON.stringify(entries);
    if (text === this.#sent && (entries.length === 0 || now - this.#sentAt < this.#p.refreshMs)) return;
    const taken = await this.#p.deliver(entries);
    if (!taken) {
      // Not delivered (no leader yet, or it did not answer): try again shortly.
      this.#schedule(Math.min(250, this.#p.refreshMs));
      return;
    }
    this.#sent = text;
    this.#sentAt = now;
    if (entries.length > 0) this.#schedule(this.#p.refreshMs);
  }

  #schedule(ms: number): void {
    this.#refresh?.cancel();
    this.#refresh = this.#p.clock.setTimer(ms, () => this.poke());
  }
}

/**
 * The entries of an analysis whose recovery needs agreement, as a report carries them (sorted, so
 * the same set always reads the same).
 *
 * @example
 * deadEntries(await topology.analysis()); // [{ key: 'db1:3306', analysis: 'DeadMaster' }]
 */
export function deadEntries(analysis: readonly ReplicationAnalysis[]): AnalysisReport['entries'] {
  return analysis
    .filter((e) => agreementFamily(e.Analysis) !== undefined)
    .map((e) => ({
      key: instanceKey(e.AnalyzedInstanceKey.Hostname, e.AnalyzedInstanceKey.Port),
      analysis: e.Analysis,
    }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
