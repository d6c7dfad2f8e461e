// The messages Raft peers exchange. Plain data only (numbers, strings, booleans, Uint8Array,
// arrays of entries) so that a transport can encode them in a compact binary frame; no class
// instances, no functions, no Maps. Every message names its sender, its recipient and the
// sender's term; the `type` field discriminates the union.
import type { Entry, LogIndex, NodeId, SnapshotMeta, Term } from './types.js';

/** Fields every message carries. */
export interface MessageHeader {
  readonly from: NodeId;
  readonly to: NodeId;
  /** The sender's term (for a granted pre-vote, the term the candidate would campaign in). */
  readonly term: Term;
}

/**
 * A request for a vote (`vote`), or a pre-vote (`preVote`: "would you vote for me at `term`?",
 * which changes no one's term). `isTransfer` marks a campaign started by a leadership
 * transfer: voters then grant it even while they still hear from the current leader.
 */
export interface VoteRequest extends MessageHeader {
  readonly type: 'vote' | 'preVote';
  readonly lastIndex: LogIndex;
  readonly lastTerm: Term;
  readonly isTransfer: boolean;
}

/** The answer to a vote or pre-vote request. */
export interface VoteResponse extends MessageHeader {
  readonly type: 'voteResp' | 'preVoteResp';
  readonly granted: boolean;
}

/**
 * Log replication (AppendEntries): `entries` follow the entry at `prevIndex`, whose term is
 * `prevTerm`. `commit` is the leader's commit index. An empty `entries` is a probe.
 */
export interface AppendRequest extends MessageHeader {
  readonly type: 'append';
  readonly prevIndex: LogIndex;
  readonly prevTerm: Term;
  readonly entries: readonly Entry[];
  readonly commit: LogIndex;
}

/**
 * The answer to `append` (and to a snapshot once installed). On success `index` is the last
 * index now known to match the leader's log. On rejection `index` is the `prevIndex` that did
 * not match, and (`hintIndex`, `hintTerm`) name the follower's last entry at or before it whose
 * term is at most the leader's `prevTerm`: the leader skips a whole conflicting term per round
 * trip instead of one entry (fast backtracking).
 */
export interface AppendResponse extends MessageHeader {
  readonly type: 'appendResp';
  readonly index: LogIndex;
  readonly reject: boolean;
  readonly hintIndex: LogIndex;
  readonly hintTerm: Term;
}

/**
 * The leader's heartbeat. `commit` is never beyond what the follower is known to hold.
 * `readSeq` identifies the newest ReadIndex round: a response carrying it confirms that the
 * leader was still leader when every read queued up to that round was registered.
 */
export interface Heartbeat extends MessageHeader {
  readonly type: 'heartbeat';
  readonly commit: LogIndex;
  readonly readSeq: number;
}

/** The answer to a heartbeat, echoing its `readSeq`. */
export interface HeartbeatResponse extends MessageHeader {
  readonly type: 'heartbeatResp';
  readonly readSeq: number;
}

/**
 * One chunk of an InstallSnapshot transfer. The leader's core emits this message with an
 * EMPTY `data` and `done: false`; the sending side's driver fills `data` with up to its chunk
 * size of bytes read at `offset` from the snapshot described by `meta`, and sets `done` when
 * the chunk reaches the snapshot's end (see `fillSnapshotChunk`). The core never holds the
 * snapshot's bytes. Chunks are sent one at a time: each is acknowledged by `snapshotResp`,
 * the last one by an `appendResp` once the follower installed the snapshot.
 */
export interface SnapshotChunk extends MessageHeader {
  readonly type: 'snapshot';
  readonly meta: SnapshotMeta;
  readonly offset: number;
  readonly data: Uint8Array;
  readonly done: boolean;
}

/**
 * Acknowledges a snapshot chunk that is not the last one: the receiver holds bytes
 * [0, `nextOffset`) of the snapshot at `index` durably and wants the chunk at `nextOffset`
 * next. `reject` means the receiver will not take this snapshot (it already has the data).
 */
export interface SnapshotResponse extends MessageHeader {
  readonly type: 'snapshotResp';
  readonly index: LogIndex;
  readonly nextOffset: number;
  readonly reject: boolean;
}

/** Leadership transfer: the leader tells its chosen successor to campaign now. */
export interface TimeoutNow extends MessageHeader {
  readonly type: 'timeoutNow';
}

/** A follower forwards a linearizable read request to its leader. */
export interface ReadIndexRequest extends MessageHeader {
  readonly type: 'readIndex';
  readonly context: Uint8Array;
}

/**
 * The leader's answer to a forwarded read: once the follower has applied up to `index` it may
 * serve the read. `reject` means the recipient was not (or no longer) a leader able to answer.
 */
export interface ReadIndexResponse extends MessageHeader {
  readonly type: 'readIndexResp';
  readonly index: LogIndex;
  readonly context: Uint8Array;
  readonly reject: boolean;
}

/** Every message of the protocol. */
export type Message =
  | VoteRequest
  | VoteResponse
  | AppendRequest
  | AppendResponse
  | Heartbeat
  | HeartbeatResponse
  | SnapshotChunk
  | SnapshotResponse
  | TimeoutNow
  | ReadIndexRequest
  | ReadIndexResponse;

/** The discriminant of `Message`. */
export type MessageType = Message['type'];

/** Every message type, in a fixed order (a codec may use the position as a wire tag). */
export const messageTypes: readonly MessageType[] = Object.freeze([
  'vote',
  'preVote',
  'voteResp',
  'preVoteResp',
  'append',
  'appendResp',
  'heartbeat',
  'heartbeatResp',
  'snapshot',
  'snapshotResp',
  'timeoutNow',
  'readIndex',
  'readIndexResp',
] as const);

/** True for the types that answer another message. */
export function isResponse(type: MessageType): boolean {
  return (
    type === 'voteResp' ||
    type === 'preVoteResp' ||
    type === 'appendResp' ||
    type === 'heartbeatResp' ||
    type === 'snapshotResp' ||
    type === 'readIndexResp'
  );
}

/**
 * Returns a copy of an outgoing snapshot chunk with its bytes filled in. The driver calls it
 * for every `snapshot` message of a Ready, with `data` read at `msg.offset` from the snapshot
 * whose meta is `msg.meta`, and `totalSize` that snapshot's size.
 *
 * @example
 * ```ts
 * const bytes = await source.read(msg.offset, 1 << 20);
 * transport.send(msg.to, encode(fillSnapshotChunk(msg, bytes, source.size)));
 * ```
 */
export function fillSnapshotChunk(msg: SnapshotChunk, data: Uint8Array, totalSize: number): SnapshotChunk {
  return { ...msg, data, done: msg.offset + data.length >= totalSize };
}
