// Linearizable reads: ReadIndex (the leader confirms its leadership with a heartbeat round that
// a quorum acknowledges; reads requested together share a round), forwarding from followers,
// and the optional leader lease.
import { quorumIndex } from './quorum.js';
import type { RaftCore } from './raft-core.js';
import type { NodeId } from './types.js';
import { logIndex } from './types.js';

/** Answers a read: locally as a ReadState, or to the follower that forwarded it. */
export function answerRead(r: RaftCore, from: NodeId, context: Uint8Array, index: number | null): void {
  if (from === r.id) {
    r.readStates.push({ context, index: index === null ? null : logIndex(index) });
  } else {
    r.send({ type: 'readIndexResp', to: from, index: logIndex(index ?? 0), context, reject: index === null });
  }
}

/** Refuses every read not yet answered (leadership ended). */
export function failPendingReads(r: RaftCore): void {
  for (const rd of r.pendingReads) answerRead(r, rd.from, rd.context, null);
  for (const rd of r.readsAwaitingCommit) answerRead(r, rd.from, rd.context, null);
  r.pendingReads = [];
  r.readsAwaitingCommit = [];
  r.readRoundNeeded = false;
}

/** The newest heartbeat round a quorum of voters acknowledged (self acknowledges every round). */
export function quorumRound(r: RaftCore): number {
  const acks: number[] = [];
  for (const v of r.conf.voters) acks.push(v === r.id ? r.readRound : (r.ackedRound.get(v) ?? 0));
  const q = quorumIndex(acks);
  return Number.isFinite(q) ? q : r.readRound;
}

/** Whether the leader lease holds: a quorum acknowledged a heartbeat sent recently enough. */
export function leaseValid(r: RaftCore): boolean {
  if (!r.cfg.leaseRead || r.leaseBroken) return false;
  const sentAt = r.roundTick.get(quorumRound(r));
  if (sentAt === undefined) return false;
  // Followers promise not to help elect anyone for electionTickMin of THEIR ticks after hearing
  // from us; the leader trusts 80% of that, so clock rates may differ by about 10%.
  return r.ticks - sentAt < Math.floor(r.cfg.electionTickMin * 0.8);
}

/** Leader side of a linearizable read (local or forwarded). */
export function handleReadRequest(r: RaftCore, context: Uint8Array, from: NodeId): void {
  if (!r.committedInTerm()) {
    // Our commit index may lag the previous leader's until our noop commits.
    r.readsAwaitingCommit.push({ context, from });
    return;
  }
  if (r.conf.voters.length === 1 && r.isVoter()) {
    answerRead(r, from, context, r.log.committed);
    return;
  }
  if (leaseValid(r)) {
    answerRead(r, from, context, r.log.committed);
    return;
  }
  r.pendingReads.push({ round: r.readRound + 1, index: r.log.committed, context, from });
  r.readRoundNeeded = true;
}

/** Answers every pending read whose round a quorum confirmed; forgets rounds older than that. */
export function releaseReads(r: RaftCore): void {
  const q = quorumRound(r);
  for (const k of r.roundTick.keys()) {
    if (k >= q) break;
    r.roundTick.delete(k);
  }
  let n = 0;
  while (n < r.pendingReads.length && (r.pendingReads[n]?.round ?? Infinity) <= q) {
    const rd = r.pendingReads[n];
    if (rd !== undefined) answerRead(r, rd.from, rd.context, rd.index);
    n++;
  }
  if (n > 0) r.pendingReads.splice(0, n);
}

export function onCommitAdvanced(r: RaftCore): void {
  if (r.role !== 'leader' || r.readsAwaitingCommit.length === 0 || !r.committedInTerm()) return;
  const waiting = r.readsAwaitingCommit;
  r.readsAwaitingCommit = [];
  for (const w of waiting) handleReadRequest(r, w.context, w.from);
}
