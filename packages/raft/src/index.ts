export type { ConfState, Entry, HardState, LogIndex, NodeId, SnapshotMeta, Term } from './core/types.js';
export { EntryType, logIndex, nodeId, term } from './core/types.js';
export type {
  Clock,
  LogStore,
  RandomSource,
  SnapshotSink,
  SnapshotSource,
  SnapshotStore,
  StableStore,
  Transport,
} from './ports.js';
