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

// core
export { RawNode } from './core/raw-node.js';
export type { TransferResult } from './core/raw-node.js';
export { validateRaftCoreConfig } from './core/config.js';
export type { RaftCoreConfig, RaftCoreConfigInput } from './core/config.js';
export { MemoryStorage, entriesSize, limitSize } from './core/storage.js';
export type { MemoryStorageInit, RaftStorage } from './core/storage.js';
export { applyConfChange, confChangeProblem, decodeConfChange, encodeConfChange } from './core/conf-change.js';
export type { ConfChange, ConfChangeType } from './core/conf-change.js';
export { fillSnapshotChunk, isResponse, messageTypes } from './core/messages.js';
export type {
  AppendRequest,
  AppendResponse,
  Heartbeat,
  HeartbeatResponse,
  Message,
  MessageHeader,
  MessageType,
  ReadIndexRequest,
  ReadIndexResponse,
  SnapshotChunk,
  SnapshotResponse,
  TimeoutNow,
  VoteRequest,
  VoteResponse,
} from './core/messages.js';
export type {
  IncomingSnapshotChunk,
  PeerProgress,
  ProposalRefusal,
  ProposeResult,
  RaftRole,
  RaftStatus,
  ReadState,
  Ready,
  SoftState,
} from './core/ready-types.js';
// end core
