// The leader: replication with flow control, commit, heartbeats and check-quorum, ReadIndex,
// snapshot sending, leadership transfer.
import type { AppendResponse, HeartbeatResponse, Message, SnapshotResponse } from './messages.js';
import type { Progress } from './progress.js';
import { isMajority } from './quorum.js';
import type { RaftCore } from './raft-core.js';
import { answerRead, handleReadRequest, releaseReads } from './raft-reads.js';
import type { NodeId } from './types.js';
import { logIndex, term as toTerm } from './types.js';

/** Sends the next append (or snapshot chunk) to `to`, if flow control allows. Returns whether a message was sent. */
export function sendAppend(r: RaftCore, to: NodeId, sendIfEmpty = true): boolean {
  const pr = r.prs.get(to);
  if (pr === undefined || to === r.id || pr.isPaused()) return false;
  const prevIndex = pr.next - 1;
  const prevTerm = r.log.term(prevIndex);
  const entries = prevTerm === undefined ? null : r.log.slice(pr.next, r.log.lastIndex() + 1, r.cfg.maxSizePerMsg);
  if (prevTerm === undefined || entries === null) {
    return startSnapshot(r, to, pr);
  }
  if (entries.length === 0 && !sendIfEmpty) return false;
  r.send({
    type: 'append',
    to,
    prevIndex: logIndex(prevIndex),
    prevTerm: toTerm(prevTerm),
    entries,
    commit: logIndex(r.log.committed),
  });
  const last = entries[entries.length - 1];
  pr.sentEntries(last === undefined ? prevIndex : last.index, entries.length);
  return true;
}

function startSnapshot(r: RaftCore, to: NodeId, pr: Progress): boolean {
  const meta = r.log.snapshot();
  if (meta === null) {
    throw new Error(
      `raft: peer ${to} needs entries before the first index ${r.log.firstIndex()} but storage has no snapshot`,
    );
  }
  pr.becomeSnapshot(meta.index, meta.term);
  sendSnapshotChunk(r, to, pr);
  return true;
}

/** Emits the chunk at the peer's current offset; the driver fills in the bytes. */
function sendSnapshotChunk(r: RaftCore, to: NodeId, pr: Progress): void {
  const meta = r.log.snapshot();
  if (meta === null || meta.index !== pr.pendingSnapshot) {
    // A newer snapshot replaced the one being sent: start over with it.
    pr.becomeProbe(false);
    sendAppend(r, to);
    return;
  }
  pr.snapshotStall = 0;
  r.send({ type: 'snapshot', to, meta, offset: pr.snapshotOffset, data: new Uint8Array(0), done: false });
}

export function bcastAppend(r: RaftCore, sendIfEmpty = true): void {
  for (const p of r.peers()) sendAppend(r, p, sendIfEmpty);
}

/** Broadcasts heartbeats for a new round; a quorum acknowledging it confirms pending reads. */
export function bcastHeartbeat(r: RaftCore): void {
  const round = ++r.readRound;
  r.roundTick.set(round, r.ticks);
  // Unacknowledged rounds pile up while no quorum answers (check-quorum off): keep the newest.
  if (r.roundTick.size > 1024) {
    const oldest = r.roundTick.keys().next();
    if (oldest.done !== true) r.roundTick.delete(oldest.value);
  }
  r.readRoundNeeded = false;
  for (const p of r.peers()) {
    const pr = r.prs.get(p);
    if (pr === undefined) continue;
    r.send({
      type: 'heartbeat',
      to: p,
      commit: logIndex(Math.min(pr.match, r.log.committed)),
      readSeq: round,
    });
  }
  // A single-voter group confirms its own rounds.
  releaseReads(r);
}

export function tickHeartbeat(r: RaftCore): void {
  r.heartbeatElapsed++;
  r.electionElapsed++;
  // Checked every tick, so a leader cut off from its quorum steps down exactly one election
  // timeout after it last heard from a quorum.
  if (r.cfg.checkQuorum && !quorumActive(r)) {
    r.becomeFollower(r.term, null);
    return;
  }
  if (r.electionElapsed >= r.cfg.electionTickMin) {
    r.electionElapsed = 0;
    // A transfer that did not complete within an election timeout is abandoned.
    if (r.leadTransferee !== null) r.leadTransferee = null;
  }
  if (r.heartbeatElapsed >= r.cfg.heartbeatTick) {
    r.heartbeatElapsed = 0;
    bcastHeartbeat(r);
  }
}

/** Whether a quorum of voters was heard from within the last election timeout. */
function quorumActive(r: RaftCore): boolean {
  let active = 0;
  const since = r.ticks - r.cfg.electionTickMin;
  for (const v of r.conf.voters) {
    const pr = r.prs.get(v);
    if (pr === undefined) continue;
    pr.recentActive = v === r.id || pr.lastActiveTick > since;
    if (pr.recentActive) active++;
  }
  return isMajority(active, r.conf.voters.length);
}

/**
 * The leader applied its own removal: tell everyone the commit index (so they apply it too),
 * hand leadership to the most caught-up voter, and step down.
 */
export function stepDownAfterRemoval(r: RaftCore): void {
  bcastAppend(r);
  let best: NodeId | null = null;
  let bestMatch = -1;
  for (const v of r.conf.voters) {
    const pr = r.prs.get(v);
    if (pr !== undefined && pr.match > bestMatch) {
      best = v;
      bestMatch = pr.match;
    }
  }
  if (best !== null && bestMatch === r.log.lastIndex()) sendTimeoutNow(r, best);
  r.becomeFollower(r.term, null);
}

/**
 * Tells `to` to campaign now. Its campaign bypasses the followers' lease, so from here on this
 * leader may not serve lease reads for the rest of its term.
 */
function sendTimeoutNow(r: RaftCore, to: NodeId): void {
  r.leaseBroken = true;
  r.send({ type: 'timeoutNow', to });
}

/** Starts a leadership transfer to `to` (which must be a voter). */
export function transferLeadership(r: RaftCore, to: NodeId): void {
  if (r.leadTransferee === to) return;
  r.leadTransferee = to;
  r.electionElapsed = 0;
  const pr = r.prs.get(to);
  if (pr === undefined) return;
  if (pr.match === r.log.lastIndex()) sendTimeoutNow(r, to);
  else sendAppend(r, to);
}

export function stepLeader(r: RaftCore, m: Message): void {
  switch (m.type) {
    case 'appendResp':
      handleAppendResponse(r, m);
      return;
    case 'heartbeatResp':
      handleHeartbeatResponse(r, m);
      return;
    case 'snapshotResp':
      handleSnapshotResponse(r, m);
      return;
    case 'readIndex':
      if (r.prs.has(m.from)) handleReadRequest(r, m.context, m.from);
      else answerRead(r, m.from, m.context, null);
      return;
    default:
      return;
  }
}

function handleAppendResponse(r: RaftCore, m: AppendResponse): void {
  const pr = r.prs.get(m.from);
  if (pr === undefined) return;
  pr.recentActive = true;
  pr.lastActiveTick = r.ticks;
  if (m.reject) {
    let probeAt = m.hintIndex as number;
    if (m.hintTerm > 0) probeAt = r.log.findConflictByTerm(m.hintIndex, m.hintTerm).index;
    if (pr.maybeDecrTo(m.index, probeAt)) {
      if (pr.state === 'replicate') pr.becomeProbe();
      sendAppend(r, m.from);
    }
    return;
  }
  const wasPaused = pr.isPaused();
  if (!pr.maybeUpdate(m.index)) {
    if (pr.state === 'snapshot' && pr.match >= pr.pendingSnapshot) pr.becomeProbe();
    return;
  }
  if (pr.state === 'probe') pr.becomeReplicate();
  else if (pr.state === 'snapshot' && pr.match >= pr.pendingSnapshot) {
    pr.becomeProbe();
    pr.becomeReplicate();
  } else if (pr.state === 'replicate') pr.inflights.freeLE(m.index);

  if (r.maybeCommit()) {
    bcastAppend(r);
  } else if (wasPaused) {
    sendAppend(r, m.from);
  }
  // Keep the pipeline full while flow control allows.
  while (sendAppend(r, m.from, false)) {
    /* loop */
  }
  if (m.from === r.leadTransferee && pr.match === r.log.lastIndex()) sendTimeoutNow(r, m.from);
}

function handleHeartbeatResponse(r: RaftCore, m: HeartbeatResponse): void {
  const pr = r.prs.get(m.from);
  if (pr === undefined) return;
  pr.recentActive = true;
  pr.lastActiveTick = r.ticks;
  if (pr.state === 'snapshot') {
    // Chunks are acknowledged one by one; resend the current one if it seems lost.
    pr.snapshotStall++;
    if (pr.snapshotStall * r.cfg.heartbeatTick >= r.cfg.electionTickMin) sendSnapshotChunk(r, m.from, pr);
  } else {
    pr.probeSent = false;
    if (pr.state === 'replicate' && pr.inflights.isFull()) pr.inflights.freeFirst();
    if (pr.match < r.log.lastIndex()) sendAppend(r, m.from);
  }
  if (!pr.isLearner && m.readSeq > (r.ackedRound.get(m.from) ?? 0)) {
    r.ackedRound.set(m.from, m.readSeq);
    releaseReads(r);
  }
}

function handleSnapshotResponse(r: RaftCore, m: SnapshotResponse): void {
  const pr = r.prs.get(m.from);
  if (pr === undefined) return;
  pr.recentActive = true;
  pr.lastActiveTick = r.ticks;
  if (pr.state !== 'snapshot' || m.index !== pr.pendingSnapshot) return;
  if (m.reject) {
    pr.becomeProbe();
    sendAppend(r, m.from);
    return;
  }
  pr.snapshotOffset = m.nextOffset;
  sendSnapshotChunk(r, m.from, pr);
}
