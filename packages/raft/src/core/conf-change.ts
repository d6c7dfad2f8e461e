// Membership changes travel through the log as entries of type ConfChange. One change moves one
// server (ADR 0200): a voter is added or removed, a learner (non-voter) is added, or a learner
// is promoted to voter once it has caught up. Any two majorities of configurations that differ
// by one voter overlap, so the group never has two disjoint quorums.
import type { ConfState, NodeId } from './types.js';
import { nodeId } from './types.js';

/** What a membership change does. */
export type ConfChangeType = 'addVoter' | 'addLearner' | 'removeNode';

/**
 * One membership change. `context` is opaque to Raft (the driver puts the new server's address
 * there, so every node learns it when the change is applied).
 */
export interface ConfChange {
  readonly type: ConfChangeType;
  readonly node: NodeId;
  readonly context: Uint8Array;
}

const typeCodes: readonly ConfChangeType[] = ['addVoter', 'addLearner', 'removeNode'];
const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** Encodes a change as the data of a ConfChange entry: [type:u8][idLen:u16][id utf8][context]. */
export function encodeConfChange(cc: ConfChange): Uint8Array {
  const id = utf8.encode(cc.node);
  const out = new Uint8Array(3 + id.length + cc.context.length);
  out[0] = typeCodes.indexOf(cc.type);
  out[1] = (id.length >> 8) & 0xff;
  out[2] = id.length & 0xff;
  out.set(id, 3);
  out.set(cc.context, 3 + id.length);
  return out;
}

/** Decodes a ConfChange entry's data; throws a TypeError naming the problem on garbage. */
export function decodeConfChange(data: Uint8Array): ConfChange {
  if (data.length < 3) throw new TypeError('conf change: entry data shorter than its header');
  const type = typeCodes[data[0] ?? 255];
  if (type === undefined) throw new TypeError(`conf change: unknown change type ${String(data[0])}`);
  const idLen = ((data[1] ?? 0) << 8) | (data[2] ?? 0);
  if (idLen === 0 || 3 + idLen > data.length) throw new TypeError('conf change: bad node id length');
  const node = nodeId(utf8Decoder.decode(data.subarray(3, 3 + idLen)));
  return { type, node, context: data.slice(3 + idLen) };
}

/**
 * Checks that `cc` may be applied to `conf` as a single-server change; returns the reason it
 * may not, or null. Removing the last voter is refused: a group without voters cannot elect.
 */
export function confChangeProblem(conf: ConfState, cc: ConfChange): string | null {
  if (conf.votersOutgoing.length > 0) return 'joint configurations are not supported';
  const isVoter = conf.voters.includes(cc.node);
  const isLearner = conf.learners.includes(cc.node);
  switch (cc.type) {
    case 'addVoter':
      return isVoter ? `${cc.node} is already a voter` : null;
    case 'addLearner':
      if (isVoter) return `${cc.node} is a voter; demoting a voter is not supported, remove it first`;
      return isLearner ? `${cc.node} is already a learner` : null;
    case 'removeNode':
      if (!isVoter && !isLearner) return `${cc.node} is not a member`;
      if (isVoter && conf.voters.length === 1) return 'cannot remove the last voter';
      return null;
  }
}

/** Applies a single-server change (assumed valid; see `confChangeProblem`). */
export function applyConfChange(conf: ConfState, cc: ConfChange): ConfState {
  const voters = conf.voters.filter((v) => v !== cc.node);
  const learners = conf.learners.filter((l) => l !== cc.node);
  if (cc.type === 'addVoter') voters.push(cc.node);
  if (cc.type === 'addLearner') learners.push(cc.node);
  return { voters: voters.sort(), learners: learners.sort(), votersOutgoing: [] };
}
