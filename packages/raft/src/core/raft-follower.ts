// Message handling shared by every role (term checks, answering votes), and the follower's step
// function: accepting appends, heartbeats and snapshot chunks. The candidate's side of an
// election (campaign timer, counting votes) is in raft-candidate.ts.
import type {
  AppendRequest,
  Heartbeat,
  Message,
  ReadIndexRequest,
  ReadIndexResponse,
  SnapshotChunk,
  VoteRequest,
} from './messages.js';
import type { RaftCore } from './raft-core.js';
import { logIndex, term as toTerm } from './types.js';

/** The leader a message of a higher term reveals (only a leader sends these). */
function leaderOf(m: Message): Message['from'] | null {
  return m.type === 'append' || m.type === 'heartbeat' || m.type === 'snapshot' ? m.from : null;
}

/**
 * Entry point for every received message: reconciles terms, answers votes, then hands the
 * message to the current role's step function.
 */
export function stepMessage(r: RaftCore, m: Message): void {
  if (m.term > r.term) {
    if (m.type === 'vote' || m.type === 'preVote') {
      const checkLease = m.type === 'preVote' || r.cfg.checkQuorum;
      // A node that still hears from its leader neither votes nor moves its term: a node coming
      // back from a partition cannot depose a healthy leader. Leadership transfers bypass this.
      if (checkLease && !m.isTransfer && r.inLease()) return;
    }
    if (m.type === 'preVote' || (m.type === 'preVoteResp' && m.granted)) {
      // Pre-votes change no one's term: a granted pre-vote answer carries the proposed term.
    } else {
      r.becomeFollower(m.term, leaderOf(m));
    }
  } else if (m.term < r.term) {
    if ((r.cfg.checkQuorum || r.cfg.preVote) && (m.type === 'append' || m.type === 'heartbeat')) {
      // A stale leader (e.g. cut off and healed) learns our term from this and steps down; a
      // node stuck at a higher term is otherwise never heard.
      r.send({
        type: 'appendResp',
        to: m.from,
        index: logIndex(0),
        reject: false,
        hintIndex: logIndex(0),
        hintTerm: toTerm(0),
      });
    } else if (m.type === 'preVote') {
      r.send({ type: 'preVoteResp', to: m.from, granted: false });
    }
    return;
  }

  if (m.type === 'vote' || m.type === 'preVote') {
    handleVoteRequest(r, m);
    return;
  }
  r.step(r, m);
}

function handleVoteRequest(r: RaftCore, m: VoteRequest): void {
  const canVote =
    r.vote === m.from || (r.vote === null && r.lead === null) || (m.type === 'preVote' && m.term > r.term);
  const respType = m.type === 'vote' ? 'voteResp' : 'preVoteResp';
  if (canVote && r.log.isUpToDate(m.lastIndex, m.lastTerm)) {
    // The answer to a granted vote carries the candidate's term (for a pre-vote, the future one).
    r.send({ type: respType, to: m.from, term: m.term, granted: true });
    if (m.type === 'vote') {
      r.electionElapsed = 0;
      r.vote = m.from;
    }
  } else {
    r.send({ type: respType, to: m.from, granted: false });
  }
}

/** Follower: accepts the leader's appends, heartbeats and snapshots; campaigns on timeoutNow. */
export function stepFollower(r: RaftCore, m: Message): void {
  switch (m.type) {
    case 'append':
    case 'heartbeat':
    case 'snapshot':
      // Anything the leader sends proves it alive: the election timer starts over.
      r.electionElapsed = 0;
      r.lead = m.from;
      if (m.type === 'append') handleAppend(r, m);
      else if (m.type === 'heartbeat') handleHeartbeat(r, m);
      else handleSnapshot(r, m);
      return;
    case 'timeoutNow':
      // Leadership transfer: campaign at once, skipping pre-vote, even though a leader is alive.
      if (r.isVoter()) r.campaign('transfer');
      return;
    case 'readIndex':
    case 'readIndexResp':
      stepReadAsNonLeader(r, m);
      return;
    default:
      return;
  }
}

/** Not the leader: refuse a read forwarded to us (the sender thinks we lead); record the answer to one we forwarded. */
export function stepReadAsNonLeader(r: RaftCore, m: ReadIndexRequest | ReadIndexResponse): void {
  if (m.type === 'readIndex')
    r.send({ type: 'readIndexResp', to: m.from, index: logIndex(0), context: m.context, reject: true });
  else r.readStates.push({ context: m.context, index: m.reject ? null : m.index });
}

/** Tells the leader our log matches its own up to `index` (no hint: nothing to skip). */
function acceptAppend(r: RaftCore, to: AppendRequest['from'], index: number): void {
  r.send({
    type: 'appendResp',
    to,
    index: logIndex(index),
    reject: false,
    hintIndex: logIndex(0),
    hintTerm: toTerm(0),
  });
}

function handleAppend(r: RaftCore, m: AppendRequest): void {
  if (m.prevIndex < r.log.committed) {
    // Everything up to our commit index is known to match; say so and let the leader go on from there.
    acceptAppend(r, m.from, r.log.committed);
    return;
  }
  const lastNew = r.log.maybeAppend(m.prevIndex, m.prevTerm, m.commit, m.entries);
  if (lastNew !== null) {
    acceptAppend(r, m.from, lastNew);
    return;
  }
  // Mismatch: point the leader at our last entry whose term is at most its prevTerm, so it can
  // skip every entry of a conflicting term in one round trip.
  const hint = r.log.findConflictByTerm(Math.min(m.prevIndex, r.log.lastIndex()), m.prevTerm);
  r.send({
    type: 'appendResp',
    to: m.from,
    index: m.prevIndex,
    reject: true,
    hintIndex: logIndex(hint.index),
    hintTerm: toTerm(hint.term),
  });
}

function handleHeartbeat(r: RaftCore, m: Heartbeat): void {
  if (m.commit > r.log.committed && m.commit <= r.log.lastIndex()) r.log.commitTo(m.commit);
  r.send({ type: 'heartbeatResp', to: m.from, readSeq: m.readSeq });
}

function handleSnapshot(r: RaftCore, m: SnapshotChunk): void {
  const ackCommitted = (): void => {
    r.incoming = null;
    acceptAppend(r, m.from, r.log.committed);
  };
  if (m.meta.index <= r.log.committed) {
    ackCommitted();
    return;
  }
  const inc = r.incoming;
  const same = inc !== null && inc.index === m.meta.index && inc.term === m.meta.term;
  if (m.offset === 0 && !same) {
    r.incoming = { index: m.meta.index, term: m.meta.term, nextOffset: 0 };
  } else if (!same || inc.nextOffset !== m.offset) {
    // A chunk out of order (lost, duplicated or from an abandoned transfer): ask for the one we need.
    const want = same ? inc.nextOffset : 0;
    r.send({ type: 'snapshotResp', to: m.from, index: m.meta.index, nextOffset: want, reject: false });
    return;
  }
  const cur = r.incoming;
  if (cur === null) return;
  r.snapshotChunks.push({ meta: m.meta, offset: m.offset, data: m.data, done: m.done });
  cur.nextOffset = m.offset + m.data.length;
  if (!m.done) {
    r.send({ type: 'snapshotResp', to: m.from, index: m.meta.index, nextOffset: cur.nextOffset, reject: false });
    return;
  }
  r.incoming = null;
  if (r.restore(m.meta)) {
    r.send({
      type: 'appendResp',
      to: m.from,
      index: logIndex(r.log.lastIndex()),
      reject: false,
      hintIndex: logIndex(0),
      hintTerm: toTerm(0),
    });
  } else {
    ackCommitted();
  }
}
