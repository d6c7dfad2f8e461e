export type { ConfState, Entry, HardState, LogIndex, NodeId, SnapshotMeta, Term } from './core/types.js';
export { EntryType, logIndex, nodeId, term } from './core/types.js';
export type {
  AppliedEntry,
  Clock,
  LogStore,
  RandomSource,
  SnapshotSink,
  SnapshotSource,
  SnapshotStore,
  SnapshotWriter,
  StableStore,
  StateMachine,
  StateMachineSnapshot,
  StoredState,
  TimerHandle,
  Transport,
  TransportHandlers,
} from './ports.js';

// io: the node, its public API and the adapters (raft-io)
export { Raft } from './raft.js';
export type { CallOptions, RaftOptions, RaftStats } from './raft.js';
export { validateRaftConfig } from './node/raft-config.js';
export type { RaftConfig, RaftConfigInput } from './node/raft-config.js';
export type { RaftEventName, RaftEvents, RaftState } from './node/events.js';
export { RaftError, isRaftError, raftErrorRetryable } from './errors.js';
export type { RaftErrorCode, RaftErrorDetail, RaftErrorOptions } from './errors.js';
export { noopLogger } from './logger.js';
export type { LogFields, Logger } from './logger.js';
export { systemClock } from './clock.js';
export { SqliteLogStore } from './storage/sqlite-log-store.js';
export type { SqliteLogStoreOptions } from './storage/sqlite-log-store.js';
export { MemoryStore } from './storage/memory-store.js';
export { FileSnapshotStore } from './snapshot/file-snapshot-store.js';
export type { FileSnapshotStoreOptions } from './snapshot/file-snapshot-store.js';
export { MemorySnapshotStore } from './snapshot/memory-snapshot-store.js';
export { TcpTransport } from './transport/tcp-transport.js';
export type { TcpTransportStats } from './transport/tcp-transport.js';
export type { TcpTlsOptions, TcpTransportOptions } from './transport/tcp-options.js';
export { MemoryNetwork, MemoryTransport } from './transport/memory-transport.js';
export { decodeMessage, encodeMessage, WIRE_VERSION } from './codec/message-codec.js';
// end io

// core
export { RawNode } from './core/raw-node.js';
export type { TransferResult } from './core/raw-node.js';
export { validateRaftCoreConfig } from './core/config.js';
export type { RaftCoreConfig, RaftCoreConfigInput } from './core/config.js';
export { MemoryStorage, entriesSize, limitSize } from './core/storage.js';
export type { MemoryStorageInit, RaftStorage } from './core/storage.js';
export { applyConfChange, confChangeProblem, decodeConfChange, encodeConfChange } from './core/conf-change.js';
export type { ConfChange, ConfChangeEntry, ConfChangeType } from './core/conf-change.js';
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
