// orchestrator's Raft routes (its section 1.6): health and role probes served by every node
// without authentication, and the group operations (snapshot, yield, membership) that change
// the group and so need a caller who may mutate. add/remove-peer and routed-leader-check go to
// the leader through the reverse proxy; the others answer for this node.
import { Type } from 'typebox';
import type { ApiDeps, RaftView } from '../deps.js';
import { failure, jsonString } from '../response.js';
import type { Register } from '../route.js';

/**
 * Registers the Raft routes; nothing when the node is not in a Raft group.
 *
 * @example
 * raftRoutes(register, deps);
 */
export function raftRoutes(register: Register, deps: ApiDeps): void {
  const raft = deps.raft;
  if (raft === undefined) return;
  const { node } = deps;
  register({
    paths: ['/api/routed-leader-check'],
    open: true,
    proxy: true,
    handler: async (_, reply) => jsonString(reply, node.isActive() ? 200 : 404, node.isActive() ? 'OK' : 'Not leader'),
  });
  register({
    paths: ['/api/raft-health'],
    open: true,
    handler: async (_, reply) =>
      raft.isHealthy() ? jsonString(reply, 200, 'healthy') : reply.code(500).send(failure('unhealthy', null)),
  });
  register({
    paths: ['/api/raft-state'],
    open: true,
    handler: async (_, reply) => jsonString(reply, 200, raft.role()),
  });
  register({
    paths: ['/api/raft-leader'],
    open: true,
    handler: async (_, reply) => jsonString(reply, 200, raft.leader()),
  });
  register({ paths: ['/api/raft-peers'], open: true, handler: async () => raft.peers() });
  register({ paths: ['/api/raft-status'], open: true, handler: async () => status(raft) });
  register({
    paths: ['/api/raft-snapshot'],
    mutates: true,
    proxy: false,
    handler: async (_, reply) => {
      await raft.snapshot();
      return jsonString(reply, 200, 'snapshot created');
    },
  });
  register({
    paths: ['/api/raft-yield/:node'],
    params: Type.Object({ node: Type.String({ minLength: 1 }) }),
    mutates: true,
    handler: async ({ params }, reply) => {
      await raft.yieldTo(params.node);
      return jsonString(reply, 200, `Asynchronously yielded to ${params.node}`);
    },
  });
  register({
    paths: ['/api/raft-yield-hint/:hint'],
    params: Type.Object({ hint: Type.String({ minLength: 1 }) }),
    mutates: true,
    handler: async ({ params }, reply) => {
      await raft.yieldHint(params.hint);
      return jsonString(reply, 200, `Asynchronously yielded by hint ${params.hint}`);
    },
  });
  const peerChange = (path: string, change: (addr: string) => Promise<void>): void =>
    register({
      paths: [path],
      params: Type.Object({ addr: Type.String({ pattern: '^[^\\s:/]+:[0-9]{1,5}$' }) }),
      mutates: true,
      handler: async ({ params }) => {
        await change(params.addr);
        return params.addr;
      },
    });
  peerChange('/api/raft-add-peer/:addr', (a) => raft.addPeer(a));
  peerChange('/api/raft-remove-peer/:addr', (a) => raft.removePeer(a));
}

function status(raft: RaftView): Record<string, unknown> {
  return {
    RaftBind: raft.bind,
    RaftAdvertise: raft.advertise,
    State: raft.role(),
    Healthy: raft.isHealthy(),
    IsPartOfQuorum: raft.isHealthy() && raft.leader() !== '',
    Leader: raft.leader(),
    LeaderURI: raft.leaderUri(),
    Peers: raft.peers(),
  };
}
