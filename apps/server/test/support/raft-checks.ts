// Checks on a Raft group of daemon processes: every member healthy, exactly one leader, and each
// node's downtime rows read from its own backend (see raft-backend.ts).
import { expect } from '@jest/globals';
import type { RaftNode } from '@orc/testenv';
import { waitFor } from '@orc/testkit';
import { readBackend } from './raft-backend.js';

/**
 * Waits until every node answers /api/raft-health 200.
 *
 * @example
 * await waitAllHealthy(group.nodes);
 */
export async function waitAllHealthy(nodes: readonly RaftNode[], timeoutMs = 90_000): Promise<void> {
  await waitFor(
    'every node is a healthy Raft member',
    async () => {
      for (const n of nodes) {
        const ok = await n.get('/api/raft-health').then(
          (r) => r.status === 200,
          // Refused until the process listens: that is what this poll waits out.
          () => false,
        );
        if (!ok) return false;
      }
      return true;
    },
    { timeoutMs, intervalMs: 200, diagnose: () => nodes.map((n) => `${n.name}: ${n.output().slice(-1500)}`) },
  );
}

/**
 * The nodes answering leader-check 200 now; every other answer must be 404.
 *
 * @example
 * expect(await leaders(group.nodes)).toHaveLength(1);
 */
export async function leaders(nodes: readonly RaftNode[]): Promise<RaftNode[]> {
  const codes = await Promise.all(nodes.map(async (n) => (await n.get('/api/leader-check')).status));
  for (const c of codes) expect([200, 404]).toContain(c);
  return nodes.filter((_, i) => codes[i] === 200);
}

/**
 * Waits until exactly one of `nodes` answers leader-check 200 and returns it.
 *
 * @example
 * const leader = await waitOneLeader(group.nodes);
 */
export function waitOneLeader(nodes: readonly RaftNode[], timeoutMs = 30_000): Promise<RaftNode> {
  return waitFor(
    'exactly one node answers leader-check 200',
    async () => {
      const l = await leaders(nodes);
      return l.length === 1 ? l[0] : undefined;
    },
    { timeoutMs, intervalMs: 50 },
  );
}

/** A downtime row. */
export interface DowntimeRow {
  readonly hostname: string;
  readonly port: number;
  readonly owner: string;
  readonly reason: string;
}

/**
 * The downtime rows of `node`'s backend, by host and port.
 *
 * @example
 * expect(backendDowntimes(node).map((d) => d.hostname)).toEqual(['db-a']);
 */
export function backendDowntimes(node: RaftNode): DowntimeRow[] {
  return readBackend<DowntimeRow>(
    node,
    'SELECT hostname, port, owner, reason FROM database_instance_downtime ORDER BY hostname, port',
  );
}
