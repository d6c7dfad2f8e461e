// What discovery learns at the end of a recovery. The promoted replica is probed at the emergent
// pace while its old primary is suspected, but a probe that lands between its RESET SLAVE ALL
// and its read_only=0 sees a read-only server with no primary, which is no longer emergent: the
// next probe came a whole InstancePollSeconds later, and the API named no writable primary until
// then (5 s in bench:daemon under load). The recovery's participants are probed again at once.
import type { InstanceKey, RecoveryReport } from '@orc/topology';
import type { Logger } from '../logging.js';

/** The part of `OrcTopology` this needs. */
export interface Rediscover {
  discover(key: string): Promise<unknown>;
}

/**
 * Probes the new primary and the repointed replicas now; a failure is logged, the next poll
 * tries again.
 *
 * @example
 * const report = await engine.recoverDeadMaster(request);
 * reprobeParticipants(topology, report, logger);
 */
export function reprobeParticipants(topology: Rediscover, report: RecoveryReport, logger: Logger): void {
  const keys: InstanceKey[] = [...(report.successor === null ? [] : [report.successor]), ...report.repointed];
  for (const key of keys) {
    // discover() throws at once when discovery has stopped (a shutdown): a rejection like any other.
    Promise.resolve(key)
      .then((k) => topology.discover(k))
      .catch((err: unknown) =>
        logger.warn('probe after recovery failed', { key, error: err instanceof Error ? err.message : String(err) }),
      );
  }
}
