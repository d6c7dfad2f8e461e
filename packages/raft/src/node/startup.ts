// Loading a node's durable state on start: the newest valid snapshot restored into the state
// machine, the log after it, the hard state; or, for a brand-new group, the bootstrap entries.
import { encodeConfChange } from '../core/conf-change.js';
import type { ConfState, Entry, HardState, LogIndex, NodeId, SnapshotMeta } from '../core/types.js';
import { EntryType, logIndex, term as toTerm } from '../core/types.js';
import type { LogStore, SnapshotStore, StableStore, StateMachine } from '../ports.js';
import { RaftError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { RaftConfig } from './raft-config.js';

export interface LoadedState {
  readonly hardState: HardState;
  /** The membership as of the snapshot (later changes are replayed from the log). */
  readonly conf: ConfState;
  readonly snapshot: SnapshotMeta | null;
  readonly entries: readonly Entry[];
  readonly applied: number;
}

const emptyConf: ConfState = Object.freeze({ voters: [], learners: [], votersOutgoing: [] });

export async function loadState(
  config: RaftConfig,
  parts: {
    readonly logStore: LogStore;
    readonly stableStore: StableStore;
    readonly snapshotStore: SnapshotStore;
    readonly stateMachine: StateMachine<unknown>;
  },
  logger: Logger,
): Promise<LoadedState> {
  const { logStore, stableStore, snapshotStore, stateMachine } = parts;
  const stored = await stableStore.load();
  const source = await snapshotStore.latest();
  let snapshot: SnapshotMeta | null = null;
  if (source !== null) {
    try {
      await stateMachine.restore(source);
      snapshot = source.meta;
    } finally {
      await source.close();
    }
    logger.info('raft state machine restored from snapshot', { index: snapshot.index, term: snapshot.term });
  }
  const snapIndex = snapshot?.index ?? 0;
  let first = await logStore.firstIndex();
  let last = await logStore.lastIndex();
  if (snapshot !== null && snapIndex > last) {
    // The snapshot is ahead of the log (installed from a leader): the log restarts after it.
    await logStore.reset(snapshot.index, snapshot.term);
    first = logIndex(snapIndex + 1);
    last = logIndex(snapIndex);
  }
  if (first > snapIndex + 1) {
    throw new RaftError('STORAGE', 'the log starts after the newest valid snapshot: entries in between are lost', {
      details: [{ path: 'logStore.firstIndex', message: `is ${first}; newest valid snapshot ends at ${snapIndex}` }],
    });
  }
  let hardState = stored?.hardState ?? null;
  if (hardState === null && snapshot === null && last === 0 && config.bootstrap) {
    const boot = bootstrapEntries(config);
    // Requested together: a store with group commit (SqliteLogStore) writes both in one
    // transaction, so a fresh node pays one sync before its first election, and a crash
    // cannot leave the entries without the hard state.
    await Promise.all([logStore.append(boot.entries), stableStore.saveHardState(boot.hardState)]);
    last = logIndex(boot.entries.length);
    hardState = boot.hardState;
    logger.info('raft group bootstrapped', { voters: boot.entries.length });
  }
  hardState ??= { term: (snapshot?.term ?? 0) as HardState['term'], vote: null, commit: logIndex(snapIndex) };
  if (hardState.commit < snapIndex) hardState = { ...hardState, commit: logIndex(snapIndex) };
  if (hardState.commit > last) hardState = { ...hardState, commit: last as LogIndex };
  const entries =
    last > snapIndex
      ? await logStore.entries(logIndex(Math.max(first, snapIndex + 1)), logIndex(last + 1), Infinity)
      : [];
  return { hardState, conf: snapshot?.conf ?? emptyConf, snapshot, entries, applied: snapIndex };
}

/**
 * Bootstrap entries: one addVoter per initial member. They must be byte-identical on
 * every initial member (same index and term), so they carry no address: addresses come from
 * each node's `config.peers`.
 */
export function bootstrapEntries(config: RaftConfig): { entries: Entry[]; hardState: HardState } {
  const ids = [...new Set([config.id, ...Object.keys(config.peers)])].sort();
  const entries: Entry[] = ids.map((id, i) => ({
    index: logIndex(i + 1),
    term: toTerm(1),
    type: EntryType.ConfChange,
    data: encodeConfChange(bootstrapChange(id as NodeId)),
  }));
  return { entries, hardState: { term: toTerm(1), vote: null, commit: logIndex(entries.length) } };
}

// A plain change without the resulting configuration: every initial member writes the same bytes.
function bootstrapChange(node: NodeId): { type: 'addVoter'; node: NodeId; context: Uint8Array; result: null } {
  return { type: 'addVoter', node, context: new Uint8Array(0), result: null };
}
