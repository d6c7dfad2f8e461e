// The vocabulary shared by the pure core, the node driver and the storage adapters.
// Kept small and stable: adapters persist these shapes, the transport encodes them.

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** A server's identity within a Raft group. Opaque to Raft; unique within the group. */
export type NodeId = Brand<string, 'NodeId'>;
/** A Raft term: a logical clock that only moves forward. */
export type Term = Brand<number, 'Term'>;
/** A position in the replicated log, starting at 1; 0 means "before the first entry". */
export type LogIndex = Brand<number, 'LogIndex'>;

export const nodeId = (id: string): NodeId => id as NodeId;
export const term = (n: number): Term => n as Term;
export const logIndex = (n: number): LogIndex => n as LogIndex;

/** What an entry carries. Numeric, so that stores and the wire keep it in one byte. */
export const EntryType = {
  /** A user command, applied to the state machine. */
  Command: 0,
  /** A configuration change: its data is an encoded membership change. */
  ConfChange: 1,
  /** The empty entry a new leader appends to commit entries of earlier terms. */
  Noop: 2,
} as const;
export type EntryType = (typeof EntryType)[keyof typeof EntryType];

export interface Entry {
  readonly index: LogIndex;
  readonly term: Term;
  readonly type: EntryType;
  readonly data: Uint8Array;
}

/** What must be durable before a node sends a message that depends on it. */
export interface HardState {
  readonly term: Term;
  /** The candidate this node voted for in `term`, or null. */
  readonly vote: NodeId | null;
  readonly commit: LogIndex;
}

/** The group's membership. `votersOutgoing` is non-empty only inside a joint configuration. */
export interface ConfState {
  readonly voters: readonly NodeId[];
  readonly learners: readonly NodeId[];
  readonly votersOutgoing: readonly NodeId[];
}

/** Describes the state a snapshot covers: everything up to and including `index`. */
export interface SnapshotMeta {
  readonly index: LogIndex;
  readonly term: Term;
  readonly conf: ConfState;
}
