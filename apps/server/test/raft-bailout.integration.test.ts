// A node that cannot join a quorum within RaftQuorumBailOutSeconds exits 1 naming the peers it
// could not reach (nothing listens on their Raft ports).
import { describe, expect, it } from '@jest/globals';
import { waitFor } from '@orc/testkit';
import { createRaftNodes } from './support/raft-nodes.js';

describe('raft quorum bail-out', () => {
  it('exits non-zero naming the unreachable peers when no quorum forms in time', async () => {
    const group = await createRaftNodes(3, { RaftQuorumBailOutSeconds: 2 });
    try {
      const [alone, b, c] = group.nodes;
      if (alone === undefined || b === undefined || c === undefined) throw new Error('three nodes expected');
      alone.start();
      await waitFor('the lone node exits', () => !alone.isRunning(), { timeoutMs: 60_000, intervalMs: 100 });
      expect(alone.exitCode()).toBe(1);
      expect(alone.output()).toContain('no Raft quorum within 2 s');
      expect(alone.output()).toContain(b.raftAddress);
      expect(alone.output()).toContain(c.raftAddress);
    } finally {
      await group.destroy();
    }
  }, 90_000);
});
