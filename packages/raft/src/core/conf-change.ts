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

/**
 * A membership change as carried in the log: the change, plus the whole configuration it
 * produces. Every node adopts `result` when the entry is applied, so a node that joins with an
 * empty configuration learns the full membership from the first change it applies.
 */
export interface ConfChangeEntry extends ConfChange {
  /** Null only for entries written without it (e.g. bootstrap entries): applied as a delta. */
  readonly result: ConfState | null;
}

const typeCodes: readonly ConfChangeType[] = ['addVoter', 'addLearner', 'removeNode'];
const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Encodes a change as the data of a ConfChange entry:
 * [type:u8][idLen:u16][id][ctxLen:u32][context][result as JSON { v: voters, l: learners }, or nothing].
 */
export function encodeConfChange(cc: ConfChange & { readonly result?: ConfState | null }): Uint8Array {
  const id = utf8.encode(cc.node);
  const result =
    cc.result === undefined || cc.result === null
      ? new Uint8Array(0)
      : utf8.encode(JSON.stringify({ v: cc.result.voters, l: cc.result.learners }));
  const out = new Uint8Array(7 + id.length + cc.context.length + result.length);
  const view = new DataView(out.buffer);
  out[0] = typeCodes.indexOf(cc.type);
  view.setUint16(1, id.length);
  out.set(id, 3);
  view.setUint32(3 + id.length, cc.context.length);
  out.set(cc.context, 7 + id.length);
  out.set(result, 7 + id.length + cc.context.length);
  return out;
}

/** Decodes a ConfChange entry's data; throws a TypeError naming the problem on garbage. */
export function decodeConfChange(data: Uint8Array): ConfChangeEntry {
  if (data.length < 7) throw new TypeError('conf change: entry data shorter than its header');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const type = typeCodes[data[0] ?? 255];
  if (type === undefined) throw new TypeError(`conf change: unknown change type ${String(data[0])}`);
  const idLen = view.getUint16(1);
  if (idLen === 0 || 7 + idLen > data.length) throw new TypeError('conf change: bad node id length');
  const node = nodeId(utf8Decoder.decode(data.subarray(3, 3 + idLen)));
  const ctxLen = view.getUint32(3 + idLen);
  const ctxEnd = 7 + idLen + ctxLen;
  if (ctxEnd > data.length) throw new TypeError('conf change: bad context length');
  const context = data.slice(7 + idLen, ctxEnd);
  if (ctxEnd === data.length) return { type, node, context, result: null };
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8Decoder.decode(data.subarray(ctxEnd)));
  } catch (err) {
    throw new TypeError('conf change: resulting configuration is not valid JSON', { cause: err });
  }
  const isIds = (x: unknown): x is string[] => Array.isArray(x) && x.every((y) => typeof y === 'string');
  const obj = parsed as { v?: unknown; l?: unknown } | null;
  if (obj === null || typeof obj !== 'object' || !isIds(obj.v) || !isIds(obj.l)) {
    throw new TypeError('conf change: resulting configuration is malformed');
  }
  return {
    type,
    node,
    context,
    result: { voters: obj.v.map(nodeId), learners: obj.l.map(nodeId), votersOutgoing: [] },
  };
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

/** The configuration a single-server change produces (assumed valid; see `confChangeProblem`). */
export function applyConfChange(conf: ConfState, cc: ConfChange): ConfState {
  const voters = conf.voters.filter((v) => v !== cc.node);
  const learners = conf.learners.filter((l) => l !== cc.node);
  if (cc.type === 'addVoter') voters.push(cc.node);
  if (cc.type === 'addLearner') learners.push(cc.node);
  return { voters: voters.sort(), learners: learners.sort(), votersOutgoing: [] };
}

/**
 * The configuration that follows `prev` once the change in `data` (a ConfChange entry's data)
 * takes effect: the entry's recorded result, or for entries without one the change applied as a
 * delta (ignored when it does not apply). Never a configuration without voters.
 */
export function nextConf(prev: ConfState, data: Uint8Array): ConfState {
  const cc = decodeConfChange(data);
  let next = cc.result;
  if (next === null) {
    if (confChangeProblem(prev, cc) !== null) return prev;
    next = applyConfChange(prev, cc);
  }
  return next.voters.length === 0 ? prev : next;
}
