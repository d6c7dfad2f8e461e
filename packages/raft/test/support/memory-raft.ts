// A Raft node over in-memory parts (store, snapshots, network) on a test clock, for unit tests of
// the node driver: each test names its id, peers, state machine and what it varies.
import { nodeId } from '../../src/core/types.js';
import type { RaftConfigInput } from '../../src/node/raft-config.js';
import type { Clock, LogStore, SnapshotStore, StableStore, StateMachine } from '../../src/ports.js';
import { Raft } from '../../src/raft.js';
import { MemorySnapshotStore } from '../../src/snapshot/memory-snapshot-store.js';
import { MemoryStore } from '../../src/storage/memory-store.js';
import { MemoryNetwork } from '../../src/transport/memory-transport.js';

/** What a test may set; the rest is a fresh in-memory node ticking every 10 ms. */
export interface MemoryRaftOptions<R> {
  readonly id: string;
  /** Every member of the group, this node included, reached as `mem://<id>`; absent: the config's default. */
  readonly peers?: readonly string[];
  readonly stateMachine: StateMachine<R>;
  readonly clock: Clock;
  /** The network the group shares; default: a network of its own. */
  readonly network?: MemoryNetwork;
  /** The log and stable store (one object); default: a new MemoryStore. */
  readonly store?: LogStore & StableStore;
  readonly snapshotStore?: SnapshotStore;
  /** Default 0.5: the same election timeout on every run. */
  readonly random?: () => number;
  /** Replaces fields of the default config (tickMs 10, heartbeatMs 20, electionTimeoutMs 100). */
  readonly config?: Partial<RaftConfigInput>;
}

/**
 * Creates a node over in-memory parts.
 *
 * @example
 * ```ts
 * const raft = await memoryRaft({ id: 'a', stateMachine: sm, clock: new ManualClock() });
 * await untilLeader(raft, clock);
 * ```
 */
export function memoryRaft<R>(o: MemoryRaftOptions<R>): Promise<Raft<R>> {
  const store = o.store ?? new MemoryStore();
  return Raft.create<R>({
    config: {
      id: o.id,
      ...(o.peers === undefined ? {} : { peers: Object.fromEntries(o.peers.map((p) => [p, `mem://${p}`])) }),
      tickMs: 10,
      heartbeatMs: 20,
      electionTimeoutMs: 100,
      ...o.config,
    },
    stateMachine: o.stateMachine,
    logStore: store,
    stableStore: store,
    snapshotStore: o.snapshotStore ?? new MemorySnapshotStore(),
    transport: (o.network ?? new MemoryNetwork()).transport(nodeId(o.id)),
    clock: o.clock,
    random: o.random ?? (() => 0.5),
  });
}
