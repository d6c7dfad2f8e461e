// Which node acts (recoveries, KV publishing, periodic jobs). Single mode: this one, always.
// Shared-backend mode: the holder of @orc/backend's lease, attempted every second.
import type { ActiveNodeElection, LeaseHolder } from '@orc/backend';
import { every, type Clock } from '../clock.js';
import type { Logger } from '../logging.js';

/** This node's standing. */
export interface ActiveNode {
  readonly mode: 'single' | 'shared-backend' | 'raft';
  isActive(): boolean;
  /** Who holds the lease, when known. */
  holder(): Promise<LeaseHolder | undefined>;
  /** Calls `listener` whenever this node becomes or stops being active. */
  onChange(listener: (active: boolean) => void): void;
  start(): void;
  /** Stops attempting and gives the lease up so another node takes over at once. */
  stop(): Promise<void>;
}

/**
 * The only node: always active.
 *
 * @example
 * const node = singleNode({ hostname: 'orc1', token });
 */
export function singleNode(self: { hostname: string; token: string }): ActiveNode {
  return {
    mode: 'single',
    isActive: () => true,
    holder: async () => ({ ...self, firstSeenActive: 0, lastSeenActive: 0, dbNow: 0, isExpired: false }),
    onChange: (listener) => listener(true),
    start: () => undefined,
    stop: async () => undefined,
  };
}

/**
 * A contender for the shared backend's lease.
 *
 * @example
 * const node = sharedBackendNode(backend.election({ hostname, token, leaseMs: 5000 }), clock, logger);
 * node.start();
 */
export function sharedBackendNode(
  election: ActiveNodeElection,
  clock: Clock,
  logger: Logger,
  attemptMs = 1000,
): ActiveNode {
  const listeners: ((active: boolean) => void)[] = [];
  let was = false;
  let stopAttempts: (() => void) | undefined;
  let failures = 0;
  const observe = (): void => {
    const now = election.isLeader();
    if (now === was) return;
    was = now;
    logger.info(now ? 'became the active node' : 'no longer the active node', {});
    for (const l of listeners) l(now);
  };
  const attempt = async (): Promise<void> => {
    await election.attempt();
    failures = 0;
    observe();
  };
  return {
    mode: 'shared-backend',
    isActive: () => {
      observe();
      return election.isLeader();
    },
    holder: () => election.readHolder(),
    onChange: (listener) => listeners.push(listener),
    start: () => {
      void attempt().catch((err: unknown) => logger.warn('election attempt failed', { error: String(err) }));
      stopAttempts = every(clock, attemptMs, attempt, (err) => {
        failures++;
        // A backend that stays away is also a lost lease: say so once, not every second.
        if (failures === 1) logger.warn('election attempt failed', { error: String(err) });
        observe();
      });
    },
    stop: async () => {
      stopAttempts?.();
      if (election.isLeader()) await election.stepDown();
      observe();
    },
  };
}
