// The shapes the core hands to its driver: Ready batches, soft state, read states, proposal results.
import type { Message } from './messages.js';
import type { ConfState, Entry, HardState, LogIndex, NodeId, SnapshotMeta, Term } from './types.js';

/** A node's role. `preCandidate` is a node running a pre-vote round. */
export type RaftRole = 'follower' | 'preCandidate' | 'candidate' | 'leader';

/** Volatile state worth telling the driver about when it changes (not persisted). */
export interface SoftState {
  readonly lead: NodeId | null;
  readonly role: RaftRole;
  /** The term these hold in (a leader's term of office). */
  readonly term: Term;
}

/**
 * The outcome of a linearizable read request: once the state machine has applied up to `index`
 * the read may be served. `index` null means the read was refused (no leader, or leadership was
 * lost before it was confirmed): try again.
 */
export interface ReadState {
  readonly context: Uint8Array;
  readonly index: LogIndex | null;
}

/** A received snapshot chunk the driver writes to its snapshot store (see core README). */
export interface IncomingSnapshotChunk {
  readonly meta: SnapshotMeta;
  /** Byte offset; 0 starts a new snapshot (abort any partial one). */
  readonly offset: number;
  readonly data: Uint8Array;
  /** The last chunk: after writing it, commit the snapshot (it is then installed by `Ready.snapshot`). */
  readonly done: boolean;
}

/**
 * One batch of work for the driver. Process in this order:
 * 1. write `snapshotChunks` to the snapshot store (commit the one with `done`);
 * 2. if `snapshot`: restore the state machine from that snapshot and reset the log to after it;
 * 3. append `entries` to the log (replacing any suffix from the first new index) and save
 *    `hardState`, durably (synced when `mustSync`);
 * 4. only then send `messages`;
 * 5. apply `committedEntries` in order; serve `readStates` once applied up to their index;
 *    persist `confState` if set (the membership after applying these entries);
 * 6. call `advance(ready)`.
 */
export interface Ready {
  readonly softState: SoftState | null;
  readonly hardState: HardState | null;
  readonly snapshotChunks: readonly IncomingSnapshotChunk[];
  readonly snapshot: SnapshotMeta | null;
  readonly entries: readonly Entry[];
  readonly messages: readonly Message[];
  readonly committedEntries: readonly Entry[];
  readonly readStates: readonly ReadState[];
  readonly confState: ConfState | null;
  /** Whether the writes of step 3 must be synced (false when only the commit index moved). */
  readonly mustSync: boolean;
}

/** Why a proposal was refused. */
export type ProposalRefusal =
  /** Not the leader; `leader` names the known leader, if any. */
  | 'notLeader'
  /** A leadership transfer is in progress. */
  | 'transferring'
  /** Accepting it would exceed maxUncommittedSize. */
  | 'uncommittedLimit'
  /** A previous membership change is not applied yet. */
  | 'confChangePending'
  /** The membership change is not valid for the current configuration (see `detail`). */
  | 'invalidConfChange';

/** The result of `propose` / `proposeConfChange`: where the entry went, or why it was refused. */
export type ProposeResult =
  | { readonly ok: true; readonly index: LogIndex; readonly term: Term }
  | { readonly ok: false; readonly reason: ProposalRefusal; readonly leader: NodeId | null; readonly detail: string };

/** What a leader knows of one peer (for status and tests). */
export interface PeerProgress {
  readonly match: LogIndex;
  readonly next: LogIndex;
  readonly state: 'probe' | 'replicate' | 'snapshot';
  readonly isLearner: boolean;
  readonly recentActive: boolean;
}

/** A snapshot of a core's state for status pages and tests. */
export interface RaftStatus {
  readonly id: NodeId;
  readonly term: Term;
  readonly vote: NodeId | null;
  readonly lead: NodeId | null;
  readonly role: RaftRole;
  readonly commit: LogIndex;
  readonly applied: LogIndex;
  readonly lastIndex: LogIndex;
  readonly conf: ConfState;
  readonly leadTransferee: NodeId | null;
  /** Leader only: each peer's progress (self included). */
  readonly progress: ReadonlyMap<NodeId, PeerProgress>;
}
