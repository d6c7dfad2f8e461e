// The candidate's side of an election: the timer that starts a campaign (followers and
// candidates both run it) and the pre-candidate and candidate step function that counts votes.
// Starting the campaign and the transitions it causes are RaftCore methods (raft-core.ts).
import type { Message } from './messages.js';
import type { RaftCore } from './raft-core.js';
import { stepFollower, stepReadAsNonLeader } from './raft-follower.js';

/** Pre-candidate and candidate: count votes; defer to a leader of our term. */
export function stepCandidate(r: RaftCore, m: Message): void {
  switch (m.type) {
    case 'append':
    case 'heartbeat':
    case 'snapshot':
      r.becomeFollower(m.term, m.from);
      stepFollower(r, m);
      return;
    case 'voteResp':
    case 'preVoteResp': {
      const wanted = r.role === 'preCandidate' ? 'preVoteResp' : 'voteResp';
      if (m.type !== wanted) return;
      const result = r.poll(m.from, m.granted);
      if (result === 'won') r.wonElection(r.role === 'preCandidate' ? 'preElection' : 'election');
      else if (result === 'lost') r.becomeFollower(r.term, null);
      return;
    }
    case 'readIndex':
    case 'readIndexResp':
      stepReadAsNonLeader(r, m);
      return;
    default:
      return;
  }
}

/** Follower and candidate ticks: campaign when the election timeout elapses. */
export function tickElection(r: RaftCore): void {
  r.electionElapsed++;
  if (r.isVoter() && r.electionElapsed >= r.randomizedElectionTimeout) {
    r.electionElapsed = 0;
    r.hup('election');
  }
}
