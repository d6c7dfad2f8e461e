// Quorum arithmetic: what a majority of voters has reached or decided. Pure functions over
// counts and match indexes, shared by commit (raft-core.ts), elections and check-quorum
// (raft-candidate.ts, raft-leader.ts) and read rounds (raft-reads.ts).

/** The commit index a set of voters has reached: the highest index a majority has matched. */
export function quorumIndex(matches: readonly number[]): number {
  return quorumIndexInPlace([...matches]);
}

/**
 * `quorumIndex` that reorders `matches` instead of copying it: the leader computes it on every
 * proposal and acknowledgement, so it allocates nothing (insertion sort; groups are small).
 */
export function quorumIndexInPlace(matches: number[]): number {
  const n = matches.length;
  if (n === 0) return Infinity;
  for (let i = 1; i < n; i++) {
    const x = matches[i]!;
    let j = i - 1;
    while (j >= 0 && matches[j]! < x) {
      matches[j + 1] = matches[j]!;
      j--;
    }
    matches[j + 1] = x;
  }
  return matches[Math.floor(n / 2)]!;
}

/** Whether `granted` of `voters` votes are a majority. */
export function isMajority(granted: number, voters: number): boolean {
  return granted > Math.floor(voters / 2);
}

/**
 * The outcome of an election so far: `won` once a majority granted, `lost` once so many refused
 * that a majority can no longer grant, else `pending`.
 */
export function voteResult(granted: number, rejected: number, voters: number): 'won' | 'lost' | 'pending' {
  if (isMajority(granted, voters)) return 'won';
  // Lost once the votes not refused cannot make a majority (with 4 voters, 2 refusals do it).
  if (!isMajority(voters - rejected, voters)) return 'lost';
  return 'pending';
}
